"""The training centre's confirmation of a run the circuit breaker held (A-04)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import User

from ..constants import RunState
from ..models import EnforcementRun
from ..permissions.enforcement import can_confirm_held_run


@transaction.atomic
def enforcement_run_confirm(
    *, run: EnforcementRun, actor: User, at: datetime.datetime | None = None
) -> EnforcementRun:
    """Let a held run go on: it is marked confirmed and running, and the job takes it up on
    commit (``tasks/enforcement.py``)."""
    from ..tasks.enforcement import continue_enforcement_run

    if not can_confirm_held_run(actor):
        raise PermissionDenied(
            _("Only a training-centre administrator confirms a run the circuit breaker held.")
        )
    run = EnforcementRun.objects.select_for_update().get(pk=run.pk)
    if run.state != RunState.HELD:
        raise ValidationError(
            _("The run is “%(state)s” now: someone confirmed it a moment ago.")
            % {"state": run.get_state_display()},
            code="stale_state",
        )
    run.state = RunState.RUNNING
    run.confirmed_by = actor
    run.confirmed_at = at or timezone.now()
    run.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    run_id = run.pk
    transaction.on_commit(lambda: continue_enforcement_run.delay(run_id))
    return run
