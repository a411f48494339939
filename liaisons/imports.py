"""Reading the paper roster of legacy liaisons (L-13) from a CSV or XLSX file.

The file is read by ``cqcportal.tabular``, as the portal's other lists are: by its content,
within limits a hostile file cannot get round (its size, what an XLSX unpacks to, its rows,
columns and cell lengths), every cell as text, so the rows can wait in the session between the
preview and the confirmation. Checking what they say is ``liaisons.services.legacy``'s work.
"""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

from cqcportal.tabular import TableSpec, read_rows

#: A roster is a list of names: a few hundred kilobytes at most.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Rows per file: the preview lists every one of them.
MAX_ROWS = 5000

#: The columns, each with the headings it may carry (compared without case, spaces and _).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id_number": ("ID number", "身份证号", "身份证号码"),
    "name": ("Name", "姓名"),
    "lab": ("Lab", "Testing lab", "Lab USCC or name", "实验室", "检测机构", "签约检测机构"),
    "fields": ("Fields", "Certification fields", "认证领域", "领域"),
    "hired_on": ("Hired on", "聘用日期"),
}

LEGACY_ROSTER = TableSpec(
    columns=COLUMNS,
    columns_message=gettext_lazy(
        "The first row must name the columns (%(problems)s). Expected: ID number, Name, Lab "
        "(USCC or name), Fields, Hired on (or their Chinese names)."
    ),
    no_rows_message=gettext_lazy("The file holds no liaison."),
    too_many_rows_message=gettext_lazy("The file has more than %(count)d rows; split it."),
    max_rows=MAX_ROWS,
    max_file_bytes=MAX_FILE_BYTES,
)


def read_legacy_rows(upload: UploadedFile) -> list[dict[str, str]]:
    """The rows of the file as ``{"row": number in the file, "id_number": ..., "name": ...,
    "lab": ..., "fields": ..., "hired_on": ...}``, every value text; empty rows skipped."""
    return read_rows(upload, LEGACY_ROSTER)
