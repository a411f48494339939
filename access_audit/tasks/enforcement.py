"""The deadline job (L-13, A-04): daily, shortly after midnight China time
(``CELERY_BEAT_SCHEDULE``), and a held run once the training centre confirmed it.

Both are idempotent and safe to stop: every batch commits with its history, and the next run
takes the unfinished one up (``access_audit/enforcement/run.py``). A task stopped by its soft
time limit hands the rest to a new task of itself, as long as it got somewhere (a batch
committed): a run stuck on one batch is left to the next day's job, not retried in a loop.
"""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

log = logging.getLogger(__name__)


def _batches_done() -> int:
    """Batches committed by the runs not done yet (progress since a task began)."""
    from ..constants import RunState
    from ..models import EnforcementRun

    runs = EnforcementRun.objects.filter(dry_run=False).exclude(state=RunState.DONE)
    return sum(run.counts.get("batches", 0) for run in runs.only("counts")) + (
        EnforcementRun.objects.filter(dry_run=False, state=RunState.DONE).count()
    )


@shared_task(soft_time_limit=540, time_limit=600)
def enforce_deadlines(as_of: str | None = None) -> list[int]:
    """Every campaign deadline that has passed (A-05) and is not enforced yet; ``as_of`` (ISO,
    a China date) takes that day's first moment as now. Returns the runs' ids."""
    from ..enforcement.run import deadlines_enforce, run_clock

    before = _batches_done()
    at = run_clock(datetime.date.fromisoformat(as_of) if as_of else None)
    try:
        return [run.pk for run in deadlines_enforce(at=at)]
    except SoftTimeLimitExceeded:
        if _batches_done() > before:
            log.warning("deadline job at its time limit: a new task goes on")
            enforce_deadlines.delay(as_of)
        else:
            log.error("deadline job at its time limit without progress; tomorrow's run goes on")
        return []


@shared_task(soft_time_limit=540, time_limit=600)
def continue_enforcement_run(run_id: int) -> str:
    """Go on with a held run the training centre confirmed; nothing if it is not running."""
    from ..enforcement.run import held_run_resume
    from ..models import EnforcementRun

    run = EnforcementRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    before = _batches_done()
    try:
        return held_run_resume(run).state
    except SoftTimeLimitExceeded:
        if _batches_done() > before:
            log.warning("enforcement run %s at its time limit: a new task goes on", run_id)
            continue_enforcement_run.delay(run_id)
        else:
            log.error("enforcement run %s at its time limit without progress", run_id)
        return "stopped"
