"""The evidence of a run follows its end: the deadline job announces a done run
(``signals.enforcement_run_finished``, on commit) and need not know what follows."""

from django.db import transaction

from ..signals import enforcement_run_finished


def evidence_follows_run(sender, *, run_id: int, **kwargs) -> None:
    """A-04: build the run's evidence pack and tell each affected lab. Robust: a failure to
    queue them never undoes the run (a rebuild or a resend by hand makes up for it)."""
    from ..tasks.evidence import build_evidence_pack, send_enforcement_notices

    transaction.on_commit(lambda: build_evidence_pack.delay(run_id), robust=True)
    transaction.on_commit(lambda: send_enforcement_notices.delay(run_id), robust=True)


def connect() -> None:
    enforcement_run_finished.connect(
        evidence_follows_run, dispatch_uid="access_audit.evidence_follows_run"
    )
