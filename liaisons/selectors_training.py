"""Reads of entry training (L-09), cut to the user's scope.

Kept beside ``liaisons.selectors`` (which they build on) so that this part of the capability
can be read on its own; the reads of continuous evaluation are in ``selectors_evaluations``.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from directory.models import Person

from . import permissions
from .constants import OPEN_STATE_VALUES, ApplicationState, TrainingResult
from .models import LiaisonApplication, TrainingEnrolment, TrainingSession
from .selectors import application_list

# --- entry training (L-09) ------------------------------------------------------------------


def training_session_list(*, user) -> QuerySet[TrainingSession]:
    """The training centre's sessions, with how many are enrolled and passed; no one else's."""
    if not permissions.is_training_centre(user):
        return TrainingSession.objects.none()
    # Meta.ordering is dropped by the GROUP BY of the counts: order explicitly.
    return (
        TrainingSession.objects.select_related("created_by")
        .annotate(
            enrolled_count=Count("enrolments"),
            passed_count=Count("enrolments", filter=Q(enrolments__result=TrainingResult.PASSED)),
        )
        .order_by("-starts_on", "-id")
    )


def upcoming_training_sessions(*, user) -> QuerySet[TrainingSession]:
    """Sessions not yet over, soonest first."""
    return (
        training_session_list(user=user)
        .filter(ends_on__gte=timezone.localdate())
        .order_by("starts_on", "id")
    )


def training_enrolments(*, session: TrainingSession) -> QuerySet[TrainingEnrolment]:
    """The enrolments of a session the caller already fetched in scope."""
    return session.enrolments.select_related(
        "person__lab", "enrolled_by__person", "result_recorded_by__person"
    ).order_by("person__name", "id")


def _passed_training():
    return TrainingEnrolment.objects.filter(person=OuterRef("person"), result=TrainingResult.PASSED)


def training_awaiting_applications(*, user, session: TrainingSession) -> QuerySet:
    """Applications with the branch centre or passed to the training centre whose applicant
    has not passed entry training and is not in ``session`` yet: who to enrol next (L-09)."""
    if not permissions.is_training_centre(user):
        return LiaisonApplication.objects.none()
    in_session = TrainingEnrolment.objects.filter(session=session, person=OuterRef("person"))
    return (
        application_list(user=user)
        .filter(state__in=[ApplicationState.WITH_BRANCH, ApplicationState.PASSED])
        .exclude(Exists(_passed_training()))
        .exclude(Exists(in_session))
        .order_by("submitted_at", "id")
    )


def training_candidates(*, user) -> QuerySet[Person]:
    """People the training centre may enrol: of a testing lab, or with an application in
    progress (L-09)."""
    if not permissions.is_training_centre(user):
        return Person.objects.none()
    open_application = LiaisonApplication.objects.filter(
        person=OuterRef("pk"), state__in=OPEN_STATE_VALUES
    )
    return Person.objects.select_related("lab").filter(
        Q(lab__isnull=False) | Q(Exists(open_application))
    )
