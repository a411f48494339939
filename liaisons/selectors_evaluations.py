"""Reads of continuous evaluation (L-10), cut to the user's scope: what an evaluator may
evaluate, and the training centre's view of the evaluations it decides on."""

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from . import permissions
from .constants import CURRENT_QUALIFICATION_STATES, EvaluationRating
from .models import Evaluation, EvaluationDecision, LiaisonQualification
from .selectors import qualification_list


def evaluable_qualifications(*, user) -> QuerySet[LiaisonQualification]:
    """Qualifications still held of the labs the user evaluates (``permissions.evaluated_labs``,
    L-10)."""
    labs = permissions.evaluated_labs(user)
    if labs is None:
        return LiaisonQualification.objects.none()
    return (
        qualification_list(user=user)
        .filter(lab__in=labs.values("pk"), state__in=sorted(CURRENT_QUALIFICATION_STATES))
        .prefetch_related("fields")
    )


def _unanswered_poor_rating() -> Exists:
    """A poor rating recorded after the qualification's latest decision, or with none yet."""
    decided_since = EvaluationDecision.objects.filter(
        qualification=OuterRef("qualification"), decided_at__gte=OuterRef("evaluated_at")
    )
    return Exists(
        Evaluation.objects.filter(
            qualification=OuterRef("pk"), rating=EvaluationRating.POOR
        ).exclude(Exists(decided_since))
    )


def evaluation_overview(*, user) -> QuerySet[LiaisonQualification]:
    """The training centre's view of continuous evaluation: each qualification with its count
    of evaluations by rating, the latest one, the latest decision, and whether a poor rating
    awaits a decision; all computed in one SQL query (L-10)."""
    if not permissions.is_training_centre(user):
        return LiaisonQualification.objects.none()
    latest_decision = EvaluationDecision.objects.filter(qualification=OuterRef("pk")).order_by(
        "-decided_at", "-id"
    )
    return (
        qualification_list(user=user)
        .annotate(
            evaluation_count=Count("evaluations"),
            good_count=Count("evaluations", filter=Q(evaluations__rating=EvaluationRating.GOOD)),
            adequate_count=Count(
                "evaluations", filter=Q(evaluations__rating=EvaluationRating.ADEQUATE)
            ),
            poor_count=Count("evaluations", filter=Q(evaluations__rating=EvaluationRating.POOR)),
            latest_evaluated_at=Max("evaluations__evaluated_at"),
            latest_decision=Subquery(latest_decision.values("decision")[:1]),
            latest_decided_at=Subquery(latest_decision.values("decided_at")[:1]),
            awaits_decision=_unanswered_poor_rating(),
        )
        .order_by(
            "-awaits_decision",
            F("latest_evaluated_at").desc(nulls_last=True),
            "person__name",
            "id",
        )
    )


def qualifications_awaiting_decision(*, user) -> QuerySet[LiaisonQualification]:
    """Current qualifications with a poor rating and no decision since (L-10)."""
    if not permissions.is_training_centre(user):
        return LiaisonQualification.objects.none()
    return qualification_list(user=user).filter(
        _unanswered_poor_rating(), state__in=sorted(CURRENT_QUALIFICATION_STATES)
    )


def evaluation_list(*, qualification: LiaisonQualification) -> QuerySet[Evaluation]:
    """Every evaluation of a qualification the caller already fetched in scope, newest first."""
    return qualification.evaluations.select_related(
        "department", "branch", "evaluated_by__person"
    ).order_by("-evaluated_at", "-id")


def evaluation_decision_list(
    *, qualification: LiaisonQualification
) -> QuerySet[EvaluationDecision]:
    return qualification.evaluation_decisions.select_related("decided_by__person").order_by(
        "-decided_at", "-id"
    )
