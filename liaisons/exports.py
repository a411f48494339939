"""The roster (L-11) as a download: CSV and XLSX through django-import-export.

Every cell passes through ``cqcportal.spreadsheets.spreadsheet_cell``, so no text a user typed
is a live formula in a spreadsheet (issue 9).

The columns are those of the public roster plus the branch centre and the hire date; the ID
number is never among them (P-04).
"""

import tablib
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.widgets import DateWidget

from cqcportal.spreadsheets import spreadsheet_cell
from directory.models import CertificationField

from .models import LiaisonQualification

#: The formats offered, with their content types.
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class RosterResource(resources.ModelResource):
    name = Field(attribute="person__name", column_name=_("Full name"))
    employment_number = Field(
        attribute="person__employment_number", column_name=_("Employment number")
    )
    lab = Field(attribute="lab__name", column_name=_("Testing lab"))
    branch = Field(attribute="lab__branch__name", column_name=_("Branch centre"))
    fields = Field(column_name=_("Certification fields"))
    state = Field(column_name=_("State"))
    hired_on = Field(attribute="hired_on", column_name=_("Hired on"), widget=DateWidget("%Y-%m-%d"))

    class Meta:
        model = LiaisonQualification
        fields = ("name", "employment_number", "lab", "branch", "fields", "state", "hired_on")
        export_order = fields
        chunk_size = 2000

    def export_field(self, field, instance, **kwargs):
        # Names, labs and branches are typed by people: never a live formula (issue 9).
        return spreadsheet_cell(super().export_field(field, instance, **kwargs))

    def dehydrate_fields(self, qualification: LiaisonQualification) -> str:
        # Prefetched and ordered by position in ``roster_queryset``.
        return ", ".join(str(field) for field in qualification.fields.all())

    def dehydrate_state(self, qualification: LiaisonQualification) -> str:
        return str(qualification.get_state_display())


def roster_queryset(entries):
    """The rows of an export: a few queries per 2,000 rows, whatever the size."""
    return (
        entries.select_related("person", "lab__branch")
        .only(
            "id",
            "state",
            "hired_on",
            "person__name",
            "person__employment_number",
            "lab__name",
            "lab__branch__name",
        )
        .prefetch_related(
            Prefetch("fields", queryset=CertificationField.objects.order_by("position"))
        )
    )


def format_available(fmt: str) -> bool:
    """XLSX needs openpyxl (``tablib[xlsx]``); CSV is always there."""
    try:
        tablib.formats.registry.get_format(fmt)
    except tablib.UnsupportedFormat:
        return False
    return fmt in FORMATS


def export_roster(entries, fmt: str) -> bytes:
    """The given roster entries as a file of format ``fmt`` (``csv`` or ``xlsx``)."""
    dataset = RosterResource().export(queryset=roster_queryset(entries))
    if fmt == "csv":
        # With a byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export(fmt)
