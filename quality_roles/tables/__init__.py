"""What the quality roles' lists show and export, a module per part: a django-filter
``FilterSet`` and a django-import-export resource for each list. Every exported cell passes
through ``cqcportal.spreadsheets.spreadsheet_cell`` (no live formula, issue 9)."""

import tablib
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.widgets import DateTimeWidget, DateWidget

from cqcportal.spreadsheets import spreadsheet_cell
from directory.models import CertificationBody
from directory.selectors import body_list

#: The formats offered, with their content types.
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WHEN = DateTimeWidget("%Y-%m-%d %H:%M")
DAY = DateWidget("%Y-%m-%d")
#: Rows of an export, read a chunk at a time.
CHUNK = 2000
#: The longest search text a list takes.
SEARCH_MAX_LENGTH = 100


def format_available(fmt: str) -> bool:
    """XLSX needs openpyxl (``tablib[xlsx]``); CSV is always there."""
    try:
        tablib.formats.registry.get_format(fmt)
    except tablib.UnsupportedFormat:
        return False
    return fmt in FORMATS


def export_file(resource: resources.Resource, queryset, fmt: str) -> bytes:
    dataset = resource.export(queryset=queryset)
    if fmt == "csv":
        # With a byte-order mark, so spreadsheet programs read the Chinese as UTF-8.
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export(fmt)


class SafeResource(resources.ModelResource):
    """A resource whose every cell is safe in a spreadsheet (issue 9)."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_cell(super().export_field(field, instance, **kwargs))


def bodies_in_scope(request) -> "list[CertificationBody]":
    """The bodies a filter offers: those of the user's scope."""
    return body_list(user=request.user).select_related(None).only("id", "name").order_by("name")


def search(queryset, value: str, *fields: str):
    value = (value or "").strip()[:SEARCH_MAX_LENGTH]
    if not value:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return queryset.filter(condition)


ANY_STATE = _("Any state")
