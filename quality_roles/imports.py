"""Reading a body's certificate list (CSV or XLSX) and what each of its cells says (Q-05).

The file is read as ``access_audit.imports`` reads the business system's account list (the
two apps do not import each other, so the reading is repeated here): recognised by its
content, within limits a hostile file cannot get round (size, rows, columns, cell length, and
what an XLSX unpacks to), every cell as text so the rows can wait in the session between the
preview and the confirmation.

The columns: certificate number, product, project or category (the code of one of the body's
certification projects, else of one of its product categories), state, and the responsible
lead, named by the resident ID number of the person holding the lead appointment (P-01): the
one identifier a body's list and the portal share for sure (names repeat, and body staff have
no employment number). An empty lead cell imports the certificate without a lead: it is
uncovered at once (Q-05). What each column means is said once, by a django-import-export
resource (``CertificateListResource``); checking rows against the portal's records and
writing them is ``quality_roles.services.imports``'s work.
"""

import csv
import datetime
import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.widgets import CharWidget, Widget

from directory.idnumbers import validate_id_number

from .constants import (
    CERTIFICATE_NUMBER_MAX_LENGTH,
    CODE_MAX_LENGTH,
    PRODUCT_MAX_LENGTH,
    CertificateState,
)

#: A list of a few thousand certificates is a few hundred kilobytes.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: What an XLSX file may unpack to: a zip of a few megabytes can hold gigabytes of XML.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
#: Rows per file, as for the account list: the preview and the import each check every row
#: within one request; a larger list is imported in parts, each all or nothing.
MAX_ROWS = 5_000
MAX_COLUMNS = 30
MAX_CELL_LENGTH = 400

#: The columns, each with the headings it may carry (compared without case, spaces and _).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("Certificate number", "Number", "证书编号", "证书号"),
    "product": ("Product", "产品", "产品名称", "认证产品"),
    "project": (
        "Project or category",
        "Project",
        "Category",
        "认证项目",
        "产品类别",
        "认证项目或产品类别",
    ),
    "state": ("State", "状态", "证书状态"),
    "lead": (
        "Responsible lead",
        "Lead ID number",
        "Responsible lead ID number",
        "项目质量负责人",
        "质量负责人身份证号",
        "项目质量负责人身份证号",
    ),
}


def _fold(text) -> str:
    return re.sub(r"[\s_]+", "", str(text or "")).casefold()


_HEADINGS = {_fold(name): key for key, names in COLUMNS.items() for name in (key, *names)}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # A number typed into a spreadsheet cell; a certificate number is kept as text.
        return str(int(value))
    return str(value).strip()[: MAX_CELL_LENGTH + 1]


def _problem(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls


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


def _xlsx_rows(data: bytes):
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise _problem(_("The XLSX file is damaged."), "import_unreadable") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise _problem(
            _("The XLSX file unpacks to %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(MAX_UNPACKED_BYTES)},
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
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except Exception as error:  # noqa: BLE001 - a sheet that breaks part-way, same message
        raise _problem(
            _("The file could not be read as XLSX (%(problem)s).")
            % {"problem": type(error).__name__},
            "import_unreadable",
        ) from error
    finally:
        book.close()


def _table(data: bytes):
    if data.startswith(_OLE):
        raise _problem(
            _("Old Excel files (.xls) are not read; save the file as XLSX or CSV."),
            "import_format",
        )
    return _xlsx_rows(data) if data.startswith(_ZIP) else _csv_rows(data)


def _positions(headings) -> dict[str, int]:
    """Where each column is; a ``ValidationError`` naming the missing or repeated ones."""
    positions: dict[str, int] = {}
    repeated = []
    for index, heading in enumerate(headings[:MAX_COLUMNS]):
        key = _HEADINGS.get(_fold(_cell(heading)))
        if key is None:
            continue
        if key in positions:
            repeated.append(_cell(heading)[:40])
        positions[key] = index
    missing = [names[0] for key, names in COLUMNS.items() if key not in positions]
    if missing or repeated:
        problems = []
        if missing:
            problems.append(_("missing: %(columns)s") % {"columns": ", ".join(missing)})
        if repeated:
            problems.append(_("given twice: %(columns)s") % {"columns": ", ".join(repeated)})
        raise _problem(
            _(
                "The first row must name the columns (%(problems)s). Expected: Certificate "
                "number, Product, Project or category, State, Responsible lead (or their "
                "Chinese names)."
            )
            % {"problems": "; ".join(problems)},
            "import_columns",
        )
    return positions


def read_certificate_rows(upload: UploadedFile) -> list[dict[str, str]]:
    """The rows of the file as ``{"row": number in the file, "number": ..., "product": ...,
    "project": ..., "state": ..., "lead": ...}``, every value text; empty rows skipped. A
    ``ValidationError`` with one clear message for a file that cannot be read at all."""
    size = upload.size or 0
    if size == 0:
        raise _problem(_("The file is empty."), "import_empty")
    if size > MAX_FILE_BYTES:
        raise _problem(
            _("The file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_BYTES)},
            "import_too_large",
        )
    upload.seek(0)
    table = iter(_table(upload.read(MAX_FILE_BYTES + 1)))
    headings = next(table, None)
    if not headings:
        raise _problem(_("The file holds no certificate."), "import_no_rows")
    positions = _positions(list(headings))
    rows = []
    # The heading is row 1 of the file, so the first data row is row 2.
    for number, values in enumerate(table, start=2):
        values = list(values[:MAX_COLUMNS])
        row = {
            key: _cell(values[index]) if index < len(values) else ""
            for key, index in positions.items()
        }
        if not any(row.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise _problem(
                _("The file has more than %(count)d certificates; import it in parts.")
                % {"count": MAX_ROWS},
                "import_too_many_rows",
            )
        row["row"] = number
        rows.append(row)
    if not rows:
        raise _problem(_("The file holds no certificate."), "import_no_rows")
    return rows


# --- what each cell says (django-import-export widgets) ---------------------------------------


class TextWidget(CharWidget):
    """Text of at most ``limit`` characters, with no control characters."""

    def __init__(self, limit: int, *, required: bool = False):
        super().__init__(allow_blank=True)
        self.limit, self.required = limit, required

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs).strip()
        if self.required and not text:
            raise ValueError(_("This cell is empty."))
        if len(text) > self.limit:
            raise ValueError(_("At most %(limit)d characters.") % {"limit": self.limit})
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise ValueError(_("This cell holds control characters."))
        return text


class LeadIdNumberWidget(Widget):
    """The resident ID number of the responsible lead (P-01), or nothing: no lead."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        try:
            return validate_id_number(text[:40])
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None


class StateWidget(Widget):
    """The certificate's state, in English or in Chinese."""

    SPELLINGS = {
        CertificateState.VALID: ("有效", "正常"),
        CertificateState.SUSPENDED: ("暂停", "暂停使用"),
        CertificateState.WITHDRAWN: ("撤销", "已撤销", "注销", "已注销"),
        CertificateState.EXPIRED: ("过期", "已过期", "失效"),
    }

    def __init__(self):
        super().__init__()
        self.lookup = {}
        for state, spellings in self.SPELLINGS.items():
            for spelling in (state.value, *spellings):
                self.lookup[_fold(spelling)] = state.value
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    self.lookup[_fold(str(state.label))] = state.value

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        state = self.lookup.get(_fold(text))
        if state is None:
            raise ValueError(
                _(
                    "Unknown state “%(value)s”: write valid, suspended, withdrawn or expired "
                    "(有效, 暂停, 撤销, 过期)."
                )
                % {"value": text[:40]}
            )
        return state


class CertificateListResource(resources.Resource):
    """The columns of a body's certificate list, and how each cell is read."""

    number = Field(
        attribute="number",
        column_name="number",
        widget=TextWidget(CERTIFICATE_NUMBER_MAX_LENGTH, required=True),
    )
    product = Field(
        attribute="product",
        column_name="product",
        widget=TextWidget(PRODUCT_MAX_LENGTH, required=True),
    )
    project = Field(
        attribute="project",
        column_name="project",
        widget=TextWidget(CODE_MAX_LENGTH, required=True),
    )
    state = Field(attribute="state", column_name="state", widget=StateWidget())
    lead = Field(attribute="lead", column_name="lead", widget=LeadIdNumberWidget())

    def clean_row(self, row: dict) -> tuple[dict, dict[str, str]]:
        """The row's values, and a message for each cell that cannot be read."""
        values, errors = {}, {}
        for name, field in self.fields.items():
            try:
                values[name] = field.clean({name: str(row.get(name) or "")})
            except ValueError as error:
                errors[name] = str(error)
        return values, errors
