"""The certificate list as a download: CSV and XLSX through django-import-export.

Every cell passes through ``cqcportal.spreadsheets.spreadsheet_cell``, so no text a body
imported or typed (a product's name, a holder) is a live formula in a spreadsheet.
"""

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field
from import_export.widgets import DateWidget

from cqcportal.spreadsheets import spreadsheet_cell

from .coverage import is_uncovered
from .models import Certificate

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def format_available(fmt: str) -> bool:
    """XLSX needs openpyxl (``tablib[xlsx]``); CSV is always there."""
    try:
        tablib.formats.registry.get_format(fmt)
    except tablib.UnsupportedFormat:
        return False
    return fmt in FORMATS


class CertificateResource(resources.ModelResource):
    number = Field(attribute="number", column_name=gettext_lazy("Certificate number"))
    body = Field(attribute="body__name", column_name=gettext_lazy("Certification body"))
    product = Field(attribute="product", column_name=gettext_lazy("Product"))
    holder = Field(attribute="holder", column_name=gettext_lazy("Certificate holder"))
    project = Field(column_name=gettext_lazy("Certification project"))
    category = Field(column_name=gettext_lazy("Product category"))
    state = Field(column_name=gettext_lazy("State"))
    lead = Field(column_name=gettext_lazy("Responsible lead"))
    coverage = Field(column_name=gettext_lazy("Coverage (Q-05)"))
    issued_on = Field(
        attribute="issued_on", column_name=gettext_lazy("Issued on"), widget=DateWidget("%Y-%m-%d")
    )
    expires_on = Field(
        attribute="expires_on",
        column_name=gettext_lazy("Expires on"),
        widget=DateWidget("%Y-%m-%d"),
    )

    class Meta:
        model = Certificate
        fields = (
            "number",
            "body",
            "product",
            "holder",
            "project",
            "category",
            "state",
            "lead",
            "coverage",
            "issued_on",
            "expires_on",
        )
        export_order = fields
        chunk_size = 2000

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_cell(super().export_field(field, instance, **kwargs))

    def dehydrate_project(self, certificate: Certificate) -> str:
        return str(certificate.project) if certificate.project_id else ""

    def dehydrate_category(self, certificate: Certificate) -> str:
        return str(certificate.category) if certificate.category_id else ""

    def dehydrate_state(self, certificate: Certificate) -> str:
        return str(certificate.get_state_display())

    def dehydrate_lead(self, certificate: Certificate) -> str:
        lead = certificate.responsible_lead
        return lead.staff.person.name if lead is not None else ""

    def dehydrate_coverage(self, certificate: Certificate) -> str:
        return _("uncovered") if is_uncovered(certificate) else _("covered")


def export_certificates(certificates, fmt: str) -> bytes:
    """The given certificates as a file of format ``fmt`` (``csv`` or ``xlsx``)."""
    queryset = certificates.select_related(
        "body", "project", "category", "responsible_lead__staff__person"
    ).order_by("number", "pk")
    dataset = CertificateResource().export(queryset=queryset)
    if fmt == "csv":
        # With a byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export(fmt)
