"""The directory in the REST API: read-only, every queryset scoped to the caller."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..models import BranchCentre, CertificationBody, Person, TestingLab
from ..permissions import can_edit_self_maintained, may_search_by_id_number
from .serializers import (
    BranchCentreSerializer,
    CertificationBodySerializer,
    PersonIdNumberSearchSerializer,
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

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # A list shows every ID number masked, whoever asks; the person's own page may show
        # it in full to those who need it (P-04).
        context["mask_id_numbers"] = self.action != "retrieve"
        return context

    @extend_schema(request=PersonIdNumberSearchSerializer, responses=PersonSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="search", filter_backends=[])
    def search(self, request, **kwargs):
        """The people of the caller's scope with this ID number, found only where the caller
        may see their full number; the numbers in the answer are masked (P-04)."""
        if not may_search_by_id_number(request.user):
            raise exceptions.PermissionDenied(
                _("Lists are not searched by ID number for your role.")
            )
        payload = PersonIdNumberSearchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        people = selectors.person_id_number_search(
            user=request.user, id_number=payload.validated_data["id_number"]
        ).order_by("pk")
        page = self.paginate_queryset(people)
        rows = self.get_serializer(page, many=True).data
        return self.get_paginated_response(rows)

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
