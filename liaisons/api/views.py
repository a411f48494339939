"""The liaison capability in the REST API: the operations of the screens, through the same
selectors (every lookup scoped: 404 alike for missing and out-of-scope) and the same services
(a refusal becomes 400 with every message and its rule id, a permission refusal 403)."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from directory.models import TestingLab
from directory.selectors import lab_list

from .. import selectors
from ..constants import ApplicationState
from ..models import AssessmentEntry, LiaisonApplication, LiaisonQualification
from ..services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_reject,
    liaison_application_return,
    liaison_application_submit,
    liaison_application_withdraw,
)
from ..services.hiring import liaison_application_hire, liaison_applications_hire
from ..services.preparation import (
    assessment_entry_update,
    liaison_application_start,
    liaison_application_update,
    material_upload,
)
from ..services.qualifications import departure_confirm
from .filters import ApplicationFilter, QualificationFilter, RosterFilter
from .serializers import (
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ApplicationStartSerializer,
    ApplicationUpdateSerializer,
    AssessmentEntrySerializer,
    AssessmentEntryUpdateSerializer,
    CommentSerializer,
    CoverageSerializer,
    DepartureRequestSerializer,
    DepartureSerializer,
    HireChosenSerializer,
    MaterialSerializer,
    MaterialUploadSerializer,
    QualificationSerializer,
    ReasonSerializer,
    RosterEntrySerializer,
    ServiceErrorSerializer,
)

REFUSED = OpenApiResponse(
    ServiceErrorSerializer,
    description="Refused by a rule: every message, each with its code (a rule id where a rule "
    "failed, e.g. L-02). Malformed input answers the usual per-field errors instead.",
)
FORBIDDEN = OpenApiResponse(description="In the caller's scope, but not the caller's to do.")
NOT_FOUND = OpenApiResponse(description="Missing, or outside the caller's scope (alike).")


#: The schema of a step of the flow (L-07): an optional comment, or a required reason.
STEP = {
    "request": CommentSerializer,
    "responses": {200: ApplicationDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
}
STEP_WITH_REASON = {**STEP, "request": ReasonSerializer}


def refusal_body(error: ValidationError) -> dict:
    """A service's ValidationError as the API answers it: messages, codes, per-field messages."""
    if hasattr(error, "error_dict"):
        items = [(name, e) for name, errors in error.error_dict.items() for e in errors]
    else:
        items = [(None, e) for e in error.error_list]
    body: dict = {"detail": [], "codes": []}
    fields: dict[str, list[str]] = {}
    for name, item in items:
        for message in item:
            body["detail"].append(message)
            body["codes"].append(item.code or "invalid")
            if name and name != NON_FIELD_ERRORS:
                fields.setdefault(name, []).append(message)
    if fields:
        body["fields"] = fields
    return body


def call_service(service, **kwargs):
    """Run one service; its refusals become API errors (400, 403)."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        raise exceptions.ValidationError(refusal_body(error)) from error
    except PermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error


def _input(serializer_class, request, *, partial=False) -> dict:
    payload = serializer_class(data=request.data, partial=partial)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


# --- applications ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Applications the caller may see (L-07)"),
    retrieve=extend_schema(
        summary="One application",
        description="The applicant's ID number is shown in full only to roles that need it (P-04).",
        responses={200: ApplicationDetailSerializer, 404: NOT_FOUND},
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Liaison applications: the lab prepares and submits, the branch centre checks, the training
    centre decides (L-07)."""

    queryset = LiaisonApplication.objects.none()  # for the schema; data comes from the selector
    filterset_class = ApplicationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.application_list(user=self.request.user).prefetch_related("fields")

    def get_serializer_class(self):
        return ApplicationSerializer if self.action == "list" else ApplicationDetailSerializer

    def get_serializer_context(self):
        # P-04: full ID numbers only on a single application's page, and only where allowed.
        return {**super().get_serializer_context(), "full_id_numbers": self.action == "retrieve"}

    def _answer(self, application: LiaisonApplication, status_code=status.HTTP_200_OK):
        application.refresh_from_db()
        return Response(self.get_serializer(application).data, status=status_code)

    @extend_schema(
        summary="Start an application (lab staff)",
        request=ApplicationStartSerializer,
        responses={201: ApplicationDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def create(self, request, *args, **kwargs):
        data = _input(ApplicationStartSerializer, request)
        lab = self._lab(data.pop("lab", None))
        legacy_id = data.pop("legacy_qualification", None)
        if legacy_id is not None:
            data["legacy_qualification"] = self._legacy_qualification(legacy_id)
        application = call_service(liaison_application_start, lab=lab, actor=request.user, **data)
        return self._answer(application, status.HTTP_201_CREATED)

    def _lab(self, lab_id: int | None) -> TestingLab:
        lab_id = lab_id if lab_id is not None else self.request.user.lab_id
        lab = lab_list(user=self.request.user).filter(pk=lab_id).first() if lab_id else None
        if lab is None:
            raise exceptions.ValidationError({"lab": [_("Name a testing lab of yours.")]})
        return lab

    def _legacy_qualification(self, pk: int) -> LiaisonQualification:
        qualification = selectors.qualification_list(user=self.request.user).filter(pk=pk).first()
        if qualification is None:
            raise exceptions.ValidationError(
                {"legacy_qualification": [_("No such qualification.")]}
            )
        return qualification

    @extend_schema(
        summary="Change a draft or returned application (lab staff)",
        request=ApplicationUpdateSerializer,
        responses={200: ApplicationDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        data = _input(ApplicationUpdateSerializer, request, partial=True)
        call_service(
            liaison_application_update, application=application, actor=request.user, **data
        )
        return self._answer(application)

    def _transition(self, service, payload_class):
        application = self.get_object()
        data = _input(payload_class, self.request)
        call_service(service, application=application, actor=self.request.user, **data)
        return self._answer(application)

    @extend_schema(
        summary="Submit to the branch centre (lab staff)",
        description="Refused (400) with every missing or wrong item, each naming its rule "
        "(L-01..L-05).",
        **STEP,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, **kwargs):
        return self._transition(liaison_application_submit, CommentSerializer)

    @extend_schema(summary="Accept the materials for checking (branch centre, L-08)", **STEP)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None, **kwargs):
        return self._transition(liaison_application_accept, CommentSerializer)

    @extend_schema(summary="Return to the lab for correction (branch centre)", **STEP_WITH_REASON)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_lab(self, request, pk=None, **kwargs):
        return self._transition(liaison_application_return, ReasonSerializer)

    @extend_schema(summary="Pass on to the training centre (branch centre)", **STEP)
    @action(detail=True, methods=["post"], url_path="pass")
    def pass_to_training(self, request, pk=None, **kwargs):
        return self._transition(liaison_application_pass, CommentSerializer)

    @extend_schema(
        summary="Hire (training centre)",
        description="Assigns the employment number (P-02), creates the qualification and puts "
        "the liaison on the roster (L-11); entry training must be passed (L-09).",
        **STEP,
    )
    @action(detail=True, methods=["post"])
    def hire(self, request, pk=None, **kwargs):
        return self._transition(liaison_application_hire, CommentSerializer)

    @extend_schema(
        operation_id="liaisons_applications_hire_chosen",
        summary="Hire several applicants in one decision (training centre)",
        description="All or none: if one cannot be hired, nobody is, and the answer (400) lists "
        "every problem of every applicant, naming them. Each hire does what a single one does "
        "(P-02, L-06, L-09, L-11). Applications not passed to the training centre, or outside "
        "the caller's scope, are refused alike.",
        request=HireChosenSerializer,
        responses={
            200: QualificationSerializer(many=True),
            400: REFUSED,
            403: FORBIDDEN,
        },
    )
    @action(detail=False, methods=["post"], url_path="hire", filterset_class=None)
    def hire_chosen(self, request, **kwargs):
        data = _input(HireChosenSerializer, request)
        ids = set(data["applications"])
        chosen = list(
            selectors.application_list(user=request.user).filter(
                pk__in=ids, state=ApplicationState.PASSED
            )
        )
        if len(chosen) != len(ids):
            missing = sorted(ids - {application.pk for application in chosen})
            raise exceptions.ValidationError(
                {
                    "applications": [
                        _("Not waiting for a decision, or not found: %(ids)s")
                        % {"ids": ", ".join(map(str, missing))}
                    ]
                }
            )
        qualifications = call_service(
            liaison_applications_hire,
            applications=chosen,
            actor=request.user,
            comment=data["comment"],
        )
        # Read back with their fields in one query, not one per qualification.
        hired = (
            selectors.qualification_list(user=request.user)
            .filter(pk__in=[q.pk for q in qualifications])
            .prefetch_related("fields")
            .order_by("application_id")
        )
        return Response(
            QualificationSerializer(hired, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(summary="Reject (training centre)", **STEP_WITH_REASON)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None, **kwargs):
        return self._transition(liaison_application_reject, ReasonSerializer)

    @extend_schema(summary="Withdraw before a decision (lab staff)", **STEP)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None, **kwargs):
        return self._transition(liaison_application_withdraw, CommentSerializer)

    @extend_schema(
        methods=["GET"],
        summary="The application's materials (L-02)",
        responses={200: MaterialSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Upload one of the five materials (lab staff, L-02)",
        description="Replaces the material of that kind. Checked by content: PDF, JPEG or PNG, "
        "at most 10 MB; anything else is refused (400) and nothing is stored.",
        request={"multipart/form-data": MaterialUploadSerializer},
        responses={201: MaterialSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filterset_class=None,
    )
    def materials(self, request, pk=None, **kwargs):
        application = self.get_object()
        if request.method == "POST":
            data = _input(MaterialUploadSerializer, request)
            material = call_service(
                material_upload,
                application=application,
                kind=data["kind"],
                upload=data["file"],
                actor=request.user,
            )
            return Response(
                MaterialSerializer(material, context=self.get_serializer_context()).data,
                status=status.HTTP_201_CREATED,
            )
        materials = selectors.material_list(user=request.user).filter(application=application)
        return Response(
            MaterialSerializer(materials, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="The training assessment record (L-04)",
        responses={200: AssessmentEntrySerializer(many=True), 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="assessment-entries",
        pagination_class=None,
        filterset_class=None,
    )
    def assessment_entries(self, request, pk=None, **kwargs):
        application = self.get_object()
        entries = application.assessment_entries.select_related("field").order_by("position")
        return Response(AssessmentEntrySerializer(entries, many=True).data)


@extend_schema_view(
    retrieve=extend_schema(
        summary="One entry of a training assessment record",
        responses={200: AssessmentEntrySerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Evaluate and sign an entry (lab staff, L-04)",
        request=AssessmentEntryUpdateSerializer,
        responses={200: AssessmentEntrySerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class AssessmentEntryViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Entries of the training assessment record, reached through the application's scope."""

    queryset = AssessmentEntry.objects.none()
    serializer_class = AssessmentEntrySerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        # An entry is visible exactly when its application is (the selector's scope).
        applications = selectors.application_list(user=self.request.user)
        return AssessmentEntry.objects.filter(
            application__in=applications.values("pk")
        ).select_related("field")

    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        data = _input(AssessmentEntryUpdateSerializer, request, partial=True)
        entry = call_service(
            assessment_entry_update,
            entry=entry,
            actor=request.user,
            evaluation=data.get("evaluation", entry.evaluation),
            signatory=data.get("signatory", entry.signatory),
            trained_on=data.get("trained_on", entry.trained_on),
            content=data.get("content"),
        )
        return Response(self.get_serializer(entry).data)


# --- qualifications, roster, coverage ----------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Liaison qualifications the caller may see"),
    retrieve=extend_schema(
        summary="One qualification", responses={200: QualificationSerializer, 404: NOT_FOUND}
    ),
)
class QualificationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = LiaisonQualification.objects.none()
    serializer_class = QualificationSerializer
    filterset_class = QualificationFilter

    def get_queryset(self):
        return selectors.qualification_list(user=self.request.user).prefetch_related("fields")

    @extend_schema(
        summary="Confirm that the liaison left the job (lab staff, L-12)",
        description="The qualification is suspended or cancelled, and the business-system "
        "login right with it (A-01).",
        request=DepartureRequestSerializer,
        responses={201: DepartureSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def departure(self, request, pk=None, **kwargs):
        qualification = self.get_object()
        data = _input(DepartureRequestSerializer, request)
        departure = call_service(
            departure_confirm, qualification=qualification, actor=request.user, **data
        )
        departure.qualification.refresh_from_db()
        return Response(DepartureSerializer(departure).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="The public roster of hired liaisons (L-11)",
        description="Anyone may search it; it never shows an ID number.",
    )
)
class RosterViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = LiaisonQualification.objects.none()
    serializer_class = RosterEntrySerializer
    filterset_class = RosterFilter
    permission_classes = [AllowAny]

    def get_queryset(self):
        return (
            selectors.roster_entries()
            .select_related("person", "lab")
            .prefetch_related("fields")
            .order_by("person__name", "id")
        )


class LabCoverageViewSet(viewsets.GenericViewSet):
    """L-06 per lab; the lab is looked up in the caller's scope."""

    queryset = TestingLab.objects.none()
    serializer_class = CoverageSerializer
    filterset_class = None

    def get_queryset(self):
        return lab_list(user=self.request.user)

    @extend_schema(
        summary="Coverage of the lab's business scope by its active liaisons (L-06)",
        responses={200: CoverageSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None, **kwargs):
        lab = self.get_object()
        gaps = {field.pk for field in selectors.coverage_gaps(lab=lab)}
        scope = list(lab.business_scope.order_by("position"))
        data = {
            "lab": lab.pk,
            "lab_name": lab.name,
            "fields": [
                {"code": field.pk, "label": str(field), "covered": field.pk not in gaps}
                for field in scope
            ],
            "gaps": [field.pk for field in scope if field.pk in gaps],
        }
        return Response(CoverageSerializer(data).data)
