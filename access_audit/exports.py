"""The login-right list as a download: CSV and XLSX through django-import-export.

Every cell passes through ``cqcportal.spreadsheets.spreadsheet_cell``, so no text from the
business system or a user is a live formula in a spreadsheet (issue 9); the ID number is
masked, as in every list (P-04).
"""

from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.widgets import DateTimeWidget, DateWidget

from cqcportal.spreadsheets import spreadsheet_cell
from directory.idnumbers import mask_id_number
from liaisons.exports import FORMATS, format_available

from .models import LoginRight, LoginRightRequest

__all__ = ["FORMATS", "export_requests", "export_rights", "format_available"]

_WHEN = DateTimeWidget("%Y-%m-%d %H:%M")


class LoginRightResource(resources.ModelResource):
    username = Field(attribute="username", column_name=_("Business-system username"))
    id_number = Field(column_name=_("ID number"))
    name = Field(attribute="name", column_name=_("Name in the business system"))
    person = Field(attribute="person__name", column_name=_("Person"))
    lab = Field(attribute="lab__name", column_name=_("Testing lab"))
    branch = Field(attribute="lab__branch__name", column_name=_("Branch centre"))
    last_login_on = Field(
        attribute="last_login_on", column_name=_("Last login"), widget=DateWidget("%Y-%m-%d")
    )
    state = Field(column_name=_("State"))
    rule = Field(attribute="rule", column_name=_("Rule"))
    reason = Field(attribute="revoke_reason", column_name=_("Reason"))
    granted_at = Field(attribute="granted_at", column_name=_("Granted at"), widget=_WHEN)
    suspended_at = Field(attribute="suspended_at", column_name=_("Suspended at"), widget=_WHEN)
    revoked_at = Field(attribute="revoked_at", column_name=_("Revoked at"), widget=_WHEN)
    imported_at = Field(attribute="imported_at", column_name=_("Imported at"), widget=_WHEN)

    class Meta:
        model = LoginRight
        fields = (
            "username",
            "id_number",
            "name",
            "person",
            "lab",
            "branch",
            "last_login_on",
            "state",
            "rule",
            "reason",
            "granted_at",
            "suspended_at",
            "revoked_at",
            "imported_at",
        )
        export_order = fields
        chunk_size = 2000

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_cell(super().export_field(field, instance, **kwargs))

    def dehydrate_id_number(self, right: LoginRight) -> str:
        return mask_id_number(right.id_number) if right.id_number else ""

    def dehydrate_state(self, right: LoginRight) -> str:
        return str(right.get_state_display())


class LoginRightRequestResource(resources.ModelResource):
    person = Field(attribute="person__name", column_name=_("Person"))
    lab = Field(attribute="lab__name", column_name=_("Testing lab"))
    username = Field(attribute="username", column_name=_("Business-system username"))
    state = Field(column_name=_("State"))
    submitted_at = Field(attribute="submitted_at", column_name=_("Submitted at"), widget=_WHEN)
    accepted_at = Field(attribute="accepted_at", column_name=_("Accepted at"), widget=_WHEN)
    decided_at = Field(attribute="decided_at", column_name=_("Decided at"), widget=_WHEN)
    decision_comment = Field(attribute="decision_comment", column_name=_("Decision"))

    class Meta:
        model = LoginRightRequest
        fields = (
            "person",
            "lab",
            "username",
            "state",
            "submitted_at",
            "accepted_at",
            "decided_at",
            "decision_comment",
        )
        export_order = fields
        chunk_size = 2000

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_cell(super().export_field(field, instance, **kwargs))

    def dehydrate_state(self, request: LoginRightRequest) -> str:
        return str(request.get_state_display())


def _file(dataset, fmt: str) -> bytes:
    if fmt == "csv":
        # With a byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export(fmt)


def export_rights(rights, fmt: str) -> bytes:
    """The given rights as a file of format ``fmt`` (``csv`` or ``xlsx``)."""
    queryset = rights.select_related("person", "lab__branch").order_by("username", "pk")
    return _file(LoginRightResource().export(queryset=queryset), fmt)


def export_requests(requests, fmt: str) -> bytes:
    queryset = requests.select_related("person", "lab").order_by("-submitted_at", "-pk")
    return _file(LoginRightRequestResource().export(queryset=queryset), fmt)
