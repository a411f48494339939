"""Every read of the quality roles that a user sees, already cut to that user's scope.

Body staff (administrator, director, leads) see their own body; the regulator's inspectors
and superusers see every body. Anything outside the scope is absent, so a page looking an
object up here answers 404 alike for missing and forbidden (``get_in_scope_or_404``).
"""

from django.db.models import Prefetch, QuerySet

from directory.constants import BODY_ROLES, Role
from directory.models import CertificationBody, User
from directory.selectors import body_list as directory_body_list
from directory.selectors import get_in_scope_or_404

from . import coverage
from .constants import (
    DIRECTOR_OPEN_STATES,
    AdviceAnswer,
    DirectorAppointmentState,
    IncidentState,
    LeadAppointmentState,
    MeasureState,
    RectificationSource,
)
from .models import (
    AccountabilityCase,
    BodyGovernance,
    BodyStaff,
    Certificate,
    CooperationProposal,
    DirectorAdvice,
    DirectorAppointment,
    DirectorAssessment,
    DirectorMeasure,
    ExternalLab,
    Filing,
    IncidentReport,
    LabCooperation,
    LeadAppointment,
    RectificationOrder,
    SpotCheck,
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


# --- incidents, the director's powers, external labs (Q-07, Q-08, Q-10) -----------------------


def incident_list(*, user: User) -> QuerySet[IncidentReport]:
    """Q-07: a body's incident reports for its staff; every body's for the inspectors."""
    return _scoped(
        IncidentReport.objects.select_related(
            "body",
            "project",
            "certificate",
            "director__staff__person",
            "reporting_lead__staff__person",
        ),
        user,
    )


def open_incidents(body: CertificationBody) -> QuerySet[IncidentReport]:
    """Q-07: the body's incidents not yet reported to the regulator, the earliest due first."""
    return IncidentReport.objects.filter(body=body, state=IncidentState.OPEN).order_by(
        "due_at", "pk"
    )


def escalated_incidents() -> QuerySet[IncidentReport]:
    """Q-07: the incidents escalated and still not reported, for the regulator's inspectors."""
    return (
        IncidentReport.objects.select_related("body")
        .filter(state=IncidentState.OPEN, escalated_at__isnull=False)
        .order_by("due_at", "pk")
    )


def spot_check_list(*, user: User) -> QuerySet[SpotCheck]:
    return _scoped(
        SpotCheck.objects.select_related("body", "project", "director__staff__person"), user
    )


def rectification_list(*, user: User) -> QuerySet[RectificationOrder]:
    """Q-08: the rectification orders the director issued after spot checks."""
    return _scoped(
        RectificationOrder.objects.filter(source=RectificationSource.SPOT_CHECK).select_related(
            "body", "project", "owner__person", "spot_check", "issued_by_director__staff__person"
        ),
        user,
    )


def measure_list(*, user: User) -> QuerySet[DirectorMeasure]:
    return _scoped(
        DirectorMeasure.objects.select_related(
            "body", "project", "certificate", "director__staff__person"
        ),
        user,
    )


def measures_in_force(body: CertificationBody) -> QuerySet[DirectorMeasure]:
    """Q-08: the body's measures in force (a suspension of its activities shows on its page)."""
    return (
        DirectorMeasure.objects.select_related("project", "certificate")
        .filter(body=body, state=MeasureState.IN_FORCE)
        .order_by("-taken_at", "-pk")
    )


def external_lab_list(*, user: User) -> QuerySet[ExternalLab]:
    return _scoped(ExternalLab.objects.select_related("body"), user)


def cooperation_list(*, user: User) -> QuerySet[LabCooperation]:
    return _scoped(LabCooperation.objects.select_related("body", "lab", "project"), user)


def proposal_list(*, user: User) -> QuerySet[CooperationProposal]:
    """Q-10: the proposals to pause, end or resume a cooperation."""
    return _scoped(
        CooperationProposal.objects.select_related(
            "cooperation__lab",
            "cooperation__project",
            "cooperation__body",
            "lead__staff__person",
            "proposing_director__staff__person",
            "director__staff__person",
        ),
        user,
        body_field="cooperation__body",
    )


# --- coverage: defined once, in ``quality_roles.coverage`` ---------------------------

uncovered_certificates = coverage.uncovered_certificates
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
