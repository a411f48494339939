"""Continuous evaluation (L-10): departments and branch centres evaluate the liaisons they
work with; the training centre decides to keep, suspend or revoke a qualification."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.limits import clean_reason
from directory.constants import DepartmentKind, Role
from directory.models import Department, User

from .. import permissions
from ..constants import CURRENT_QUALIFICATION_STATES, EvaluationDecisionKind, EvaluationRating
from ..models import Evaluation, EvaluationDecision, LiaisonQualification
from .qualifications import qualification_change_state


def _evaluating_organisation(actor: User) -> dict:
    """Who evaluates, as the evaluation records it: the evaluator's department, the
    reviewer's branch centre, or the general business dept for its officers (L-10)."""
    if actor.role == Role.BRANCH_REVIEWER:
        return {"branch": actor.branch}
    if actor.role == Role.DEPARTMENT_EVALUATOR:
        return {"department": actor.department}
    if actor.role == Role.GENERAL_BUSINESS_OFFICER:
        # Officers of the general business dept carry no department on their account.
        department = (
            Department.objects.filter(kind=DepartmentKind.GENERAL_BUSINESS).order_by("pk").first()
        )
        if department is None:
            raise ValidationError(
                _(
                    "The directory holds no general business department, so an evaluation "
                    "by its officers cannot be recorded; an administrator must add it first."
                ),
                code="no_general_business_department",
            )
        return {"department": department}
    raise PermissionDenied(_("You may not evaluate this liaison (L-10)."))


def _require_current(qualification: LiaisonQualification) -> None:
    if qualification.state not in CURRENT_QUALIFICATION_STATES:
        raise ValidationError(
            _("The qualification is “%(state)s”; it is no longer evaluated (L-10).")
            % {"state": qualification.get_state_display()},
            code="not_current",
        )


@transaction.atomic
def evaluation_record(
    *,
    qualification: LiaisonQualification,
    actor: User,
    rating: str,
    comment: str,
    period_start: datetime.date,
    period_end: datetime.date,
) -> Evaluation:
    """Record one evaluation of a liaison's work over a period (L-10)."""
    qualification = LiaisonQualification.objects.select_related("lab").get(pk=qualification.pk)
    if not permissions.can_evaluate(actor, qualification):
        raise PermissionDenied(_("You may not evaluate this liaison (L-10)."))
    _require_current(qualification)
    if rating not in EvaluationRating.values:
        raise ValidationError({"rating": _("Unknown rating.")}, code="unknown_rating")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what the rating rests on (L-10).")}, code="comment_required"
        )
    if period_start and period_end:
        if period_end < period_start:
            raise ValidationError(
                {"period_end": _("The period cannot end before it starts.")},
                code="period_reversed",
            )
        if period_end > timezone.localdate():
            raise ValidationError(
                {"period_end": _("The period evaluated cannot end in the future.")},
                code="period_in_future",
            )
    evaluation = Evaluation(
        qualification=qualification,
        rating=rating,
        comment=comment,
        period_start=period_start,
        period_end=period_end,
        evaluated_by=actor,
        **_evaluating_organisation(actor),
    )
    evaluation.full_clean()
    evaluation._history_user = actor
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_decide(
    *, qualification: LiaisonQualification, actor: User, decision: str, reason: str
) -> EvaluationDecision:
    """The training centre decides, on the evaluations, to keep, suspend or revoke a
    qualification (L-10). Suspending or revoking goes through ``qualification_change_state``,
    so the login right and the lab's coverage follow (A-01, L-06)."""
    if not permissions.is_training_centre(actor):
        raise PermissionDenied(
            _("Only the training centre decides on keeping a qualification (L-10).")
        )
    reason = clean_reason(
        reason, required_message=_("A reason is required (L-10)."), field="reason"
    )
    if decision not in EvaluationDecisionKind.values:
        raise ValidationError({"decision": _("Unknown decision.")}, code="unknown_decision")
    qualification = LiaisonQualification.objects.select_for_update().get(pk=qualification.pk)
    _require_current(qualification)
    record = EvaluationDecision(
        qualification=qualification, decision=decision, reason=reason, decided_by=actor
    )
    record.full_clean()
    record._history_user = actor
    record.save()
    if decision != EvaluationDecisionKind.KEEP:
        # A stale state (suspending a suspended qualification) raises here and undoes the row.
        qualification_change_state(
            qualification=qualification, action=str(decision), actor=actor, reason=reason
        )
    return record
