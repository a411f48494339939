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


# --- incidents (Q-07) ------------------------------------------------------------------------


@shared_task(soft_time_limit=240, time_limit=300)
def escalate_overdue_incidents() -> int:
    """Hourly (beat): escalate the incidents not reported to the regulator within 24 hours of
    learning of them (Q-07), each once; a second run in the same hour escalates nothing."""
    from .services.incidents import incidents_escalate_overdue

    try:
        return incidents_escalate_overdue()
    except SoftTimeLimitExceeded:
        # Each batch is its own transaction: what is done stays done, the next run goes on.
        log.error("incident escalation: time limit; left to the next run")
        return 0


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=45,
)
def send_incident_notice(incident_id: int) -> int:
    """Q-07: e-mail the director that a lead reported a major event; sent once."""
    from .notices import incident_notice_send

    try:
        return incident_notice_send(incident_id, escalation=False)
    except SoftTimeLimitExceeded:
        log.error("incident notice %s not sent: time limit", incident_id)
        return 0


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=45,
)
def send_incident_escalation_notice(incident_id: int) -> int:
    """Q-07: e-mail the director and the body's administrators that an incident is overdue
    and escalated; sent once."""
    from .notices import incident_notice_send

    try:
        return incident_notice_send(incident_id, escalation=True)
    except SoftTimeLimitExceeded:
        log.error("incident escalation notice %s not sent: time limit", incident_id)
        return 0
