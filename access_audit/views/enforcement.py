"""Screens of the deadline job (A-04): what the confirmation deadline would take away if it
passed now (per lab and per branch, for anyone responsible) with everyone in it as CSV or XLSX,
the runs, and a run's page where the training centre lets a run the circuit breaker held go on.

The preview is the dry run's definition (``enforcement/targets.py``) cut to the user's
entries; the runs are the training centre's and the CQC-wide departments' (404 for others).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from directory.models import BranchCentre, TestingLab
from liaisons.exports import FORMATS, format_available

from ..constants import Case, RunState
from ..enforcement.preview import (
    PREVIEW_LIST_LIMIT,
    awaits_deadline,
    enforcement_preview,
    preview_entries,
    preview_headers,
    preview_rows,
)
from ..evidence import files as export_files
from ..models import EnforcementRun
from ..permissions import enforcement as permissions
from ..selectors import enforcement as selectors
from ..services.enforcement import enforcement_run_confirm
from .campaigns import OneCampaignMixin


class EnforcementPreviewView(OneCampaignMixin, TemplateView):
    """Who would lose the right if the confirmation deadline passed now (A-04, A-05)."""

    template_name = "access_audit/enforcement/preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = awaits_deadline(self.campaign)
        preview = enforcement_preview(user=self.request.user, campaign=self.campaign)
        context.update(
            pending=pending,
            preview=preview,
            rows=list(preview.entries[:PREVIEW_LIST_LIMIT]) if pending else [],
            limit=PREVIEW_LIST_LIMIT,
            cases=dict(Case.choices),
            sees_runs=permissions.sees_runs(self.request.user),
        )
        return context


class EnforcementPreviewExportView(OneCampaignMixin, View):
    """Everyone the preview counts, in the user's scope (a lab its own people, a branch
    centre its labs', the CQC-wide departments all), as CSV or XLSX: the page lists the first
    500. Written a row at a time to a temporary file that spills to disk (the revocation
    list's writers), every text cell neutralised against formulas (issue 9)."""

    fmt = "csv"

    def get(self, request, pk):
        if not format_available(self.fmt):
            raise Http404
        entries = preview_entries(user=request.user, campaign=self.campaign, at=timezone.now())
        if not awaits_deadline(self.campaign):
            entries = entries.none()  # as the page: nobody once the deadline is enforced
        with translation.override(request.LANGUAGE_CODE):
            headers, body = preview_headers(), preview_rows(entries)
            if self.fmt == "csv":
                content = export_files.write_csv(headers, body)
            else:
                content = export_files.write_xlsx(headers, body, title=_("Would lose the right"))
        day = timezone.localdate().strftime("%Y%m%d")
        response = FileResponse(
            content,
            content_type=FORMATS[self.fmt],
            as_attachment=True,
            filename=f"enforcement-preview-{self.campaign.pk}-{day}.{self.fmt}",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class RunPagesMixin(LoginRequiredMixin):
    """The runs list: 403 for the roles that see no run (a run's own page answers 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.sees_runs(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RunListView(RunPagesMixin, ListView):
    template_name = "access_audit/enforcement/run_list.html"
    context_object_name = "runs"
    paginate_by = 50

    def get_queryset(self):
        # Newest first; the key breaks ties, so a page never repeats or skips a run.
        return selectors.run_list(user=self.request.user).order_by("-started_at", "-pk")


def _named(model, counts: dict) -> list[tuple[str, int]]:
    names = dict(
        model.objects.filter(pk__in=[k for k in counts if k.isdigit()]).values_list("pk", "name")
    )
    return sorted(
        (
            (names.get(int(k), _("No lab")) if k.isdigit() else _("No lab"), n)
            for k, n in counts.items()
        ),
        key=lambda item: (-item[1], item[0]),
    )


class RunDetailView(LoginRequiredMixin, DetailView):
    model = EnforcementRun  # for the scope walk (tests/test_scope_walk.py)
    template_name = "access_audit/enforcement/run_detail.html"
    context_object_name = "run"

    def get_object(self, queryset=None):
        return selectors.run_in_scope_or_404(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.object.counts or {}
        cases = dict(Case.choices)
        context.update(
            per_case=[
                (cases.get(int(k), k), n) for k, n in sorted(counts.get("per_case", {}).items())
            ],
            per_lab=_named(TestingLab, counts.get("per_lab", {})),
            per_branch=_named(BranchCentre, counts.get("per_branch", {})),
            may_confirm=self.object.state == RunState.HELD
            and permissions.can_confirm_held_run(self.request.user),
        )
        return context


class RunConfirmView(LoginRequiredMixin, View):
    """The training centre lets a held run go on (the circuit breaker, A-04)."""

    model = EnforcementRun  # for the scope walk (tests/test_scope_walk.py)

    def post(self, request, pk):
        run = selectors.run_in_scope_or_404(user=request.user, pk=pk)
        try:
            enforcement_run_confirm(run=run, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The run is confirmed and goes on."))
        return redirect("access_audit:enforcement_run_detail", pk=run.pk)


urlpatterns = [
    path(
        "campaigns/<int:pk>/enforcement/",
        EnforcementPreviewView.as_view(),
        name="enforcement_preview",
    ),
    path(
        "campaigns/<int:pk>/enforcement/preview.csv",
        EnforcementPreviewExportView.as_view(fmt="csv"),
        name="enforcement_preview_csv",
    ),
    path(
        "campaigns/<int:pk>/enforcement/preview.xlsx",
        EnforcementPreviewExportView.as_view(fmt="xlsx"),
        name="enforcement_preview_xlsx",
    ),
    path("enforcement/runs/", RunListView.as_view(), name="enforcement_run_list"),
    path("enforcement/runs/<int:pk>/", RunDetailView.as_view(), name="enforcement_run_detail"),
    path(
        "enforcement/runs/<int:pk>/confirm/",
        RunConfirmView.as_view(),
        name="enforcement_run_confirm",
    ),
]
