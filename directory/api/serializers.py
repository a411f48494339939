from rest_framework import serializers

from ..models import BranchCentre, CertificationBody, Person, TestingLab
from ..permissions import can_view_full_id_number


class BranchCentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = BranchCentre
        fields = ["id", "code", "name", "email", "is_active"]


class TestingLabSerializer(serializers.ModelSerializer):
    business_scope = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = TestingLab
        fields = ["id", "name", "uscc", "branch", "business_scope", "email", "is_active"]


class CertificationBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = CertificationBody
        fields = ["id", "name", "uscc", "approval_number", "email", "is_active"]


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(
        help_text="Masked (110105********002X) unless the caller may see it in full (P-04)."
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "employment_number",
            "lab",
            "body",
            "education",
            "major",
            "political_status",
            "phone",
            "email",
            "work_unit",
            "address",
        ]

    def get_id_number(self, person: Person) -> str:
        request = self.context.get("request")
        if self.context.get("mask_id_numbers"):
            return person.masked_id_number
        if request is not None and can_view_full_id_number(request.user, person):
            return person.id_number
        return person.masked_id_number


class PersonIdNumberSearchSerializer(serializers.Serializer):
    """In the body of a POST: never in a URL (P-04)."""

    id_number = serializers.CharField(max_length=40)

    def validate_id_number(self, value: str) -> str:
        # Only a well-formed number is searched; anything else is refused, not "nobody".
        from django.core.exceptions import ValidationError as DjangoValidationError

        from ..idnumbers import validate_id_number

        try:
            return validate_id_number(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class PersonSelfMaintainedSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)
    work_unit = serializers.CharField(max_length=200, allow_blank=True, required=False)
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)
