"""Reads of the certificates (Q-05), already cut to the user's scope: body staff see their
body's, the regulator's inspectors every body's (read-only), anyone else none."""

from django.db.models import QuerySet

from directory.models import CertificationBody, User

from . import coverage
from .constants import LeadAppointmentState
from .models import Certificate, CertificationProject, LeadAppointment, ProductCategory
from .selectors import _scoped, lead_appointment_list


def certificate_list(*, user: User) -> QuerySet[Certificate]:
    """The certificates ``user`` sees, each with what a row of the list shows in the same
    query (body, project, category, the lead and the lead's name): one query per page
    whatever the number of certificates."""
    return _scoped(
        Certificate.objects.select_related(
            "body", "project", "category", "responsible_lead__staff__person"
        ),
        user,
    )


def uncovered_list(*, user: User) -> QuerySet[Certificate]:
    """Q-05: the uncovered certificates ``user`` sees."""
    return coverage.uncovered(certificate_list(user=user))


def active_leads(body: CertificationBody) -> QuerySet[LeadAppointment]:
    """The body's leads in office: who may answer for a certificate or take them over."""
    return (
        LeadAppointment.objects.select_related("staff__person")
        .filter(body=body, state=LeadAppointmentState.ACTIVE)
        .order_by("staff__person__name", "pk")
    )


def lead_choices(*, user: User) -> QuerySet[LeadAppointment]:
    """The leads a certificate list may be filtered by: those of the bodies ``user`` sees."""
    return lead_appointment_list(user=user).select_related(None).select_related("staff__person")


def project_choices(*, user: User) -> QuerySet[CertificationProject]:
    return _scoped(CertificationProject.objects.all(), user).order_by("code", "pk")


def category_choices(*, user: User) -> QuerySet[ProductCategory]:
    return _scoped(ProductCategory.objects.all(), user).order_by("code", "pk")
