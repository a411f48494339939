"""What follows a done enforcement run (A-04): its evidence pack on the print queue, and its
notice to each affected lab on the mail queue (``CELERY_TASK_ROUTES``), one task per lab so
a retry sends only that lab's. Thin and idempotent: the work is in ``access_audit.evidence``.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    # 100,000 revocations take ~45 s (bench/evidence.py); each file is its own step.
    soft_time_limit=540,
    time_limit=600,
)
def build_evidence_pack(run_id: int) -> int:
    """Store what is missing of the run's evidence pack; returns how many files were stored
    (0 when it is complete). A build cut short is completed by the next one."""
    from ..evidence.pack import evidence_pack_build
    from ..models import EvidenceFile

    stored_before = EvidenceFile.objects.filter(run_id=run_id).count()
    try:
        return len(evidence_pack_build(run_id=run_id))
    except SoftTimeLimitExceeded:
        # The files stored so far stand. If this build stored one, a new task goes on with the
        # rest; if not, one file alone outlasts the limit and looping would not help.
        if EvidenceFile.objects.filter(run_id=run_id).count() > stored_before:
            build_evidence_pack.delay(run_id)
        log.error("evidence pack of run %s not complete: time limit", run_id)
        return 0


@shared_task(soft_time_limit=120, time_limit=150)
def send_enforcement_notices(run_id: int) -> int:
    """Queue the notice of each lab the run took accounts from and that has not had it yet;
    returns how many were queued."""
    from ..evidence.notices import notices_due

    due = notices_due(run_id=run_id)
    for lab_id in due:
        send_enforcement_notice.delay(run_id, lab_id)
    return len(due)


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_enforcement_notice(run_id: int, lab_id: int) -> int:
    """E-mail one lab the accounts the run took away; sent once."""
    from ..evidence.notices import enforcement_notice_send

    try:
        return enforcement_notice_send(run_id=run_id, lab_id=lab_id)
    except SoftTimeLimitExceeded:
        log.error("run %s: notice of lab %s not sent: time limit", run_id, lab_id)
        raise
