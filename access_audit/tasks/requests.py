"""Celery tasks of the access audit: thin, idempotent, taking primary keys. Each has the
project's soft and hard time limits (settings ``CELERY_TASK_*_TIME_LIMIT``)."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_login_right_request_notice(request_id: int) -> int:
    """E-mail the submitter the decision on a login-right request (A-02); once, however often
    it runs."""
    from ..notifications import login_right_request_notice_send

    try:
        return login_right_request_notice_send(request_id=request_id)
    except SoftTimeLimitExceeded:
        # The claim was released: a retry sends it.
        log.error("notice of login-right request %s not sent: time limit", request_id)
        return 0
