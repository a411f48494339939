"""A liaison's qualification once hired: suspended, reinstated, revoked or cancelled by the
training centre (L-10), or ended by the lab's confirmation that its liaison left (L-12).

Each change is one transition of the qualification's row; the lab's coverage (L-06) follows it
at once, the person's login right (A-01) on the announcement made once every write is done.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import User

from .. import permissions
from ..constants import DepartureOutcome, QualificationState
from ..models import Departure, LiaisonQualification
from ..signals import announce_qualifications_changed
from ._common import qualification_transition, require, require_reason


@transaction.atomic
def qualification_change_state(
    *, qualification: LiaisonQualification, action: str, actor: User | None, reason: str
) -> LiaisonQualification:
    """Suspend, reinstate, revoke or cancel a qualification; the one way a qualification's
    state changes, so the person's login right and the lab's coverage follow (A-01, L-06).

    The training centre decides (L-10); ``actor=None`` is the system itself (a deadline job,
    a management command), never a user. The lab's own departure goes through
    ``departure_confirm`` (L-12), which records it. A reason is always required.
    """
    if action not in ("suspend", "reinstate", "revoke", "cancel"):
        raise ValueError(action)
    if actor is not None and not permissions.can_change_qualification_state(
        actor, qualification, action
    ):
        raise PermissionDenied(
            _("Only the training centre changes the state of a qualification (L-10).")
        )
    qualification = qualification_transition(
        qualification, action, actor=actor, reason=require_reason(reason)
    )
    announce_qualifications_changed([qualification], actor=actor)
    return qualification


def departure_allowed(qualification: LiaisonQualification) -> bool:
    """L-12: whether the lab may still confirm that this liaison left: the qualification is
    active, or suspended for another reason than a departure confirmed since its last
    reinstatement. A liaison leaves once; what follows is the training centre's."""
    from django_fsm_log.models import StateLog

    if qualification.state == QualificationState.ACTIVE:
        return True
    if qualification.state != QualificationState.SUSPENDED:
        return False
    last_reinstated = (
        StateLog.objects.for_(qualification)
        .filter(transition="reinstate")
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)
        .first()
    )
    departures = qualification.departures.all()
    if last_reinstated is not None:
        departures = departures.filter(confirmed_at__gt=last_reinstated)
    return not departures.exists()


@transaction.atomic
def departure_confirm(
    *,
    qualification: LiaisonQualification,
    actor: User,
    reason: str,
    left_on: datetime.date,
    outcome: str,
    comment: str = "",
) -> Departure:
    """L-12: the lab confirms that its liaison left; the qualification is suspended or
    cancelled, and the business-system login with it (A-01)."""
    require(permissions.can_confirm_departure(actor, qualification))
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date of leaving cannot be in the future.")})
    action = "suspend" if outcome == DepartureOutcome.SUSPEND else "cancel"
    departure = Departure(
        qualification=qualification,
        reason=reason,
        left_on=left_on,
        outcome=outcome,
        comment=comment.strip(),
        confirmed_by=actor,
    )

    def record(qualification: LiaisonQualification) -> None:
        departure.qualification = qualification
        departure.full_clean()
        departure._history_user = actor
        departure.save()

    text = _("Left the job: %(reason)s, %(date)s.") % {
        "reason": departure.get_reason_display(),
        "date": left_on.isoformat(),
    }
    qualification = qualification_transition(
        qualification,
        action,
        actor=actor,
        reason=text,
        guard=_require_departure_open,
        ready=record,
    )
    announce_qualifications_changed([qualification], actor=actor)
    return departure


def _require_departure_open(qualification: LiaisonQualification) -> None:
    """L-12: a liaison leaves once (``departure_allowed``), said before the state is."""
    if not departure_allowed(qualification):
        raise ValidationError(
            _(
                "L-12: the departure of this liaison is already confirmed; the qualification "
                "is “%(state)s” since. Only the training centre changes it now."
            )
            % {"state": qualification.get_state_display()},
            code="L-12",
        )
