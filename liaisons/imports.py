"""Reading the paper roster of legacy liaisons (L-13) from a CSV or XLSX file, with tablib.

The file is recognised by its content, not its name. Every cell comes out as text, so the
rows can wait in the session between the preview and the confirmation; checking what they say
is ``liaisons.services.legacy``'s work.
"""

import datetime
import io
import re

import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: A roster is a list of names: a few hundred kilobytes at most.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Rows per file: the preview lists every one of them.
MAX_ROWS = 5000

#: The columns, each with the headings it may carry (compared without case and spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id_number": ("ID number", "身份证号", "身份证号码", "id_number"),
    "name": ("Name", "姓名"),
    "lab": ("Lab", "Testing lab", "Lab USCC or name", "实验室", "检测机构", "签约检测机构"),
    "fields": ("Fields", "Certification fields", "认证领域", "领域"),
    "hired_on": ("Hired on", "聘用日期", "hired_on"),
}

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls


def _fold(text: str) -> str:
    return re.sub(r"[\s_]+", "", str(text or "")).casefold()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # A number typed into a spreadsheet cell; an ID number should be kept as text.
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The file is neither UTF-8 nor GB18030 text; save it as CSV (UTF-8) or XLSX."),
        code="import_encoding",
    )


def _dataset(data: bytes) -> tablib.Dataset:
    if data.startswith(_OLE):
        raise ValidationError(
            _("Old Excel files (.xls) are not read; save the file as XLSX or CSV."),
            code="import_format",
        )
    try:
        if data.startswith(_ZIP):
            return tablib.Dataset().load(io.BytesIO(data), format="xlsx")
        return tablib.Dataset().load(_decode(data), format="csv")
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - any unreadable file gets one clear message
        raise ValidationError(
            _("The file could not be read as CSV or XLSX (%(problem)s).")
            % {"problem": type(error).__name__},
            code="import_unreadable",
        ) from error


def read_legacy_rows(upload: UploadedFile) -> list[dict[str, str]]:
    """The rows of the file as ``{"row": number in the file, "id_number": ..., "name": ...,
    "lab": ..., "fields": ..., "hired_on": ...}``, every value text; empty rows skipped."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="import_empty")
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_BYTES)},
            code="import_too_large",
        )
    upload.seek(0)
    dataset = _dataset(upload.read())
    headings = {_fold(h): i for i, h in enumerate(dataset.headers or [])}
    positions, missing = {}, []
    for key, names in COLUMNS.items():
        found = next((headings[_fold(n)] for n in names if _fold(n) in headings), None)
        if found is None:
            missing.append(names[0])
        positions[key] = found
    if missing:
        raise ValidationError(
            _(
                "The first row must name the columns; missing: %(columns)s. Expected: ID "
                "number, Name, Lab (USCC or name), Fields, Hired on (or their Chinese names)."
            )
            % {"columns": ", ".join(missing)},
            code="import_columns",
        )
    rows = []
    # The heading is row 1 of the file, so the first data row is row 2.
    for number, values in enumerate(dataset, start=2):
        row = {key: _cell(values[index]) for key, index in positions.items()}
        if not any(row.values()):
            continue
        row["row"] = number
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(count)d rows; split it.") % {"count": MAX_ROWS},
                code="import_too_many_rows",
            )
    if not rows:
        raise ValidationError(_("The file holds no liaison."), code="import_no_rows")
    return rows
