"""The advice, case and assessment lists as downloads: CSV and XLSX through
django-import-export, every cell through ``cqcportal.spreadsheets.spreadsheet_cell`` so no
text is a live formula in a spreadsheet (issue 9)."""

import tablib
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.widgets import DateTimeWidget, DateWidget

from cqcportal.spreadsheets import spreadsheet_cell

from .models import AccountabilityCase, DirectorAdvice, DirectorAssessment

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_DAY = DateWidget("%Y-%m-%d")
_WHEN = DateTimeWidget("%Y-%m-%d %H:%M")


def format_available(fmt: str) -> bool:
    """XLSX needs openpyxl (``tablib[xlsx]``); CSV is always there."""
    try:
        tablib.formats.registry.get_format(fmt)
    except tablib.UnsupportedFormat:
        return False
    return fmt in FORMATS


class _SafeResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return spreadsheet_cell(super().export_field(field, instance, **kwargs))


class AdviceResource(_SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    director = Field(attribute="director__staff__person__name", column_name=_("Quality director"))
    subject = Field(attribute="subject", column_name=_("Subject"))
    given_on = Field(attribute="given_on", column_name=_("Given on"), widget=_DAY)
    state = Field(column_name=_("State"))
    answer = Field(column_name=_("Answer"))
    answered_on = Field(attribute="answered_on", column_name=_("Answered on"), widget=_DAY)
    rejection_reason = Field(
        attribute="rejection_reason", column_name=_("Reason for the rejection")
    )
    duty_done = Field(column_name=_("Duty done (Q-11)"))

    class Meta:
        model = DirectorAdvice
        fields = (
            "body",
            "director",
            "subject",
            "given_on",
            "state",
            "answer",
            "answered_on",
            "rejection_reason",
            "duty_done",
        )
        export_order = fields

    def dehydrate_state(self, advice):
        return str(advice.get_state_display())

    def dehydrate_answer(self, advice):
        return str(advice.get_answer_display()) if advice.answer else ""

    def dehydrate_duty_done(self, advice):
        return str(_("yes")) if advice.duty_deemed_done else ""


class CaseResource(_SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    person = Field(attribute="staff__person__name", column_name=_("Person concerned"))
    ground = Field(column_name=_("Ground"))
    state = Field(column_name=_("State"))
    opened_at = Field(attribute="opened_at", column_name=_("Opened at"), widget=_WHEN)
    measures = Field(column_name=_("Measures"))
    closed_at = Field(attribute="closed_at", column_name=_("Closed at"), widget=_WHEN)
    restored = Field(
        attribute="permissions_restored_at",
        column_name=_("Permissions restored at"),
        widget=_WHEN,
    )

    class Meta:
        model = AccountabilityCase
        fields = ("body", "person", "ground", "state", "opened_at", "measures", "closed_at")
        fields = (*fields, "restored")
        export_order = fields

    def dehydrate_ground(self, case):
        return str(case.get_ground_display())

    def dehydrate_state(self, case):
        return str(case.get_state_display())

    def dehydrate_measures(self, case):
        return ", ".join(str(m.get_kind_display()) for m in case.measures.all())


class AssessmentResource(_SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    director = Field(attribute="director__staff__person__name", column_name=_("Quality director"))
    assessed_on = Field(attribute="assessed_on", column_name=_("Assessed on"), widget=_DAY)
    result = Field(column_name=_("Result"))
    findings = Field(attribute="findings", column_name=_("Findings"))
    published_at = Field(attribute="published_at", column_name=_("Published at"), widget=_WHEN)

    class Meta:
        model = DirectorAssessment
        fields = ("body", "director", "assessed_on", "result", "findings", "published_at")
        export_order = fields

    def dehydrate_result(self, assessment):
        return str(assessment.get_result_display())


RESOURCES = {
    "advice": AdviceResource,
    "cases": CaseResource,
    "assessments": AssessmentResource,
}


def export(kind: str, queryset, fmt: str) -> bytes:
    """The rows of ``queryset`` as a file of format ``fmt`` (``csv`` or ``xlsx``)."""
    dataset = RESOURCES[kind]().export(queryset=queryset)
    if fmt == "csv":
        # With a byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export(fmt)
