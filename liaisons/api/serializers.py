"""Shapes of the liaison API. Input serializers check shape only: every rule is the services'."""

from django.urls import NoReverseMatch, reverse
from rest_framework import serializers

from cqcportal.limits import (
    REASON_MAX_LENGTH,
    RECOMMENDATION_MAX_LENGTH,
    TRAINING_CONTENT_MAX_LENGTH,
    WORK_HISTORY_MAX_LENGTH,
    WORK_HISTORY_MAX_LINES,
    MaxLinesValidator,
    field_limit,
)
from directory.constants import CertificationFieldCode, Education, PoliticalStatus
from directory.idnumbers import mask_id_number
from directory.models import Person
from directory.permissions import can_view_full_id_number
from directory.validators import validate_past_date, validate_person_name

from .. import permissions
from ..constants import DepartureOutcome, DepartureReason, MaterialKind
from ..models import (
    ApplicationMaterial,
    AssessmentEntry,
    Departure,
    LiaisonApplication,
    LiaisonQualification,
)

ID_NUMBER_HELP = (
    "Masked (110105********002X) everywhere, except in a retrieve by a caller whose role "
    "needs the full number (P-04)."
)


def _field_codes(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", many=True, read_only=True, **kwargs)


# --- output ------------------------------------------------------------------------------------


class ApplicantSerializer(serializers.ModelSerializer):
    """The applicant in lists: name, masked ID number, employment number."""

    id_number = serializers.SerializerMethodField(help_text=ID_NUMBER_HELP)

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "employment_number"]

    def get_id_number(self, person: Person) -> str:
        request = self.context.get("request")
        if (
            self.context.get("full_id_numbers")
            and request is not None
            and can_view_full_id_number(request.user, person)
        ):
            return person.id_number
        return mask_id_number(person.id_number)


class ApplicationApplicantSerializer(serializers.Serializer):
    """The applicant as the application states them, in lists: what the lab typed, never the
    person's record (issue 9); the ID number masked there (P-04)."""

    name = serializers.CharField(source="applicant_name", read_only=True)
    id_number = serializers.SerializerMethodField(help_text=ID_NUMBER_HELP)
    employment_number = serializers.SerializerMethodField(
        help_text="The employment number (P-02), once this application hired the person."
    )

    def get_id_number(self, application: LiaisonApplication) -> str:
        request = self.context.get("request")
        if (
            self.context.get("full_id_numbers")
            and request is not None
            and permissions.can_view_applicant_id_number(request.user, application)
        ):
            return application.person.id_number
        return mask_id_number(application.person.id_number)

    def get_employment_number(self, application: LiaisonApplication) -> str | None:
        return application.applicant.employment_number


class ApplicationApplicantDetailSerializer(ApplicationApplicantSerializer):
    """The applicant's data as the recommendation form holds it (L-03, P-03)."""

    political_status = serializers.CharField(source="applicant_political_status", read_only=True)
    education = serializers.CharField(source="applicant_education", read_only=True)
    major = serializers.CharField(source="applicant_major", read_only=True)
    phone = serializers.CharField(source="applicant_phone", read_only=True)
    email = serializers.CharField(source="applicant_email", read_only=True)
    work_unit = serializers.CharField(source="applicant_work_unit", read_only=True)
    address = serializers.CharField(source="applicant_address", read_only=True)


class ApplicationSerializer(serializers.ModelSerializer):
    """An application in a list."""

    lab_name = serializers.CharField(source="lab.name", read_only=True)
    applicant = ApplicationApplicantSerializer(source="*", read_only=True)
    fields = _field_codes(help_text="Codes of the certification fields applied for (L-05).")
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = LiaisonApplication
        fields = [
            "id",
            "lab",
            "lab_name",
            "applicant",
            "fields",
            "state",
            "state_display",
            "is_migration",
            "created_at",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    """An application with the recommendation form's entries and what the caller may do."""

    applicant = ApplicationApplicantDetailSerializer(source="*", read_only=True)
    qualification = serializers.SerializerMethodField(
        help_text="The qualification created by the hire, once hired."
    )
    actions = serializers.SerializerMethodField(
        help_text="The transitions the caller may take now (submit, accept, return, ...)."
    )

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "work_started_on",
            "work_history",
            "recommendation",
            "lab_signatory",
            "declaration_accepted",
            "reason",
            "legacy_qualification",
            "qualification",
            "actions",
        ]
        read_only_fields = fields

    def get_qualification(self, application: LiaisonApplication) -> int | None:
        try:
            return application.qualification.pk
        except LiaisonQualification.DoesNotExist:
            return None

    def get_actions(self, application: LiaisonApplication) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return permissions.actions_for(request.user, application)


class MaterialSerializer(serializers.ModelSerializer):
    """One of the five materials (L-02). The uploaded file name is not shown: it may carry an
    ID number (P-04)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationMaterial
        fields = [
            "id",
            "kind",
            "kind_display",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, material: ApplicationMaterial) -> str:
        # The download is a web view (it checks the scope again); reversed only when asked.
        try:
            path = reverse("liaisons:material_download", args=[material.pk])
        except NoReverseMatch:
            path = f"/liaisons/materials/{material.pk}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AssessmentEntrySerializer(serializers.ModelSerializer):
    """A row of the training assessment record (L-04)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AssessmentEntry
        fields = [
            "id",
            "application",
            "position",
            "kind",
            "kind_display",
            "field",
            "content",
            "evaluation",
            "signatory",
            "trained_on",
        ]
        read_only_fields = fields


class QualificationSerializer(serializers.ModelSerializer):
    applicant = ApplicantSerializer(source="person", read_only=True)
    lab_name = serializers.CharField(source="lab.name", read_only=True)
    fields = _field_codes(help_text="Codes of the certification fields held.")
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = LiaisonQualification
        fields = [
            "id",
            "applicant",
            "lab",
            "lab_name",
            "fields",
            "state",
            "state_display",
            "state_reason",
            "hired_on",
            "is_legacy",
            "migrated_at",
            "application",
        ]
        read_only_fields = fields


class DepartureSerializer(serializers.ModelSerializer):
    qualification_state = serializers.CharField(source="qualification.state", read_only=True)

    class Meta:
        model = Departure
        fields = [
            "id",
            "qualification",
            "qualification_state",
            "reason",
            "left_on",
            "outcome",
            "comment",
            "confirmed_at",
        ]
        read_only_fields = fields


class RosterEntrySerializer(serializers.ModelSerializer):
    """The public roster (L-11): name, employment number, lab, fields, state; no ID number."""

    name = serializers.CharField(source="person.name", read_only=True)
    employment_number = serializers.CharField(
        source="person.employment_number", read_only=True, allow_null=True
    )
    lab = serializers.CharField(source="lab.name", read_only=True)
    lab_id = serializers.IntegerField(read_only=True)
    fields = _field_codes()
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = LiaisonQualification
        fields = ["name", "employment_number", "lab", "lab_id", "fields", "state", "state_display"]
        read_only_fields = fields


class CoverageFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    covered = serializers.BooleanField()


class CoverageSerializer(serializers.Serializer):
    """L-06: every field of the lab's CQC business scope, covered by an active liaison or not."""

    lab = serializers.IntegerField()
    lab_name = serializers.CharField()
    fields = CoverageFieldSerializer(many=True)
    gaps = serializers.ListField(child=serializers.CharField(), help_text="Uncovered field codes.")


class ServiceErrorSerializer(serializers.Serializer):
    """What a refused request answers (400): every message, each with its code (a rule id such
    as L-02 where a rule failed), and the messages per input field where there are any."""

    detail = serializers.ListField(child=serializers.CharField())
    codes = serializers.ListField(child=serializers.CharField())
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


# --- input -------------------------------------------------------------------------------------


def _limit(model, field: str) -> int:
    """The model field's length limit: input is refused per field with 400 (issue 9)."""
    return field_limit(model, field)


class PersonDataSerializer(serializers.Serializer):
    """The applicant's tier (a) and (b) data as the lab fills it in (P-03); the services decide
    what may still change."""

    political_status = serializers.ChoiceField(
        choices=PoliticalStatus.choices, required=False, allow_blank=True
    )
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    major = serializers.CharField(
        required=False, allow_blank=True, max_length=_limit(Person, "major")
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=_limit(Person, "phone")
    )
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=_limit(Person, "email")
    )
    work_unit = serializers.CharField(
        required=False, allow_blank=True, max_length=_limit(Person, "work_unit")
    )
    address = serializers.CharField(
        required=False, allow_blank=True, max_length=_limit(Person, "address")
    )


class PersonDataUpdateSerializer(PersonDataSerializer):
    name = serializers.CharField(
        required=False, max_length=_limit(Person, "name"), validators=[validate_person_name]
    )


class _RecommendationInputSerializer(serializers.Serializer):
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=CertificationFieldCode.choices),
        required=False,
        help_text="Codes of the certification fields applied for (L-05).",
    )
    work_started_on = serializers.DateField(
        required=False, allow_null=True, validators=[validate_past_date]
    )
    # The limits of the recommendation form's boxes (issue 9).
    work_history = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=WORK_HISTORY_MAX_LENGTH,
        validators=[MaxLinesValidator(WORK_HISTORY_MAX_LINES)],
    )
    recommendation = serializers.CharField(
        required=False, allow_blank=True, max_length=RECOMMENDATION_MAX_LENGTH
    )
    lab_signatory = serializers.CharField(
        required=False, allow_blank=True, max_length=_limit(LiaisonApplication, "lab_signatory")
    )


class ApplicationStartSerializer(_RecommendationInputSerializer):
    lab = serializers.IntegerField(
        required=False, help_text="The lab applying; defaults to the caller's own lab."
    )
    # Room for the spaces people type into an ID number; the service checks the number itself.
    id_number = serializers.CharField(
        max_length=40, help_text="The applicant's resident ID number (P-01)."
    )
    name = serializers.CharField(
        max_length=_limit(Person, "name"), validators=[validate_person_name]
    )
    person_data = PersonDataSerializer(required=False)
    legacy_qualification = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="A legacy qualification this application migrates (L-13).",
    )


class ApplicationUpdateSerializer(_RecommendationInputSerializer):
    person_data = PersonDataUpdateSerializer(required=False)
    declaration_accepted = serializers.BooleanField(required=False)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX_LENGTH,
        help_text="Recorded with the step (L-07).",
    )


class HireChosenSerializer(CommentSerializer):
    applications = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=500,
        help_text="Ids of applications passed to the training centre, hired in one decision.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX_LENGTH,
        help_text="Required (L-07): a request without a reason is refused with 400.",
    )


class MaterialUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    file = serializers.FileField(
        allow_empty_file=True, help_text="PDF, JPEG or PNG, at most 10 MB (checked by content)."
    )


class AssessmentEntryUpdateSerializer(serializers.Serializer):
    evaluation = serializers.CharField(
        required=False, allow_blank=True, max_length=_limit(AssessmentEntry, "evaluation")
    )
    signatory = serializers.CharField(
        required=False, allow_blank=True, max_length=_limit(AssessmentEntry, "signatory")
    )
    trained_on = serializers.DateField(
        required=False, allow_null=True, validators=[validate_past_date]
    )
    content = serializers.CharField(
        required=False,
        max_length=TRAINING_CONTENT_MAX_LENGTH,
        help_text="Only a field's business training entry takes new content.",
    )


class DepartureRequestSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=DepartureReason.choices)
    left_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=DepartureOutcome.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH
    )
