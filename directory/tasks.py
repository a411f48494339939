"""Celery tasks of the directory: thin, idempotent, taking primary keys (mail queue)."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_account_created_email(user_id: int) -> int:
    """E-mail a new account its set-password link (L-08); sent once however often it runs."""
    from .services import send_set_password_email

    try:
        return send_set_password_email(user_id=user_id)
    except SoftTimeLimitExceeded:
        # The claim was released: a later run (or a password reset) sends it.
        log.error("set-password e-mail of account %s not sent: time limit", user_id)
        return 0
