"""The deadline job (L-13, A-04): daily, shortly after midnight China time
(``CELERY_BEAT_SCHEDULE``), and a held run once the training centre confirmed it.

Both are idempotent and safe to stop: every batch commits with its history, and the next run
takes the unfinished one up (``access_audit/enforcement/run.py``).
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

log = logging.getLogger(__name__)


@shared_task(soft_time_limit=3300, time_limit=3600)
def enforce_deadlines(as_of: str | None = None) -> list[int]:
    """Every campaign deadline that has passed (A-05) and is not enforced yet; ``as_of`` (ISO,
    a China date) takes that day's first moment as now. Returns the runs' ids."""
    import datetime

    from ..enforcement.run import deadlines_enforce, run_clock

    at = run_clock(datetime.date.fromisoformat(as_of) if as_of else None)
    try:
        return [run.pk for run in deadlines_enforce(at=at)]
    except SoftTimeLimitExceeded:
        # The committed batches stand; tomorrow's run (or a manual one) takes the run up.
        log.error("deadline job stopped at its time limit; the next run goes on")
        return []


@shared_task(soft_time_limit=3300, time_limit=3600)
def continue_enforcement_run(run_id: int) -> str:
    """Go on with a held run the training centre confirmed; nothing if it is not running."""
    from ..enforcement.run import held_run_resume
    from ..models import EnforcementRun

    run = EnforcementRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    try:
        return held_run_resume(run).state
    except SoftTimeLimitExceeded:
        log.error("enforcement run %s stopped at its time limit; the next run goes on", run_id)
        return "stopped"
