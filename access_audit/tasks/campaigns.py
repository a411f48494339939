"""Celery tasks of the access audit: thin, idempotent, taking primary keys or dates.

Every task has a soft and a hard time limit; the reminders' mail goes on the mail queue
(``CELERY_TASK_ROUTES``), one task per lab, so a retry sends only that lab's.
"""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

log = logging.getLogger(__name__)


@shared_task(soft_time_limit=120, time_limit=150)
def send_campaign_reminders(day: str | None = None) -> int:
    """Daily (``CELERY_BEAT_SCHEDULE``): queue the reminder of each lab due one today (A-04);
    ``day`` (ISO, a China date) is today by default. Returns how many were queued."""
    from ..constants import china_today
    from ..reminders import reminders_due

    today = datetime.date.fromisoformat(day) if day else china_today()
    due = reminders_due(today=today)
    for campaign_id, lab_id, days_before in due:
        send_campaign_reminder.delay(campaign_id, lab_id, days_before)
    return len(due)


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_campaign_reminder(campaign_id: int, lab_id: int, days_before: int) -> int:
    """E-mail one lab its reminder (and its branch centre the last one); sent once."""
    from ..reminders import reminder_send

    try:
        return reminder_send(campaign_id=campaign_id, lab_id=lab_id, days_before=days_before)
    except SoftTimeLimitExceeded:
        log.error("campaign %s: reminder of lab %s not sent: time limit", campaign_id, lab_id)
        raise


@shared_task(soft_time_limit=300, time_limit=330)
def refresh_campaign_suggestions() -> int:
    """Daily: the accounts that crossed the campaign's unused time are suggested as left."""
    from ..services.campaign_cases import campaign_suggestions_refresh

    return campaign_suggestions_refresh()
