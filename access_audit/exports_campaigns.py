"""The check campaign's lists as downloads, CSV or XLSX (A-03, A-04).

Every text cell passes through ``cqcportal.spreadsheets.spreadsheet_cell`` (a name or a comment
typed by someone is never a live formula, issue 9), and the formats are the roster's
(``liaisons.exports``). ID numbers are masked (P-04).
"""

import csv
from collections.abc import Iterable, Sequence

import tablib
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.spreadsheets import spreadsheet_cell
from directory.idnumbers import mask_id_number
from liaisons.exports import FORMATS, format_available

from .constants import Case, Confirmation, LoginRightState

__all__ = ["FORMATS", "download", "entry_rows", "format_available"]


#: XLSX is built in memory: larger selections download as CSV, which streams.
XLSX_MAX_ROWS = 100_000


class _Echo:
    """A file that hands back what is written to it, for ``csv.writer`` in a stream."""

    def write(self, value: str) -> str:
        return value


def download(
    *, headers: Sequence, rows: Iterable[Sequence], fmt: str, name: str, count: int | None = None
) -> HttpResponse:
    """``rows`` under ``headers`` as a file of format ``fmt`` (``csv`` or ``xlsx``). CSV is
    streamed row by row, so a campaign's million entries never sit in memory; XLSX is refused
    above ``XLSX_MAX_ROWS`` rows (``count``), with a word to use CSV."""
    if not format_available(fmt):
        raise Http404
    day = timezone.localdate().strftime("%Y%m%d")
    disposition = f'attachment; filename="{name}-{day}.{fmt}"'
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            # With a byte-order mark, so spreadsheet programs read Chinese names as UTF-8.
            yield "\ufeff" + writer.writerow([str(h) for h in headers])
            for row in rows:
                yield writer.writerow([spreadsheet_cell(_plain(value)) for value in row])

        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in lines()), content_type=FORMATS[fmt]
        )
        response["Content-Disposition"] = disposition
        return response
    if count is not None and count > XLSX_MAX_ROWS:
        return HttpResponse(
            _(
                "%(count)d rows are too many for XLSX (at most %(limit)d): filter the list or "
                "download it as CSV."
            )
            % {"count": count, "limit": XLSX_MAX_ROWS},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    dataset = tablib.Dataset(headers=[str(h) for h in headers])
    for row in rows:
        dataset.append([spreadsheet_cell(_plain(value)) for value in row])
    response = HttpResponse(dataset.export(fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = disposition
    return response


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes")) if value else ""
    if hasattr(value, "isoformat"):
        return (
            value.isoformat(sep=" ", timespec="minutes")
            if hasattr(value, "hour")
            else value.isoformat()
        )
    return value if isinstance(value, int | float) else str(value)


#: The columns of an entry row, read with one ``values()`` query in chunks.
ENTRY_COLUMNS = (
    "right__username",
    "right__name",
    "person__name",
    "person__id_number",
    "lab__name",
    "lab__branch__name",
    "case",
    "right__state",
    "right__last_login_on",
    "suggest_left",
    "confirmation",
    "confirmed_at",
    "confirmed_by_branch",
    "comment",
)


def entry_rows(entries, *, chunk: int = 2000) -> Iterable[list]:
    """The export's rows of ``entries``, read ``chunk`` at a time by key (the database's
    cursor is not kept open, and a million entries never sit in memory): labels instead of
    codes, the ID number masked."""
    cases = dict(Case.choices)
    confirmations = dict(Confirmation.choices)
    states = dict(LoginRightState.choices)
    last = 0
    while True:
        rows = list(
            entries.filter(pk__gt=last).order_by("pk").values_list("pk", *ENTRY_COLUMNS)[:chunk]
        )
        if not rows:
            return
        last = rows[-1][0]
        for row in rows:
            (_pk, username, account_name, name, id_number, lab, branch, case, state, last_login,
             suggest, confirmation, confirmed_at, by_branch, comment) = row  # fmt: skip
            yield [
                username or "",
                name or account_name or "",
                mask_id_number(id_number) if id_number else "",
                lab or "",
                branch or "",
                cases[case],
                states.get(state, ""),
                last_login,
                suggest,
                confirmations[confirmation],
                timezone.localtime(confirmed_at) if confirmed_at else None,
                by_branch,
                comment,
            ]


def entry_headers() -> list:
    return [
        _("Business-system username"),
        _("Full name"),
        _("ID number"),
        _("Testing lab"),
        _("Branch centre"),
        _("Case"),
        _("Login right"),
        _("Last login in the business system"),
        _("Suggested as left"),
        _("Confirmation"),
        _("Confirmed at"),
        _("Confirmed by the branch centre"),
        _("Comment"),
    ]
