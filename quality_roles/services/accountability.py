"""Accountability cases (Q-12): the person's permissions in the body are suspended first,
then the case is investigated, measures are decided and the case closes, restoring the
permissions where the measures allow. No measure may be taken against a director or lead
for a duty they performed (art. 16): such a measure is refused with the rule named.

While ``BodyStaff.permissions_suspended_at`` is set the person acts in no role of the body
through the portal: ``permissions.is_suspended_in`` and the key-role lookups check it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import CertificationBody, User

from .. import permissions
from ..constants import (
    TEXT_MAX_LENGTH,
    AccountabilityGround,
    AccountabilityMeasureKind,
    CaseState,
)
from ..models import (
    AccountabilityCase,
    AccountabilityMeasure,
    BodyStaff,
    DirectorAppointment,
    LeadAppointment,
)
from ..rules import rule_problem
from .common import (
    limited,
    lock_body,
    not_in_future,
    raise_problems,
    require,
    require_state,
    required_reason,
    today,
)

#: Measures after which the person does not take up the post's permissions again when the
#: case closes: suspended, or out of the post (docs/decisions.md).
KEEPS_PERMISSIONS_SUSPENDED = frozenset(
    {
        AccountabilityMeasureKind.SUSPENSION,
        AccountabilityMeasureKind.TRANSFER,
        AccountabilityMeasureKind.DEMOTION,
        AccountabilityMeasureKind.REMOVAL,
        AccountabilityMeasureKind.DISMISSAL,
    }
)

#: The duty a case may name, and who performed it (the staff member's id).
DUTY_PERFORMERS = {
    "duty_advice": lambda advice: advice.director.staff_id,
    "duty_incident": lambda incident: {
        incident.reporting_lead.staff_id if incident.reporting_lead_id else None,
        incident.director.staff_id if incident.director_id else None,
    },
    "duty_measure": lambda measure: measure.director.staff_id,
    "duty_spot_check": lambda check: check.director.staff_id,
    "duty_proposal": lambda proposal: proposal.proposer.pk,
    "duty_rectification": lambda order: {
        order.issued_by_director.staff_id if order.issued_by_director_id else None,
        order.owner_id,
    },
}


def holds_key_role(staff: BodyStaff) -> bool:
    """The person is or was the body's director or one of its leads."""
    return (
        DirectorAppointment.objects.filter(staff=staff, starts_on__isnull=False).exists()
        or LeadAppointment.objects.filter(staff=staff, starts_on__isnull=False).exists()
    )


def _lock_case(case: AccountabilityCase) -> AccountabilityCase:
    lock_body(case.body_id)
    return (
        AccountabilityCase.objects.select_for_update(of=("self",))
        .select_related("staff__person")
        .get(pk=case.pk)
    )


@transaction.atomic
def accountability_case_open(
    *,
    body: CertificationBody,
    staff: BodyStaff,
    actor: User,
    ground: str,
    description: str,
    **duties,
) -> AccountabilityCase:
    """Q-12: open a case against a person of the body; the person's permissions in the body
    are suspended first, in the same transaction. ``duties`` (``duty_advice=...``) name a
    duty the person performed that the case concerns."""
    require(permissions.can_handle_case(actor, body))
    lock_body(body.pk)
    staff = BodyStaff.objects.select_for_update(of=("self",)).get(pk=staff.pk)
    if staff.body_id != body.pk:
        raise ValidationError(
            {"staff": _("Choose a person on this certification body's staff.")},
            code="not_of_body",
        )
    ground = AccountabilityGround(ground)
    description = limited(description, field="description", limit=TEXT_MAX_LENGTH)
    if not description:
        raise ValidationError(
            {"description": _("Say what the person is held to account for.")},
            code="description_required",
        )
    problems = {}
    for name, duty in duties.items():
        if name not in DUTY_PERFORMERS:
            raise TypeError(f"unknown duty {name}")
        if duty is None:
            continue
        performers = DUTY_PERFORMERS[name](duty)
        performers = performers if isinstance(performers, set) else {performers}
        duty_body_id = duty.cooperation.body_id if name == "duty_proposal" else duty.body_id
        if duty_body_id != body.pk or staff.pk not in performers:
            problems[name] = ValidationError(
                _("Choose a duty this person performed in this body."), code="duty_not_of_person"
            )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    # First the suspension (art. 15: 先暂停其工作权限), then the case that records it.
    if staff.permissions_suspended_at is None:
        staff.permissions_suspended_at = now
        staff._history_user = actor
        staff._change_reason = _("Permissions suspended: accountability case opened (Q-12).")
        staff.save(update_fields=["permissions_suspended_at"])
    case = AccountabilityCase(
        body=body,
        staff=staff,
        ground=ground,
        description=description,
        opened_at=now,
        opened_by=actor,
        permissions_suspended_at=staff.permissions_suspended_at,
        **{name: duty for name, duty in duties.items() if duty is not None},
    )
    case._history_user = actor
    case.save()
    return case


@transaction.atomic
def accountability_case_investigate(
    *, case: AccountabilityCase, actor: User, investigation: str
) -> AccountabilityCase:
    """Q-12: record what the investigation found."""
    case = _lock_case(case)
    require(permissions.can_handle_case(actor, case.body))
    require_state(case, case.record_investigation, _("investigated"))
    investigation = limited(investigation, field="investigation", limit=TEXT_MAX_LENGTH)
    if not investigation:
        raise ValidationError(
            {"investigation": _("Write what the investigation found.")},
            code="investigation_required",
        )
    case.record_investigation(at=timezone.now(), by=actor, investigation=investigation)
    case._history_user = actor
    case.save()
    return case


@transaction.atomic
def accountability_measure_decide(
    *,
    case: AccountabilityCase,
    actor: User,
    kind: str,
    detail: str = "",
    decided_on: datetime.date | None = None,
) -> AccountabilityMeasure:
    """Q-12: a measure of art. 15, decided after the investigation. Refused against a
    director or lead when the case concerns a duty they performed (art. 16)."""
    case = _lock_case(case)
    require(permissions.can_handle_case(actor, case.body))
    kind = AccountabilityMeasureKind(kind)
    if case.state != CaseState.INVESTIGATED:
        raise ValidationError(
            _("A measure is decided once the case is investigated and before it closes (Q-12)."),
            code="case_not_investigated",
        )
    if case.concerns_a_duty_performed and holds_key_role(case.staff):
        raise_problems(
            [
                rule_problem(
                    "Q-12",
                    _(
                        "no measure may be taken against a quality director or project "
                        "quality lead for a duty they performed."
                    ),
                )
            ]
        )
    decided_on = decided_on or today()
    not_in_future(decided_on, field="decided_on")
    measure = AccountabilityMeasure(
        case=case,
        kind=kind,
        detail=limited(detail, field="detail", limit=TEXT_MAX_LENGTH),
        decided_on=decided_on,
        decided_by=actor,
    )
    measure._history_user = actor
    measure.save()
    return measure


def _restore(staff: BodyStaff, *, except_case: AccountabilityCase, actor: User) -> bool:
    """Lift the suspension unless another case still holds it."""
    others = AccountabilityCase.objects.filter(staff=staff).exclude(pk=except_case.pk)
    if (
        others.exclude(state=CaseState.CLOSED).exists()
        or others.filter(
            state=CaseState.CLOSED,
            permissions_restored_at__isnull=True,
            measures__kind__in=KEEPS_PERMISSIONS_SUSPENDED,
        ).exists()
    ):
        return False
    staff.permissions_suspended_at = None
    staff._history_user = actor
    staff._change_reason = _("Permissions restored: accountability case closed (Q-12).")
    staff.save(update_fields=["permissions_suspended_at"])
    return True


@transaction.atomic
def accountability_case_close(
    *, case: AccountabilityCase, actor: User, note: str
) -> AccountabilityCase:
    """Q-12: close the case with a note. The permissions come back unless a measure keeps
    them suspended (suspension, transfer, demotion, removal, dismissal) or another open case
    holds them."""
    case = _lock_case(case)
    require(permissions.can_handle_case(actor, case.body))
    require_state(case, case.close, _("closed"))
    note = required_reason(note, field="note")
    staff = BodyStaff.objects.select_for_update(of=("self",)).get(pk=case.staff_id)
    keeps = case.measures.filter(kind__in=KEEPS_PERMISSIONS_SUSPENDED).exists()
    restore = not keeps and _restore(staff, except_case=case, actor=actor)
    case.close(at=timezone.now(), by=actor, note=note, restore_permissions=restore)
    case._history_user = actor
    case.save()
    return case


@transaction.atomic
def accountability_permissions_restore(
    *, case: AccountabilityCase, actor: User, reason: str
) -> AccountabilityCase:
    """Q-12: after a closed case whose measure kept the permissions suspended (the
    suspension served, say), the body gives them back, with a reason."""
    case = _lock_case(case)
    require(permissions.can_handle_case(actor, case.body))
    reason = required_reason(reason)
    if case.state != CaseState.CLOSED or case.permissions_restored_at is not None:
        raise ValidationError(
            _("Permissions are given back from a closed case that kept them suspended."),
            code="nothing_to_restore",
        )
    staff = BodyStaff.objects.select_for_update(of=("self",)).get(pk=case.staff_id)
    others = AccountabilityCase.objects.filter(staff=staff).exclude(pk=case.pk)
    if others.exclude(state=CaseState.CLOSED).exists():
        raise ValidationError(
            _("Another case against this person is still open (Q-12)."), code="other_case_open"
        )
    staff.permissions_suspended_at = None
    staff._history_user = actor
    staff._change_reason = reason
    staff.save(update_fields=["permissions_suspended_at"])
    case.permissions_restored_at = timezone.now()
    case._history_user = actor
    case._change_reason = reason
    case.save(update_fields=["permissions_restored_at"])
    return case
