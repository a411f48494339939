"""The daily check that the business system has received every withdrawal of a login right."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from ..feed_clients import unreceived_withdrawals_flag

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def flag_unreceived_right_changes() -> int:
    """Flag to the general business dept each suspension or revocation the business system has
    not read within a day, once (beat: ``flag-unreceived-right-changes``, daily)."""
    try:
        return unreceived_withdrawals_flag()
    except SoftTimeLimitExceeded:
        # Nothing was stamped (one transaction): tomorrow's run tells of them.
        log.error("unreceived right changes not flagged: time limit")
        return 0
