"""Read-only endpoints of the quality roles (Q-13): the regulator's inspectors read every
body; a body's own staff read their own body; anyone else reads nothing. Every lookup comes
through the scoped selectors (404 alike for missing and out of scope) and no endpoint takes a
write method."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from directory.constants import BODY_ROLES, Role
from directory.models import CertificationBody

from .. import selectors
from ..models import DirectorAppointment, DirectorAssessment, LeadAppointment
from .serializers import AssessmentSerializer, BodySerializer, DirectorSerializer, LeadSerializer


def body_scope(*, user):
    """The bodies of the quality roles' API: every one for inspectors, one's own for body
    staff, none for anyone else (the directory's own list shows CQC staff bodies too)."""
    if not user.is_authenticated or not user.is_active:
        return CertificationBody.objects.none()
    if user.is_superuser or user.role == Role.REGULATOR_INSPECTOR:
        return CertificationBody.objects.all()
    if user.role in BODY_ROLES:
        return CertificationBody.objects.filter(pk=user.body_id)
    return CertificationBody.objects.none()


class ReadOnlyScopedViewSet(viewsets.ReadOnlyModelViewSet):
    selector = None
    queryset = None  # for the schema and the scope walk; data comes from the selector
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return type(self).selector(user=self.request.user).order_by("pk")


@extend_schema_view(
    list=extend_schema(summary="Certification bodies (Q-13)"),
    retrieve=extend_schema(summary="A certification body"),
)
class BodyViewSet(ReadOnlyScopedViewSet):
    queryset = CertificationBody.objects.none()
    selector = body_scope
    serializer_class = BodySerializer


@extend_schema_view(
    list=extend_schema(summary="Quality director appointments (Q-01, Q-13)"),
    retrieve=extend_schema(summary="A quality director appointment"),
)
class DirectorViewSet(ReadOnlyScopedViewSet):
    queryset = DirectorAppointment.objects.none()
    selector = selectors.director_appointment_list
    serializer_class = DirectorSerializer
    filterset_fields = ["body", "state"]


@extend_schema_view(
    list=extend_schema(summary="Project quality lead appointments (Q-09, Q-13)"),
    retrieve=extend_schema(summary="A project quality lead appointment"),
)
class LeadViewSet(ReadOnlyScopedViewSet):
    queryset = LeadAppointment.objects.none()
    selector = selectors.lead_appointment_list
    serializer_class = LeadSerializer
    filterset_fields = ["body", "state"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("projects", "product_categories")


@extend_schema_view(
    list=extend_schema(summary="The regulator's assessments of directors (Q-13)"),
    retrieve=extend_schema(summary="An assessment of a director"),
)
class AssessmentViewSet(ReadOnlyScopedViewSet):
    queryset = DirectorAssessment.objects.none()
    selector = selectors.assessment_list
    serializer_class = AssessmentSerializer
    filterset_fields = ["body", "result"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("rectification_orders")
