"""What the quality roles' API shows: the key roles by the person's name only, no personal
data beyond it (Q-13)."""

from rest_framework import serializers

from directory.models import CertificationBody

from ..models import DirectorAppointment, DirectorAssessment, LeadAppointment


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = CertificationBody
        fields = ["id", "name", "uscc", "approval_number", "is_active"]


class DirectorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="staff.person.name", read_only=True)

    class Meta:
        model = DirectorAppointment
        fields = [
            "id",
            "body",
            "name",
            "state",
            "authorised_on",
            "filed_on",
            "starts_on",
            "ended_on",
        ]


class LeadSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="staff.person.name", read_only=True)
    director = serializers.PrimaryKeyRelatedField(source="nominated_under", read_only=True)
    projects = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    product_categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = LeadAppointment
        fields = [
            "id",
            "body",
            "name",
            "state",
            "director",
            "projects",
            "product_categories",
            "starts_on",
            "ended_on",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    director_name = serializers.CharField(source="director.staff.person.name", read_only=True)
    rectification_states = serializers.SerializerMethodField()

    class Meta:
        model = DirectorAssessment
        fields = [
            "id",
            "body",
            "director",
            "director_name",
            "assessed_on",
            "result",
            "findings",
            "published_at",
            "rectification_states",
        ]

    def get_rectification_states(self, assessment) -> list[str]:
        """Q-13: where the rectification a failed assessment opened stands."""
        return [order.state for order in assessment.rectification_orders.all()]
