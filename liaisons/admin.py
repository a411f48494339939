"""The liaison capability in the admin: read and search everything, delete nothing."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory.admin import NoDeleteMixin

from .models import (
    ApplicationMaterial,
    AssessmentEntry,
    ChangeRequest,
    CoverageGap,
    Departure,
    Evaluation,
    EvaluationDecision,
    LiaisonApplication,
    LiaisonDocument,
    LiaisonQualification,
    NoticeSent,
    TrainingEnrolment,
    TrainingSession,
)


class ReadOnlyStateMixin:
    """States change through the services only (L-07), never by editing the row."""

    readonly_fields = ("state",)


@admin.register(LiaisonApplication)
class LiaisonApplicationAdmin(NoDeleteMixin, ReadOnlyStateMixin, SimpleHistoryAdmin):
    list_display = ("person", "lab", "state", "submitted_at", "is_migration")
    list_filter = ("state", "is_migration", "lab__branch")
    search_fields = ("person__name", "person__employment_number", "lab__name")
    list_select_related = ("person", "lab")
    raw_id_fields = ("person", "lab", "created_by", "legacy_qualification")


@admin.register(LiaisonQualification)
class LiaisonQualificationAdmin(NoDeleteMixin, ReadOnlyStateMixin, SimpleHistoryAdmin):
    list_display = ("person", "lab", "state", "hired_on", "is_legacy", "migrated_at")
    list_filter = ("state", "is_legacy", "lab__branch")
    search_fields = ("person__name", "person__employment_number", "lab__name")
    list_select_related = ("person", "lab")
    raw_id_fields = ("person", "lab", "application")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(NoDeleteMixin, ReadOnlyStateMixin, SimpleHistoryAdmin):
    list_display = ("person", "tier", "state", "branch", "requested_at")
    list_filter = ("tier", "state", "branch")
    search_fields = ("person__name", "person__employment_number")
    raw_id_fields = ("person", "qualification", "requested_by")


@admin.register(ApplicationMaterial)
class ApplicationMaterialAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("application", "kind", "content_type", "size", "uploaded_at")
    list_filter = ("kind", "content_type")
    search_fields = ("application__person__name",)
    raw_id_fields = ("application", "uploaded_by")


@admin.register(LiaisonDocument)
class LiaisonDocumentAdmin(admin.ModelAdmin):
    """The printed forms are derived from the records: read-only here (printed again by
    ``liaisons.services.documents`` whenever their data change)."""

    list_display = ("application", "kind", "full_id_number", "size", "generated_at")
    list_filter = ("kind", "full_id_number")
    search_fields = ("application__person__name",)
    raw_id_fields = ("application", "qualification")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentEntry)
class AssessmentEntryAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("application", "position", "kind", "field", "signatory")
    list_filter = ("kind", "field")
    search_fields = ("application__person__name", "content")
    raw_id_fields = ("application",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("title", "mode", "starts_on", "ends_on")
    list_filter = ("mode",)
    search_fields = ("title",)


@admin.register(TrainingEnrolment)
class TrainingEnrolmentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("person", "session", "result")
    list_filter = ("result",)
    search_fields = ("person__name", "session__title")
    raw_id_fields = ("person", "session")


@admin.register(Evaluation)
class EvaluationAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("qualification", "rating", "department", "branch", "evaluated_at")
    list_filter = ("rating",)
    search_fields = ("qualification__person__name",)
    raw_id_fields = ("qualification",)


@admin.register(EvaluationDecision)
class EvaluationDecisionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("qualification", "decision", "decided_at")
    list_filter = ("decision",)
    search_fields = ("qualification__person__name",)
    raw_id_fields = ("qualification",)


@admin.register(Departure)
class DepartureAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("qualification", "reason", "outcome", "left_on")
    list_filter = ("reason", "outcome")
    search_fields = ("qualification__person__name",)
    raw_id_fields = ("qualification",)


@admin.register(CoverageGap)
class CoverageGapAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("lab", "field", "opened_at", "closed_at")
    list_filter = ("field",)
    search_fields = ("lab__name",)
    raw_id_fields = ("lab",)


@admin.register(NoticeSent)
class NoticeSentAdmin(admin.ModelAdmin):
    """Read-only: which messages of an application's notices went out (issue 11)."""

    list_display = ("application", "event", "part", "sent_at")
    list_filter = ("event",)
    search_fields = ("application__applicant_name",)
    raw_id_fields = ("application",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
