"""The regulator's assessments of directors (Q-13): the one thing inspectors write.

An inspector records an assessment of a body's director; a failed one opens a rectification
order for the body at once (``RectificationOrder.source = assessment``), which the body
reports done and the inspector checks for effect until it closes. Results are published
for the public page (``selectors.published_assessments``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import User

from .. import permissions
from ..constants import (
    TEXT_MAX_LENGTH,
    AssessmentResult,
    DirectorAppointmentState,
    RectificationSource,
)
from ..models import DirectorAppointment, DirectorAssessment, RectificationOrder
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


@transaction.atomic
def assessment_record(
    *,
    director: DirectorAppointment,
    actor: User,
    result: str,
    assessed_on: datetime.date,
    findings: str = "",
    actions: str = "",
    deadline: datetime.date | None = None,
) -> DirectorAssessment:
    """Q-13: an inspector records the assessment of a director in office (or who was). A
    failed one opens a rectification with the actions and the deadline, in one step."""
    require(
        permissions.can_write_assessment(actor),
        _("Only the regulator's inspectors record assessments (Q-13)."),
    )
    lock_body(director.body_id)
    director = DirectorAppointment.objects.select_related("staff__person").get(pk=director.pk)
    result = AssessmentResult(result)
    not_in_future(assessed_on, field="assessed_on")
    findings = limited(findings, field="findings", limit=TEXT_MAX_LENGTH)
    problems = []
    if director.state not in (DirectorAppointmentState.ACTIVE, DirectorAppointmentState.ENDED):
        problems.append(
            rule_problem("Q-13", _("only a director who has taken office is assessed."))
        )
    if result == AssessmentResult.FAILED:
        actions = limited(actions, field="actions", limit=TEXT_MAX_LENGTH)
        if not findings or not actions or deadline is None:
            problems.append(
                rule_problem(
                    "Q-13",
                    _(
                        "a failed assessment requires rectification: write the findings, the "
                        "actions required and their deadline."
                    ),
                )
            )
        elif deadline < assessed_on:
            problems.append(
                ValidationError(
                    {"deadline": _("The deadline cannot come before the assessment.")},
                    code="deadline_before_assessment",
                )
            )
    raise_problems(problems)
    assessment = DirectorAssessment(
        body_id=director.body_id,
        director=director,
        inspector=actor,
        assessed_on=assessed_on,
        result=result,
        findings=findings,
    )
    assessment._history_user = actor
    assessment.save()
    if result == AssessmentResult.FAILED:
        order = RectificationOrder(
            body_id=director.body_id,
            source=RectificationSource.ASSESSMENT,
            assessment=assessment,
            problem=findings,
            actions=actions,
            deadline=deadline,
            created_by=actor,
        )
        order._history_user = actor
        order._change_reason = _("Opened by a failed assessment (Q-13).")
        order.save()
    return assessment


@transaction.atomic
def assessment_publish(*, assessment: DirectorAssessment, actor: User) -> DirectorAssessment:
    """Q-13: the result goes on the public page (name, body and result only)."""
    assessment = DirectorAssessment.objects.select_for_update().get(pk=assessment.pk)
    require(permissions.can_publish_assessment(actor, assessment))
    if assessment.published_at is not None:
        raise ValidationError(
            _("This assessment is already published; someone may have done it a moment ago."),
            code="already_published",
        )
    assessment.published_at = timezone.now()
    assessment._history_user = actor
    assessment.save(update_fields=["published_at"])
    return assessment


def _lock_order(order: RectificationOrder) -> RectificationOrder:
    lock_body(order.body_id)
    return RectificationOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)


def _require_assessment_order(order: RectificationOrder) -> None:
    if order.source != RectificationSource.ASSESSMENT:
        raise ValidationError(
            _("This order comes from a spot check: the director follows it (Q-08)."),
            code="not_an_assessment_order",
        )


@transaction.atomic
def assessment_rectification_report(
    *, order: RectificationOrder, actor: User, report: str
) -> RectificationOrder:
    """Q-13: the body reports the actions of a failed assessment's rectification done."""
    order = _lock_order(order)
    require(permissions.can_report_rectification(actor, order))
    _require_assessment_order(order)
    require_state(order, order.report_done, _("reported done"))
    report = required_reason(report, field="report")
    order.report_done(at=timezone.now(), report=report, by=actor, description=report)
    order._history_user = actor
    order.save()
    return order


@transaction.atomic
def assessment_rectification_check(
    *, order: RectificationOrder, actor: User, effective: bool, check: str
) -> RectificationOrder:
    """Q-13: the inspector checks the effect: effective closes the order, not effective sends
    it back open to the body."""
    order = _lock_order(order)
    require(permissions.can_check_rectification(actor, order))
    _require_assessment_order(order)
    transition = order.close_effective if effective else order.reopen_ineffective
    require_state(order, transition, _("checked"))
    check = required_reason(check, field="check")
    transition(at=timezone.now(), by=actor, check=check, description=check)
    order._history_user = actor
    order.save()
    return order


def assessment_rectification_overdue(order: RectificationOrder) -> bool:
    return order.closed_at is None and order.deadline < today()
