"""Reading a list a user uploads (CSV or XLSX) into rows of text, one definition for every
import of the portal (the business system's account list, a body's certificate list).

The file is recognised by its content, not its name, and read within limits a hostile file
cannot get round: its size, its rows, its columns, each cell's length, and for an XLSX (a zip)
the size its parts unpack to. Every cell comes out as text, so the rows can wait in the
session between the preview and the confirmation. What each column means is the importing
app's (a django-import-export resource of its own).
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass(frozen=True)
class TableSpec:
    """One kind of list: its columns (each with the headings it may carry) and its limits.
    The messages are the list's own words (lazy translations)."""

    columns: dict[str, tuple[str, ...]]
    #: "The first row must name the columns (%(problems)s). Expected: ..."
    columns_message: str
    #: "The file holds no account."
    no_rows_message: str
    #: "The file has more than %(count)d accounts; import it in parts."
    too_many_rows_message: str
    #: Rows per file: the preview and the import each check every one within one request.
    max_rows: int = 5_000
    max_file_bytes: int = 5 * 1024 * 1024
    #: What an XLSX file may unpack to: a zip of a few megabytes can hold gigabytes of XML.
    max_unpacked_bytes: int = 60 * 1024 * 1024
    max_columns: int = 30
    max_cell_length: int = 400

    @cached_property
    def headings(self) -> dict[str, str]:
        return {fold(name): key for key, names in self.columns.items() for name in (key, *names)}


def fold(text) -> str:
    """A heading or a state as compared: without case, spaces and underscores."""
    return re.sub(r"[\s_]+", "", str(text or "")).casefold()


def _cell(value, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # A number typed into a spreadsheet cell (an ID or certificate number): kept as text.
        return str(int(value))
    # One character past the limit: enough for the cell's widget to say it is too long.
    return str(value).strip()[: limit + 1]


def _problem(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise _problem(
            _("The file is not text; save it as CSV (UTF-8) or XLSX."), "import_not_text"
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _problem(
        _("The file is neither UTF-8 nor GB18030 text; save it as CSV (UTF-8) or XLSX."),
        "import_encoding",
    )


def _csv_rows(data: bytes):
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        yield from reader
    except csv.Error as error:
        raise _problem(
            _(
                "The CSV file could not be read at line %(line)d; a cell may be far too long or "
                "a quotation mark unclosed."
            )
            % {"line": reader.line_num},
            "import_unreadable",
        ) from error


def _xlsx_rows(data: bytes, spec: "TableSpec"):
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise _problem(_("The XLSX file is damaged."), "import_unreadable") from error
    if unpacked > spec.max_unpacked_bytes:
        raise _problem(
            _("The XLSX file unpacks to %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(spec.max_unpacked_bytes)},
            "import_too_large",
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable workbook gets one message
        raise _problem(
            _("The file could not be read as XLSX (%(problem)s).")
            % {"problem": type(error).__name__},
            "import_unreadable",
        ) from error
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return
        yield from sheet.iter_rows(max_col=spec.max_columns, values_only=True)
    except Exception as error:  # noqa: BLE001 - a sheet that breaks part-way, same message
        raise _problem(
            _("The file could not be read as XLSX (%(problem)s).")
            % {"problem": type(error).__name__},
            "import_unreadable",
        ) from error
    finally:
        book.close()


def _table(data: bytes, spec: "TableSpec"):
    if data.startswith(_OLE):
        raise _problem(
            _("Old Excel files (.xls) are not read; save the file as XLSX or CSV."),
            "import_format",
        )
    return _xlsx_rows(data, spec) if data.startswith(_ZIP) else _csv_rows(data)


def _positions(headings, spec: "TableSpec") -> dict[str, int]:
    """Where each column is; a ``ValidationError`` naming the missing or repeated ones."""
    positions: dict[str, int] = {}
    repeated = []
    for index, heading in enumerate(headings[: spec.max_columns]):
        key = spec.headings.get(fold(_cell(heading, spec.max_cell_length)))
        if key is None:
            continue
        if key in positions:
            repeated.append(_cell(heading, spec.max_cell_length)[:40])
        positions[key] = index
    missing = [names[0] for key, names in spec.columns.items() if key not in positions]
    if missing or repeated:
        problems = []
        if missing:
            problems.append(_("missing: %(columns)s") % {"columns": ", ".join(missing)})
        if repeated:
            problems.append(_("given twice: %(columns)s") % {"columns": ", ".join(repeated)})
        raise _problem(
            str(spec.columns_message) % {"problems": "; ".join(problems)}, "import_columns"
        )
    return positions


def read_rows(upload: UploadedFile, spec: "TableSpec") -> list[dict[str, str]]:
    """The rows of the file as ``{"row": number in the file, <column>: text, ...}``, empty
    rows skipped. A ``ValidationError`` with one clear message for a file that cannot be read
    at all (its size, its format, its columns, its number of rows)."""
    size = upload.size or 0
    if size == 0:
        raise _problem(_("The file is empty."), "import_empty")
    if size > spec.max_file_bytes:
        raise _problem(
            _("The file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(spec.max_file_bytes)},
            "import_too_large",
        )
    upload.seek(0)
    table = iter(_table(upload.read(spec.max_file_bytes + 1), spec))
    headings = next(table, None)
    if not headings:
        raise _problem(str(spec.no_rows_message), "import_no_rows")
    positions = _positions(list(headings), spec)
    rows = []
    # The heading is row 1 of the file, so the first data row is row 2.
    for number, values in enumerate(table, start=2):
        values = list(values[: spec.max_columns])
        row = {
            key: _cell(values[index], spec.max_cell_length) if index < len(values) else ""
            for key, index in positions.items()
        }
        if not any(row.values()):
            continue
        if len(rows) == spec.max_rows:
            raise _problem(
                str(spec.too_many_rows_message) % {"count": spec.max_rows},
                "import_too_many_rows",
            )
        row["row"] = number
        rows.append(row)
    if not rows:
        raise _problem(str(spec.no_rows_message), "import_no_rows")
    return rows
