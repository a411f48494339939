"""The evidence pack's files, written to temporary files a row at a time: the revocation list
as CSV and XLSX, and the run's report as PDF (A-04, A-06).

Every text cell passes through ``cqcportal.spreadsheets.spreadsheet_cell`` (a name typed in
the business system is never a live formula, issue 9); the XLSX is written by openpyxl in its
write-only mode, so a hundred thousand rows stream to disk instead of sitting in memory, and
characters that XML cannot hold (control characters in a hostile name) are dropped.
"""

import csv
import hashlib
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO

from cqcportal.spreadsheets import spreadsheet_cell

#: What XML 1.0 (and so XLSX) cannot hold: openpyxl refuses a cell with one of these.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: A spreadsheet cell holds at most this many characters (Excel's limit).
CELL_MAX_CHARS = 32_767


def _cell(value):
    # Dropped before the formula check: ``"\x01=cmd"`` must not become a live ``=cmd``.
    if isinstance(value, str):
        value = _NOT_XML.sub("", value)[: CELL_MAX_CHARS - 1]
    return spreadsheet_cell(value)


def temporary() -> IO[bytes]:
    """A temporary file kept in memory while small, on disk once larger."""
    return tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - closed by the caller


def write_csv(headers: Sequence, rows: Iterable[Sequence]) -> IO[bytes]:
    """The rows as CSV in UTF-8 with a byte-order mark (spreadsheet programs then read the
    Chinese names right), CRLF line ends as RFC 4180 writes them."""
    out = temporary()
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    text.flush()
    text.detach()
    out.seek(0)
    return out


def write_xlsx(headers: Sequence, rows: Iterable[Sequence], *, title: str) -> IO[bytes]:
    """The rows as one XLSX sheet, streamed (openpyxl's write-only workbook)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_NOT_XML.sub("", title)[:31] or "Sheet1")
    sheet.append([_cell(str(h)) for h in headers])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    out = temporary()
    workbook.save(out)
    out.seek(0)
    return out


def digest(file: IO[bytes]) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file read from its start, which it is left at."""
    file.seek(0)
    sha, size = hashlib.sha256(), 0
    for block in iter(lambda: file.read(1024 * 1024), b""):
        sha.update(block)
        size += len(block)
    file.seek(0)
    return sha.hexdigest(), size
