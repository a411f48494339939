"""Celery tasks of the quality roles: thin, idempotent, with time limits."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

log = logging.getLogger(__name__)


@shared_task(soft_time_limit=240, time_limit=300)
def flag_late_filings() -> dict[str, int]:
    """Daily (beat): open the filings due for changes of a director's details made outside
    the quality roles' screens, then flag the filings not made within 30 days (Q-06). Run
    twice the same day, the second run finds and flags nothing."""
    from .services.filings import director_changes_detect, filings_flag_late

    try:
        found = director_changes_detect()
        flagged = filings_flag_late()
    except SoftTimeLimitExceeded:
        # Nothing is half done (each service is one transaction): tomorrow's run goes on.
        log.error("late filings: time limit; left to the next run")
        return {"found": 0, "flagged": 0}
    return {"found": found, "flagged": flagged}
