"""Screens of the deadline job (A-04): what the confirmation deadline would take away if it
passed now (per lab and per branch, for anyone responsible), the runs, and a run's page where
the training centre lets a run the circuit breaker held go on.

The preview is the dry run's definition (``enforcement/targets.py``) cut to the user's
entries; the runs are the training centre's and the CQC-wide departments' (404 for others).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from directory.models import BranchCentre, TestingLab

from ..constants import CampaignState, Case, RunState
from ..enforcement.preview import PREVIEW_LIST_LIMIT, enforcement_preview
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
        pending = self.campaign.state in (CampaignState.OPEN, CampaignState.CLOSED)
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
        return selectors.run_list(user=self.request.user)


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
    path("enforcement/runs/", RunListView.as_view(), name="enforcement_run_list"),
    path("enforcement/runs/<int:pk>/", RunDetailView.as_view(), name="enforcement_run_detail"),
    path(
        "enforcement/runs/<int:pk>/confirm/",
        RunConfirmView.as_view(),
        name="enforcement_run_confirm",
    ),
]
