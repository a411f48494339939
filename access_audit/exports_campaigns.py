"""The check campaign's lists as downloads, CSV or XLSX (A-03, A-04).

Every text cell passes through ``cqcportal.spreadsheets.spreadsheet_cell`` (a name or a comment
typed by someone is never a live formula, issue 9), and the formats are the roster's
(``liaisons.exports``). ID numbers are masked (P-04).
"""

from collections.abc import Iterable, Sequence

import tablib
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.spreadsheets import spreadsheet_cell
from directory.idnumbers import mask_id_number
from liaisons.exports import FORMATS, format_available

from .constants import Case, Confirmation, LoginRightState

__all__ = ["FORMATS", "download", "entry_rows", "format_available"]


def download(*, headers: Sequence, rows: Iterable[Sequence], fmt: str, name: str) -> HttpResponse:
    """``rows`` under ``headers`` as a file of format ``fmt`` (``csv`` or ``xlsx``)."""
    if not format_available(fmt):
        raise Http404
    dataset = tablib.Dataset(headers=[str(h) for h in headers])
    for row in rows:
        dataset.append([spreadsheet_cell(_plain(value)) for value in row])
    if fmt == "csv":
        # With a byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
        content = ("\ufeff" + dataset.export("csv")).encode("utf-8")
    else:
        content = dataset.export(fmt)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    day = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{day}.{fmt}"'
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


def entry_rows(entries) -> Iterable[list]:
    """The export's rows of ``entries``: labels instead of codes, the ID number masked."""
    cases = dict(Case.choices)
    confirmations = dict(Confirmation.choices)
    states = dict(LoginRightState.choices)
    for row in (
        entries.order_by("lab__name", "pk").values_list(*ENTRY_COLUMNS).iterator(chunk_size=2000)
    ):
        (username, account_name, name, id_number, lab, branch, case, state, last_login,
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
