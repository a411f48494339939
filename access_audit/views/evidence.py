"""Screens of what an enforcement run took away (A-04, A-06): the runs, a run's withdrawn
rights cut to the user's scope with their CSV/XLSX download, and, for the CQC-wide
departments, the run's evidence pack (files, sizes, SHA-256, download, verification).

Files are served only through these views, which check the user's scope (404 alike for a
missing and a forbidden one), never from a public media address.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.views import View
from django.views.generic import ListView

from liaisons.exports import FORMATS, format_available

from ..constants import Case
from ..evidence import files as evidence_files
from ..evidence import rows as run_rows
from ..evidence.pack import pack_names
from ..models import EnforcementRun, EvidenceFile
from ..permissions import evidence as permissions
from ..selectors import evidence as selectors
from ..services.evidence import evidence_pack_verify

#: Withdrawn rights per page of a run's screen.
PAGE_SIZE = 50
#: Labs in a run's per-lab counts on screen (the largest first).
SCREEN_MAX_LABS = 50

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".csv": FORMATS["csv"],
    ".xlsx": FORMATS["xlsx"],
    ".sha256": "text/plain; charset=utf-8",
}


class EvidencePagesMixin(LoginRequiredMixin):
    """For labs, branch centres and the CQC-wide departments."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.sees_revocations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OneRunMixin(EvidencePagesMixin):
    """A page of one done run, looked up in the user's scope (404 outside it)."""

    model = EnforcementRun  # for the scope walk (tests/test_scope_walk.py)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # 404 alike for a missing run and one out of scope, whoever asks.
            self.run = selectors.evidence_run_in_scope_or_404(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class EvidenceRunListView(EvidencePagesMixin, ListView):
    """The runs that took rights away, each with the number the user sees."""

    template_name = "access_audit/evidence/run_list.html"
    context_object_name = "runs"
    paginate_by = 50

    def get_queryset(self):
        return selectors.evidence_run_list(user=self.request.user).order_by("-finished_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [
            (run, selectors.run_revocations(user=user, run=run).count()) for run in context["runs"]
        ]
        return context


def run_page(request, run: EnforcementRun, *, check=None, status: int = 200):
    """A run's screen: the user's part of its withdrawals; the pack for the CQC-wide."""
    user = request.user
    changes = selectors.run_revocations(user=user, run=run)
    page = Paginator(
        changes.select_related("right__lab__branch", "right__person").order_by("pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    cases = dict(Case.choices)
    sees_pack = permissions.sees_evidence_pack(user)
    evidence = list(run.evidence.order_by("name")) if sees_pack else []
    context = {
        "run": run,
        "campaign": run.campaign,
        "page_obj": page,
        "paginator": page.paginator,
        "changes": [(change, cases.get(change.case, "")) for change in page.object_list],
        "counts": run_rows.run_counts(changes, lab_limit=SCREEN_MAX_LABS),
        "deadline": run_rows.run_deadline(run),
        "export_formats": [fmt for fmt in FORMATS if format_available(fmt)],
        "sees_pack": sees_pack,
        "evidence": evidence,
        "pack_complete": len(evidence) == len(pack_names(run)) and bool(run.manifest_sha256),
        "check": check,
    }
    return render(request, "access_audit/evidence/run_detail.html", context, status=status)


class RunEvidenceView(OneRunMixin, View):
    def get(self, request, pk):
        return run_page(request, self.run)


class EvidenceVerifyView(OneRunMixin, View):
    """Recompute every file's SHA-256 and say whether the pack is intact."""

    def post(self, request, pk):
        check = evidence_pack_verify(run=self.run, actor=request.user)
        return run_page(request, self.run, check=check)

    def get(self, request, pk):
        # The answer of a check is shown at this address: reloading it, or switching the
        # language there, comes back to the run's page instead of a 405.
        return redirect("access_audit:run_evidence", pk=self.run.pk)


class RunRevocationExportView(OneRunMixin, View):
    """The user's part of the run's revocation list, as CSV or XLSX (a lab its own rows, a
    branch centre its labs', the CQC-wide departments all)."""

    fmt = "csv"

    def get(self, request, pk):
        if not format_available(self.fmt):
            raise Http404
        changes = selectors.run_revocations(user=request.user, run=self.run)
        with translation.override(request.LANGUAGE_CODE):
            headers, body = run_rows.headers(), run_rows.rows(changes)
            if self.fmt == "csv":
                content = evidence_files.write_csv(headers, body)
            else:
                content = evidence_files.write_xlsx(headers, body, title=f"run {self.run.pk}")
        day = timezone.localdate().strftime("%Y%m%d")
        response = FileResponse(
            content,
            content_type=FORMATS[self.fmt],
            as_attachment=True,
            filename=f"revocations-{self.run.pk}-{day}.{self.fmt}",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class EvidenceFileDownloadView(LoginRequiredMixin, View):
    """A stored file of a pack, to the CQC-wide departments; as stored, never sniffed."""

    model = EvidenceFile

    def get(self, request, pk):
        evidence = selectors.evidence_file_in_scope_or_404(user=request.user, pk=pk)
        try:
            handle = evidence.file.open("rb")
        except (OSError, ValueError):
            raise Http404 from None
        suffix = "." + evidence.name.rpartition(".")[2]
        response = FileResponse(
            handle,
            content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
            as_attachment=True,
            filename=evidence.name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("evidence/", EvidenceRunListView.as_view(), name="evidence_run_list"),
    path("evidence/runs/<int:pk>/", RunEvidenceView.as_view(), name="run_evidence"),
    path(
        "evidence/runs/<int:pk>/verify/", EvidenceVerifyView.as_view(), name="run_evidence_verify"
    ),
    path(
        "evidence/runs/<int:pk>/revocations.csv",
        RunRevocationExportView.as_view(fmt="csv"),
        name="run_revocations_csv",
    ),
    path(
        "evidence/runs/<int:pk>/revocations.xlsx",
        RunRevocationExportView.as_view(fmt="xlsx"),
        name="run_revocations_xlsx",
    ),
    path("evidence/files/<int:pk>/", EvidenceFileDownloadView.as_view(), name="evidence_file"),
]
