"""The run's report as PDF, in Chinese whatever the reader's language (an official record,
like the printed forms): counts per case, per branch centre, per lab; who lost the right and
why (A-03, A-04, A-06).

Its size and printing time are bounded whatever the run: it lists every person when the run
took at most ``REPORT_MAX_PEOPLE`` rights, and no one otherwise (a cut list would read as the
whole one), and the labs up to ``REPORT_MAX_LABS`` (the largest first); the full list is
always in the pack's spreadsheets, which the report names and the manifest fingerprints
(docs/decisions.md, "Evidence pack").
"""

from django.utils import timezone, translation

from cqcportal.pdf import render_to_pdf
from liaisons.documents import FORM_LANGUAGE, STYLESHEET, chinese_date

from ..models import EnforcementRun
from . import rows as run_rows

#: Runs that took at most this many rights list them all in the report (~35 a page).
REPORT_MAX_PEOPLE = 500
#: Labs listed in the report at most, those with the most withdrawals first.
REPORT_MAX_LABS = 500


def report_pdf(run: EnforcementRun, *, spreadsheet_names: list[str]) -> bytes:
    """The report of ``run``; ``spreadsheet_names`` are the pack's files holding every row."""
    with translation.override(FORM_LANGUAGE):
        changes = run_rows.run_withdrawals(run)
        counts = run_rows.run_counts(changes, lab_limit=REPORT_MAX_LABS)
        listed = counts["total"] <= REPORT_MAX_PEOPLE
        people = list(run_rows.rows(changes, chunk=REPORT_MAX_PEOPLE)) if listed else []
        context = {
            "run": run,
            "campaign": run.campaign,
            "kind": run.get_kind_display(),
            "deadline": chinese_date(run_rows.run_deadline(run)),
            "as_of": chinese_date(run.as_of),
            "started_at": _when(run.started_at),
            "finished_at": _when(run.finished_at),
            "printed_at": _when(timezone.now()),
            "counts": counts,
            "people": people,
            "people_listed": listed,
            "people_max": REPORT_MAX_PEOPLE,
            "labs_truncated": counts["labs_total"] > len(counts["per_lab"]),
            "spreadsheet_names": spreadsheet_names,
            "form_code": f"CQC 业务系统登录权限清理 · 第 {run.pk} 次执行",
        }
        return render_to_pdf("access_audit/evidence/report.html", context, (STYLESHEET,))


def _when(moment) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
