"""Every read of the quality roles that a user sees, already cut to that user's scope.

Body staff (administrator, director, leads) see their own body; the regulator's inspectors
and superusers see every body. Anything outside the scope is absent, so a page looking an
object up here answers 404 alike for missing and forbidden (``get_in_scope_or_404``).
"""

from django.db.models import Prefetch, Q, QuerySet

from directory.constants import BODY_ROLES, Role
from directory.models import CertificationBody, User
from directory.selectors import body_list as directory_body_list
from directory.selectors import get_in_scope_or_404

from .constants import (
    DIRECTOR_OPEN_STATES,
    AdviceAnswer,
    CertificateState,
    DirectorAppointmentState,
    LeadAppointmentState,
    RectificationSource,
)
from .models import (
    AccountabilityCase,
    BodyGovernance,
    BodyStaff,
    Certificate,
    DirectorAdvice,
    DirectorAppointment,
    DirectorAssessment,
    Filing,
    LeadAppointment,
    RectificationOrder,
)

__all__ = ["get_in_scope_or_404"]


def _scoped(queryset: QuerySet, user: User, body_field: str = "body") -> QuerySet:
    """``queryset`` cut to the bodies ``user`` sees."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role == Role.REGULATOR_INSPECTOR:
        return queryset
    if user.role in BODY_ROLES:
        return queryset.filter(**{f"{body_field}_id": user.body_id})
    return queryset.none()


def body_list(*, user: User) -> QuerySet[CertificationBody]:
    """The bodies ``user`` sees: the directory's own selector."""
    return directory_body_list(user=user)


def staff_list(*, user: User) -> QuerySet[BodyStaff]:
    return _scoped(BodyStaff.objects.select_related("person", "body"), user)


def director_appointment_list(*, user: User) -> QuerySet[DirectorAppointment]:
    return _scoped(
        DirectorAppointment.objects.select_related("body", "staff__person", "authoriser"), user
    )


def lead_appointment_list(*, user: User) -> QuerySet[LeadAppointment]:
    return _scoped(
        LeadAppointment.objects.select_related(
            "body", "staff__person", "nominated_under__staff__person"
        ),
        user,
    )


def filing_list(*, user: User) -> QuerySet[Filing]:
    return _scoped(Filing.objects.select_related("body", "appointment__staff__person"), user)


def certificate_list(*, user: User) -> QuerySet[Certificate]:
    return _scoped(Certificate.objects.select_related("project", "category"), user)


# --- one body ---------------------------------------------------------------------------


def governance_of(body: CertificationBody) -> BodyGovernance | None:
    return (
        BodyGovernance.objects.select_related("legal_representative", "actual_controller")
        .filter(body=body)
        .first()
    )


def active_director(body: CertificationBody) -> DirectorAppointment | None:
    """The body's quality director in office (Q-01), if there is one."""
    return (
        DirectorAppointment.objects.select_related("staff__person")
        .filter(body=body, state=DirectorAppointmentState.ACTIVE)
        .first()
    )


def open_director_appointments(body: CertificationBody) -> QuerySet[DirectorAppointment]:
    return DirectorAppointment.objects.select_related("staff__person").filter(
        body=body, state__in=DIRECTOR_OPEN_STATES
    )


def current_leads(body: CertificationBody) -> QuerySet[LeadAppointment]:
    """The body's leads nominated or in office, with what each is responsible for (Q-09)."""
    return (
        LeadAppointment.objects.select_related("staff__person")
        .filter(
            body=body,
            state__in=[LeadAppointmentState.NOMINATED, LeadAppointmentState.ACTIVE],
        )
        .prefetch_related("projects", "product_categories")
        .order_by("state", "staff__person__name", "pk")
    )


def body_staff(body: CertificationBody) -> QuerySet[BodyStaff]:
    return (
        BodyStaff.objects.select_related("person")
        .filter(body=body)
        .order_by("left_on", "person__name", "pk")
    )


def due_filings(body: CertificationBody) -> QuerySet[Filing]:
    """Filings the body still has to make (Q-06), the earliest due first."""
    return (
        Filing.objects.select_related("appointment__staff__person")
        .filter(body=body, filed_on__isnull=True)
        .order_by("due_on", "pk")
    )


def director_filings(appointment: DirectorAppointment) -> QuerySet[Filing]:
    return Filing.objects.filter(appointment=appointment).order_by("-changed_on", "-pk")


def director_appointment_detail(*, user: User) -> QuerySet[DirectorAppointment]:
    """The director appointments ``user`` sees, with the leads each nominated."""
    return director_appointment_list(user=user).prefetch_related(
        Prefetch(
            "nominated_leads",
            queryset=LeadAppointment.objects.select_related("staff__person"),
        )
    )


# --- coverage (Q-05) ------------------------------------------------------------------------


def uncovered_certificates(*, body: CertificationBody) -> QuerySet[Certificate]:
    """Q-05: the body's valid certificates with no responsible lead in office."""
    return Certificate.objects.filter(body=body, state=CertificateState.VALID).filter(
        Q(responsible_lead__isnull=True) | ~Q(responsible_lead__state=LeadAppointmentState.ACTIVE)
    )


# --- advice, accountability, the regulator (Q-11, Q-12, Q-13) ---------------------------------


def advice_list(*, user: User) -> QuerySet[DirectorAdvice]:
    return _scoped(DirectorAdvice.objects.select_related("body", "director__staff__person"), user)


def duty_done_advice(director: DirectorAppointment) -> QuerySet[DirectorAdvice]:
    """Q-11: the director's advice rejected without a reason (the duty counts as done)."""
    return DirectorAdvice.objects.filter(
        director=director, answer=AdviceAnswer.REJECTED, rejection_reason=""
    ).order_by("-given_on", "-pk")


def case_list(*, user: User) -> QuerySet[AccountabilityCase]:
    """Q-12: cases are the body's (its staff see their own body's) and the inspectors'."""
    return _scoped(
        AccountabilityCase.objects.select_related("body", "staff__person").prefetch_related(
            "measures"
        ),
        user,
    )


def assessment_list(*, user: User) -> QuerySet[DirectorAssessment]:
    return _scoped(
        DirectorAssessment.objects.select_related("body", "director__staff__person", "inspector"),
        user,
    )


def assessment_rectification_list(*, user: User) -> QuerySet[RectificationOrder]:
    """Q-13: the rectification orders opened by failed assessments."""
    return _scoped(
        RectificationOrder.objects.filter(source=RectificationSource.ASSESSMENT).select_related(
            "body", "assessment__director__staff__person"
        ),
        user,
    )


def published_assessments() -> QuerySet[DirectorAssessment]:
    """Q-13: what the public page shows to anyone: published results only, newest first."""
    return (
        DirectorAssessment.objects.filter(published_at__isnull=False)
        .select_related("body", "director__staff__person")
        .only(
            "pk",
            "assessed_on",
            "result",
            "published_at",
            "body__name",
            "director__staff__person__name",
        )
        .order_by("-published_at", "-pk")
    )
