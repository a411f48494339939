"""Reads of the certification projects (Q-05, Q-08, Q-09, Q-10), already cut to the user's
scope: body staff see their body's projects, the regulator's inspectors every body's
(read-only), anyone else none."""

from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from directory.models import User

from . import coverage
from .constants import CertificateState, LeadAppointmentState
from .models import (
    Certificate,
    CertificationProject,
    DirectorMeasure,
    LabCooperation,
    LeadAppointment,
)
from .selectors import _scoped


def _count(queryset: QuerySet) -> Subquery:
    """How many rows ``queryset`` (correlated with ``OuterRef``) has, as a column of the
    outer query: ``COUNT`` as a plain function, so no ``GROUP BY`` is added and the
    subquery answers one row, 0 when nothing matches."""
    counted = queryset.order_by().annotate(
        n=Func(F("pk"), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
    )
    return Subquery(counted.values("n"), output_field=IntegerField())


def _active_leads_of_outer_project() -> QuerySet[LeadAppointment]:
    """Q-09: the leads in office named for the outer project or for its product category."""
    return LeadAppointment.objects.filter(state=LeadAppointmentState.ACTIVE).filter(
        Q(projects=OuterRef("pk")) | Q(product_categories=OuterRef("category_id"))
    )


def project_list(*, user: User) -> QuerySet[CertificationProject]:
    """The projects ``user`` sees, each row with its body, category, certificates, the
    uncovered ones among them (Q-05, as ``coverage`` defines them) and its leads in office,
    all in the page's one query whatever the number of certificates."""
    certificates = Certificate.objects.filter(project=OuterRef("pk"))
    return _scoped(
        CertificationProject.objects.select_related("body", "category").annotate(
            certificate_count=_count(certificates),
            uncovered_count=_count(coverage.uncovered(certificates)),
            active_lead_count=_count(_active_leads_of_outer_project()),
        ),
        user,
    )


def project_leads(project: CertificationProject) -> QuerySet[LeadAppointment]:
    """Q-09: every lead appointment naming the project or its category, those in office
    first; ``by_project`` says whether the project itself is named."""
    named = Q(projects=project)
    if project.category_id:
        named |= Q(product_categories=project.category_id)
    ids = LeadAppointment.objects.filter(named, body_id=project.body_id).values("pk")
    return (
        LeadAppointment.objects.filter(pk__in=ids)
        .select_related("staff__person")
        .annotate(
            by_project=_count(
                CertificationProject.lead_appointments.through.objects.filter(
                    leadappointment_id=OuterRef("pk"), certificationproject_id=project.pk
                )
            ),
            in_office_first=Case(
                When(state=LeadAppointmentState.ACTIVE, then=Value(0)),
                When(state=LeadAppointmentState.NOMINATED, then=Value(1)),
                default=Value(2),
            ),
        )
        .order_by("in_office_first", "staff__person__name", "pk")
    )


def project_certificate_counts(project: CertificationProject) -> dict:
    """Q-05: how many certificates the project has, how many valid, how many uncovered."""
    certificates = Certificate.objects.filter(project=project)
    return {
        "certificate_count": certificates.count(),
        "valid_count": certificates.filter(state=CertificateState.VALID).count(),
        "uncovered_count": coverage.uncovered(certificates).count(),
    }


def project_cooperations(project: CertificationProject) -> QuerySet[LabCooperation]:
    """Q-10: the external labs the project works with."""
    return project.lab_cooperations.select_related("lab").order_by("state", "lab__name", "pk")


def project_measures(project: CertificationProject) -> QuerySet[DirectorMeasure]:
    """Q-08: the director's measures on the project (a pause and its lifting)."""
    return (
        DirectorMeasure.objects.filter(project=project)
        .select_related("director__staff__person")
        .order_by("-taken_at", "-pk")
    )
