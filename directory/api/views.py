"""The directory in the REST API: read-only, every queryset scoped to the caller."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..models import BranchCentre, CertificationBody, Person, TestingLab
from ..permissions import can_edit_self_maintained
from .serializers import (
    BranchCentreSerializer,
    CertificationBodySerializer,
    PersonSelfMaintainedSerializer,
    PersonSerializer,
    TestingLabSerializer,
)


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """Objects outside the caller's scope are absent: 404, like missing ones."""

    selector = None
    queryset = None  # set per subclass for the schema; data always comes from the selector

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


class BranchCentreViewSet(ScopedViewSet):
    queryset = BranchCentre.objects.none()
    selector = selectors.branch_list
    serializer_class = BranchCentreSerializer


class TestingLabViewSet(ScopedViewSet):
    queryset = TestingLab.objects.none()
    selector = selectors.lab_list
    serializer_class = TestingLabSerializer
    filterset_fields = ["branch", "is_active"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("business_scope")


class CertificationBodyViewSet(ScopedViewSet):
    queryset = CertificationBody.objects.none()
    selector = selectors.body_list
    serializer_class = CertificationBodySerializer


class PersonViewSet(ScopedViewSet):
    queryset = Person.objects.none()
    selector = selectors.person_list
    serializer_class = PersonSerializer
    filterset_fields = ["lab", "body", "employment_number"]

    @extend_schema(request=PersonSelfMaintainedSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["patch"], url_path="self-maintained")
    def self_maintained(self, request, pk=None, **kwargs):
        """Tier (a) data (P-03), changed by the person alone."""
        person = self.get_object()
        if not can_edit_self_maintained(request.user, person):
            raise exceptions.PermissionDenied()
        payload = PersonSelfMaintainedSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        try:
            services.person_update_self_maintained(
                person=person, actor=request.user, **payload.validated_data
            )
        except ValidationError as error:
            raise exceptions.ValidationError(error.messages) from error
        return Response(PersonSerializer(person, context={"request": request}).data)
