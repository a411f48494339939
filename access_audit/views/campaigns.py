"""Screens of the check campaign (A-03, A-04): the campaigns, each campaign's dashboard for
the user's role, the labs' progress and the entries; the lab's confirmation page and an
entry's own page are ``views/confirmation.py``. Every list has filters and a CSV/XLSX
download of what it shows.

The views present; the services (``services/campaign*.py``) check the actor and the rules,
and the selectors cut every read to the user's scope, so a lab never sees another's entries
(404, as for a missing one).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from cqcportal.timeline import timeline_for
from directory.constants import Role
from directory.idsearch import IdNumberSearchMixin

from ..constants import CampaignState, Case, Confirmation
from ..exports_campaigns import FORMATS, download, entry_headers, entry_rows, format_available
from ..forms_campaigns import (
    CampaignFilter,
    CampaignForm,
    EntryFilter,
    LabProgressFilter,
)
from ..models import AuditCampaign, CampaignEntry
from ..permissions import campaigns as permissions
from ..selectors import campaigns as selectors
from ..services import campaigns as services
from .charts import progress_chart


class CampaignPagesMixin(LoginRequiredMixin):
    """The campaign pages are for labs, branch centres and the CQC-wide departments."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.sees_campaigns(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OneCampaignMixin(CampaignPagesMixin):
    """A page of one campaign, looked up in the user's scope (404 outside it)."""

    model = AuditCampaign  # for the scope walk (tests/test_scope_walk.py)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = selectors.campaign_in_scope_or_404(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaign"] = self.campaign
        context["export_formats"] = [fmt for fmt in FORMATS if format_available(fmt)]
        return context


def _filtered(filterset_class, request, queryset):
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    return filterset.qs if filterset.is_valid() else queryset.none()


# --- the campaigns -------------------------------------------------------------------------


class CampaignListView(CampaignPagesMixin, FilterView):
    filterset_class = CampaignFilter
    template_name = "access_audit/campaigns/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 50

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_run"] = permissions.can_run_campaigns(self.request.user)
        context["export_formats"] = [fmt for fmt in FORMATS if format_available(fmt)]
        return context


class CampaignListExportView(CampaignPagesMixin, View):
    fmt = "csv"

    def get(self, request):
        campaigns = _filtered(CampaignFilter, request, selectors.campaign_list(user=request.user))
        states = dict(CampaignState.choices)
        rows = (
            [c.name, states[c.state], c.migration_deadline, c.confirmation_deadline, c.opened_at]
            for c in campaigns
        )
        headers = [
            _("Name"),
            _("State"),
            _("Migration deadline (L-13)"),
            _("Confirmation deadline (A-04)"),
            _("Opened at"),
        ]
        return download(headers=headers, rows=rows, fmt=self.fmt, name="campaigns")


class CampaignCreateView(CampaignPagesMixin, FormView):
    form_class = CampaignForm
    template_name = "access_audit/campaigns/campaign_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_run_campaigns(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            campaign = services.campaign_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, _("The campaign is created as a draft."))
        return redirect("access_audit:campaign_detail", pk=campaign.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CampaignTransitionView(OneCampaignMixin, View):
    """Open or close a campaign: the training centre's (the service checks it)."""

    http_method_names = ["post"]
    action = "open"

    def post(self, request, pk):
        service = services.campaign_open if self.action == "open" else services.campaign_close
        try:
            service(campaign=self.campaign, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            done = (
                _("The campaign is open: every account and every hired liaison is sorted.")
                if self.action == "open"
                else _("The campaign is closed.")
            )
            messages.success(request, done)
        return redirect("access_audit:campaign_detail", pk=pk)


# --- the dashboard -------------------------------------------------------------------------


class CampaignDetailView(OneCampaignMixin, DetailView):
    """The campaign at a glance, for the user's role: counts per case, progress per branch
    centre and per lab, the time left to each deadline and the progress over time."""

    template_name = "access_audit/campaigns/campaign_detail.html"

    def get_object(self, queryset=None):
        return self.campaign

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, campaign, now = self.request.user, self.campaign, timezone.now()
        entries = selectors.campaign_entries(user=user, campaign=campaign)
        counts = services.entry_counts(entries)
        total = sum(counts.values())
        confirmed = entries.exclude(confirmation=Confirmation.UNCONFIRMED).count()
        labs = selectors.progress_by_lab(entries)
        behind = selectors.with_shares(labs.filter(open__gt=0).order_by("-open", "lab__name")[:10])
        series = selectors.progress_over_time(entries, campaign=campaign, now=now)
        context.update(
            cases=[(Case(case), count) for case, count in counts.items()],
            # The deadline job's runs (``views/enforcement.py``): the CQC-wide departments'.
            sees_runs=permissions.sees_every_entry(user),
            total=total,
            confirmed=confirmed,
            percent=round(100 * confirmed / total) if total else 0,
            confirmation_left=selectors.time_left(campaign.confirmation_ends_at, now=now),
            migration_left=selectors.time_left(campaign.migration_ends_at, now=now),
            branches=selectors.progress_by_branch(entries) if user.role != Role.LAB_STAFF else [],
            labs_behind=behind,
            chart=progress_chart(series, total=total, deadline=campaign.confirmation_deadline),
            may_run=permissions.can_run_campaigns(user),
            confirm_labs=confirm_links(user, campaign),
            timeline=timeline_for(campaign),
        )
        return context


def confirm_links(user, campaign: AuditCampaign) -> list[dict]:
    """The labs whose confirmation page the user works on, with what is left to do."""
    if campaign.state != CampaignState.OPEN:
        return []
    labs = permissions.confirmable_labs(user).order_by("name")
    open_counts = dict(
        CampaignEntry.objects.filter(
            campaign=campaign, lab__in=labs, confirmation=Confirmation.UNCONFIRMED
        )
        .order_by()
        .values("lab_id")
        .annotate(n=Count("id"))
        .values_list("lab_id", "n")
    )
    url = reverse("access_audit:campaign_confirm", args=[campaign.pk])
    return [
        {
            "lab": lab,
            "open": open_counts.get(lab.pk, 0),
            "url": url if user.role == Role.LAB_STAFF else f"{url}?{urlencode({'lab': lab.pk})}",
        }
        for lab in labs
    ]


class CampaignLabsView(OneCampaignMixin, FilterView):
    """Every lab's progress in the campaign (the user's labs), furthest behind first."""

    filterset_class = LabProgressFilter
    template_name = "access_audit/campaigns/campaign_labs.html"
    context_object_name = "labs"
    paginate_by = 50

    def get_queryset(self):
        entries = selectors.campaign_entries(user=self.request.user, campaign=self.campaign)
        return selectors.progress_by_lab(entries).order_by("-open", "lab__name", "lab_id")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        rows = selectors.with_shares(rows)
        page.object_list = rows
        return paginator, page, rows, is_paginated


class CampaignLabsExportView(OneCampaignMixin, View):
    fmt = "csv"

    def get(self, request, pk):
        entries = selectors.campaign_entries(user=request.user, campaign=self.campaign)
        labs = _filtered(
            LabProgressFilter, request, selectors.progress_by_lab(entries).order_by("lab__name")
        )
        rows = (
            [
                row["lab__name"] or _("No lab"),
                row["lab__branch__name"] or "",
                row["total"],
                row["confirmed"],
                row["total"] - row["confirmed"],
                row["suggested"],
                not row["staffed"],
            ]
            for row in labs
        )
        headers = [
            _("Testing lab"),
            _("Branch centre"),
            _("People"),
            _("Confirmed"),
            _("Still to confirm"),
            _("Suggested as left"),
            _("Confirmed by the branch centre"),
        ]
        return download(headers=headers, rows=rows, fmt=self.fmt, name="campaign-labs")


# --- the entries ---------------------------------------------------------------------------


class CampaignEntriesView(IdNumberSearchMixin, OneCampaignMixin, FilterView):
    """The campaign's entries the user sees, with their case and confirmation. The search
    form posts, so an ID number typed into it never reaches the URL (P-04)."""

    filterset_class = EntryFilter
    id_search_person = "person_id"
    id_search_label = gettext_lazy("Name, username or ID number")
    template_name = "access_audit/campaigns/campaign_entries.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return (
            selectors.campaign_entries(user=self.request.user, campaign=self.campaign)
            .select_related("right", "person", "lab__branch")
            # The model's order (lab, case, entry): no join to sort a million entries.
            .order_by("lab_id", "case", "pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs


class CampaignEntriesExportView(OneCampaignMixin, View):
    fmt = "csv"

    def get(self, request, pk):
        entries = _filtered(
            EntryFilter,
            request,
            selectors.campaign_entries(user=request.user, campaign=self.campaign),
        )
        return download(
            headers=entry_headers(),
            rows=entry_rows(entries),
            fmt=self.fmt,
            name="campaign-entries",
            count=entries.count() if self.fmt != "csv" else None,
        )


def add_service_errors(form, error: ValidationError) -> None:
    """A service's errors on the form: on their field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


urlpatterns = [
    path("campaigns/", CampaignListView.as_view(), name="campaign_list"),
    path(
        "campaigns/export.csv", CampaignListExportView.as_view(fmt="csv"), name="campaign_list_csv"
    ),
    path(
        "campaigns/export.xlsx",
        CampaignListExportView.as_view(fmt="xlsx"),
        name="campaign_list_xlsx",
    ),
    path("campaigns/new/", CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", CampaignDetailView.as_view(), name="campaign_detail"),
    path(
        "campaigns/<int:pk>/open/",
        CampaignTransitionView.as_view(action="open"),
        name="campaign_open",
    ),
    path(
        "campaigns/<int:pk>/close/",
        CampaignTransitionView.as_view(action="close"),
        name="campaign_close",
    ),
    path("campaigns/<int:pk>/labs/", CampaignLabsView.as_view(), name="campaign_labs"),
    path(
        "campaigns/<int:pk>/labs.csv",
        CampaignLabsExportView.as_view(fmt="csv"),
        name="campaign_labs_csv",
    ),
    path(
        "campaigns/<int:pk>/labs.xlsx",
        CampaignLabsExportView.as_view(fmt="xlsx"),
        name="campaign_labs_xlsx",
    ),
    path("campaigns/<int:pk>/entries/", CampaignEntriesView.as_view(), name="campaign_entries"),
    path(
        "campaigns/<int:pk>/entries.csv",
        CampaignEntriesExportView.as_view(fmt="csv"),
        name="campaign_entries_csv",
    ),
    path(
        "campaigns/<int:pk>/entries.xlsx",
        CampaignEntriesExportView.as_view(fmt="xlsx"),
        name="campaign_entries_xlsx",
    ),
]
