"""The Django admin for every quality-role model, with search and filters; nothing is deleted,
and state fields change only through the services' transitions."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory.admin import NoDeleteMixin

from .models import (
    AccountabilityCase,
    AccountabilityMeasure,
    BodyGovernance,
    BodyStaff,
    Certificate,
    CertificationProject,
    CooperationProposal,
    DirectorAdvice,
    DirectorAppointment,
    DirectorAssessment,
    DirectorMeasure,
    ExternalLab,
    Filing,
    IncidentReport,
    LabCooperation,
    LabEvaluation,
    LeadAppointment,
    ProductCategory,
    RectificationOrder,
    SpotCheck,
)


class QualityRolesAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Read the state, never set it: the transitions are the services' (Q-01 ... Q-13)."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if any(f.name == "state" for f in self.model._meta.fields):
            fields.append("state")
        return fields


@admin.register(BodyGovernance)
class BodyGovernanceAdmin(QualityRolesAdmin):
    list_display = ("body", "legal_representative", "actual_controller", "updated_at")
    search_fields = ("body__name", "legal_representative__name", "actual_controller__name")
    list_filter = ("body__is_active",)
    raw_id_fields = ("body", "legal_representative", "actual_controller", "updated_by")


@admin.register(BodyStaff)
class BodyStaffAdmin(QualityRolesAdmin):
    list_display = (
        "person",
        "body",
        "position",
        "title_level",
        "is_top_management",
        "permissions_suspended_at",
        "left_on",
    )
    list_filter = ("title_level", "is_top_management", "is_quality_manager", "person__education")
    search_fields = ("person__name", "body__name", "position")
    raw_id_fields = ("body", "person", "created_by")
    list_select_related = ("person", "body")


@admin.register(ProductCategory)
class ProductCategoryAdmin(QualityRolesAdmin):
    list_display = ("code", "name", "body", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "body__name")
    raw_id_fields = ("body",)


@admin.register(CertificationProject)
class CertificationProjectAdmin(QualityRolesAdmin):
    list_display = ("code", "name", "body", "category", "state")
    list_filter = ("state",)
    search_fields = ("code", "name", "body__name")
    raw_id_fields = ("body", "category")


@admin.register(DirectorAppointment)
class DirectorAppointmentAdmin(QualityRolesAdmin):
    list_display = ("staff", "body", "state", "authoriser_capacity", "filed_on", "starts_on")
    list_filter = ("state", "authoriser_capacity")
    search_fields = ("staff__person__name", "body__name")
    raw_id_fields = (
        "body",
        "staff",
        "authoriser",
        "nominated_by",
        "authorised_recorded_by",
        "filed_by",
        "activated_by",
        "ended_by",
        "successor",
    )
    list_select_related = ("staff__person", "body")


@admin.register(LeadAppointment)
class LeadAppointmentAdmin(QualityRolesAdmin):
    list_display = ("staff", "body", "state", "starts_on", "ended_on")
    list_filter = ("state",)
    search_fields = ("staff__person__name", "body__name")
    raw_id_fields = (
        "body",
        "staff",
        "nominated_under",
        "nominated_by",
        "activated_by",
        "ended_by",
        "successor",
    )
    filter_horizontal = ("projects", "product_categories")
    list_select_related = ("staff__person", "body")


@admin.register(Filing)
class FilingAdmin(QualityRolesAdmin):
    list_display = ("appointment", "body", "kind", "changed_on", "due_on", "filed_on")
    list_filter = ("kind",)
    search_fields = ("appointment__staff__person__name", "body__name", "reference")
    readonly_fields = ("late_flagged_at",)
    raw_id_fields = ("body", "appointment", "filed_recorded_by", "created_by")


@admin.register(Certificate)
class CertificateAdmin(QualityRolesAdmin):
    list_display = ("number", "product", "body", "state", "responsible_lead", "expires_on")
    list_filter = ("state",)
    search_fields = ("=number", "product", "holder", "body__name")
    raw_id_fields = ("body", "project", "category", "responsible_lead")


@admin.register(IncidentReport)
class IncidentReportAdmin(QualityRolesAdmin):
    list_display = ("title", "body", "kind", "state", "learned_at", "due_at", "escalated_at")
    list_filter = ("kind", "state")
    search_fields = ("title", "body__name", "regulator_reference")
    raw_id_fields = (
        "body",
        "project",
        "certificate",
        "reported_by",
        "reporting_lead",
        "director",
    )


@admin.register(SpotCheck)
class SpotCheckAdmin(QualityRolesAdmin):
    list_display = ("project", "body", "checked_on", "issues_found")
    list_filter = ("issues_found",)
    search_fields = ("project__name", "body__name", "findings")
    raw_id_fields = ("body", "director", "project", "created_by")


@admin.register(RectificationOrder)
class RectificationOrderAdmin(QualityRolesAdmin):
    list_display = ("__str__", "body", "source", "state", "deadline", "owner")
    list_filter = ("source", "state")
    search_fields = ("body__name", "problem", "actions")
    raw_id_fields = (
        "body",
        "spot_check",
        "assessment",
        "issued_by_director",
        "project",
        "owner",
        "effectiveness_checked_by",
        "created_by",
    )


@admin.register(DirectorMeasure)
class DirectorMeasureAdmin(QualityRolesAdmin):
    list_display = ("kind", "body", "state", "taken_at", "lifted_at")
    list_filter = ("kind", "state")
    search_fields = ("body__name", "reason")
    raw_id_fields = ("body", "director", "project", "certificate", "taken_by", "lifted_by")


@admin.register(ExternalLab)
class ExternalLabAdmin(QualityRolesAdmin):
    list_display = ("name", "body", "uscc", "accreditation_number")
    list_filter = ("body__is_active",)
    search_fields = ("name", "uscc", "accreditation_number", "body__name")
    raw_id_fields = ("body",)


@admin.register(LabCooperation)
class LabCooperationAdmin(QualityRolesAdmin):
    list_display = ("lab", "project", "body", "state", "since")
    list_filter = ("state",)
    search_fields = ("lab__name", "project__name", "body__name")
    raw_id_fields = ("body", "lab", "project")


@admin.register(LabEvaluation)
class LabEvaluationAdmin(QualityRolesAdmin):
    list_display = ("cooperation", "lead", "evaluated_on", "result")
    list_filter = ("result",)
    search_fields = ("cooperation__lab__name", "findings")
    raw_id_fields = ("cooperation", "lead", "created_by")


@admin.register(CooperationProposal)
class CooperationProposalAdmin(QualityRolesAdmin):
    list_display = ("cooperation", "action", "state", "proposed_at", "decided_at")
    list_filter = ("action", "state")
    search_fields = ("cooperation__lab__name", "reason")
    raw_id_fields = (
        "cooperation",
        "evaluation",
        "lead",
        "proposing_director",
        "director",
        "decided_by",
    )


@admin.register(DirectorAdvice)
class DirectorAdviceAdmin(QualityRolesAdmin):
    list_display = ("subject", "body", "given_on", "state", "answer", "answered_on")
    list_filter = ("state", "answer")
    search_fields = ("subject", "text", "body__name")
    raw_id_fields = ("body", "director", "answer_recorded_by", "created_by")


@admin.register(AccountabilityCase)
class AccountabilityCaseAdmin(QualityRolesAdmin):
    list_display = ("staff", "body", "ground", "state", "opened_at", "permissions_restored_at")
    list_filter = ("ground", "state")
    search_fields = ("staff__person__name", "body__name", "description")
    raw_id_fields = (
        "body",
        "staff",
        "opened_by",
        "investigated_by",
        "closed_by",
        "duty_advice",
        "duty_incident",
        "duty_measure",
        "duty_spot_check",
        "duty_proposal",
    )


@admin.register(AccountabilityMeasure)
class AccountabilityMeasureAdmin(QualityRolesAdmin):
    list_display = ("case", "kind", "decided_on")
    list_filter = ("kind",)
    search_fields = ("case__staff__person__name", "detail")
    raw_id_fields = ("case", "decided_by")


@admin.register(DirectorAssessment)
class DirectorAssessmentAdmin(QualityRolesAdmin):
    list_display = ("director", "body", "assessed_on", "result", "published_at")
    list_filter = ("result",)
    search_fields = ("director__staff__person__name", "body__name", "findings")
    raw_id_fields = ("body", "director", "inspector")
