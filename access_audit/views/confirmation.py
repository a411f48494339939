"""The lab's confirmation of its people in a campaign (A-04), one by one or in bulk, usable
with the keyboard for a lab with hundreds of people, and an entry's own page with its
timeline. The services (``services/campaign_confirmation.py``) check the actor and the rules."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from cqcportal.timeline import timeline_for
from directory.constants import Role
from directory.idnumbers import mask_id_number
from directory.models import TestingLab
from directory.selectors import get_in_scope_or_404, lab_list

from ..constants import LEFT, CampaignState, Confirmation
from ..forms_campaigns import (
    ConfirmForm,
    EntryConfirmForm,
    LabEntryFilter,
)
from ..models import CampaignEntry
from ..permissions import campaigns as permissions
from ..selectors import campaigns as selectors
from ..services import campaign_confirmation
from .campaigns import OneCampaignMixin, add_service_errors, confirm_links

#: Rows of the lab's confirmation page: a lab with hundreds of people pages through them.
CONFIRM_PAGE_SIZE = 100


# --- the lab's confirmation (A-04) ---------------------------------------------------------


class CampaignConfirmView(OneCampaignMixin, FilterView):
    """The lab's confirmation page (A-04): its people, a checkbox each, one confirmation and
    one comment for the checked rows. A real form, usable with the keyboard alone: each box
    is labelled with the person's name, "select all" is a link that checks every row of the
    page, and a link at the top skips the list to the confirmation. Lab staff confirm their
    own lab; a branch reviewer names the lab (``?lab=``) it confirms for."""

    filterset_class = LabEntryFilter
    template_name = "access_audit/campaigns/campaign_confirm.html"
    context_object_name = "entries"
    paginate_by = CONFIRM_PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        self.lab = None
        return super().dispatch(request, *args, **kwargs)

    def _lab(self) -> TestingLab | None:
        user = self.request.user
        if user.role == Role.LAB_STAFF:
            return user.lab
        lab_id = self.request.GET.get("lab") or self.request.POST.get("lab")
        if not lab_id:
            return None
        return get_in_scope_or_404(lab_list(user=user), lab_id)

    def get(self, request, *args, **kwargs):
        self.lab = self._lab()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.lab is None:
            return CampaignEntry.objects.none()
        return (
            selectors.campaign_entries(user=self.request.user, campaign=self.campaign)
            .filter(lab=self.lab)
            .select_related("right", "person")
            .order_by("person__name", "right__username", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may_confirm = (
            self.lab is not None
            and self.campaign.state == CampaignState.OPEN
            and permissions.can_confirm_for_lab(self.request.user, self.lab)
        )
        select_all = self.request.GET.get("select") == "all"
        rows = []
        for entry in context["entries"]:
            rows.append(
                {
                    "entry": entry,
                    "value": f"{entry.pk}:{entry.confirmation}",
                    "name": entry.person.name if entry.person_id else (entry.right.name or "—"),
                    "masked_id": mask_id_number(entry.person.id_number) if entry.person_id else "",
                    "final": entry.confirmation in LEFT,
                    "checked": select_all and entry.confirmation not in LEFT,
                }
            )
        query = self.request.GET.copy()
        query.pop("select", None)
        context.update(
            lab=self.lab,
            rows=rows,
            may_confirm=may_confirm,
            form=kwargs.get("form") or ConfirmForm(),
            lab_has_staff=self.lab is not None
            and self.lab.staff.filter(role=Role.LAB_STAFF, is_active=True).exists(),
            confirm_labs=confirm_links(self.request.user, self.campaign),
            select_all_query=_query(query, select="all"),
            select_none_query=_query(query),
            open_count=(
                CampaignEntry.objects.filter(
                    campaign=self.campaign, lab=self.lab, confirmation=Confirmation.UNCONFIRMED
                ).count()
                if self.lab is not None
                else 0
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.lab = self._lab()
        if self.lab is None:
            raise Http404
        form = ConfirmForm(request.POST)
        if form.is_valid():
            seen = form.cleaned_data["entries"]
            mine = selectors.campaign_entries(user=request.user, campaign=self.campaign).filter(
                lab=self.lab, pk__in=list(seen)
            )
            # Another lab's entry answers as a missing one would.
            if mine.count() != len(seen):
                raise Http404
            try:
                confirmed = campaign_confirmation.campaign_entries_confirm(
                    campaign=self.campaign,
                    actor=request.user,
                    seen=seen,
                    confirmation=form.cleaned_data["confirmation"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(count)d people confirmed as “%(confirmation)s”.")
                    % {
                        "count": len(confirmed),
                        "confirmation": Confirmation(form.cleaned_data["confirmation"]).label,
                    },
                )
                return HttpResponseRedirect(request.get_full_path())
        self.object_list = self.get_queryset()
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.object_list = self.filterset.qs if self.filterset.is_valid() else self.object_list
        context = self.get_context_data(form=form, filter=self.filterset)
        return self.render_to_response(context, status=400)


def _query(params: QueryDict, **extra) -> str:
    params = params.copy()
    for key, value in extra.items():
        params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


class EntryDetailView(LoginRequiredMixin, DetailView):
    """One person or account in a campaign: its case, its confirmation and its history; the
    lab (or its branch centre, for a lab without staff) confirms it here too."""

    model = CampaignEntry
    template_name = "access_audit/campaigns/entry_detail.html"
    context_object_name = "entry"

    def get_object(self, queryset=None):
        return get_in_scope_or_404(
            selectors.entry_list(user=self.request.user).select_related(
                "campaign", "right", "person", "lab__branch", "confirmed_by"
            ),
            self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        may_confirm = (
            entry.campaign.state == CampaignState.OPEN
            and entry.lab_id is not None
            and entry.confirmation not in LEFT
            and permissions.can_confirm_for_lab(self.request.user, entry.lab)
        )
        context.update(
            may_confirm=may_confirm,
            form=kwargs.get("form") or EntryConfirmForm(initial={"seen": entry.confirmation}),
            masked_id=mask_id_number(entry.person.id_number) if entry.person_id else "",
            timeline=timeline_for(entry),
        )
        return context

    def post(self, request, pk):
        self.object = entry = self.get_object()
        form = EntryConfirmForm(request.POST)
        if form.is_valid():
            try:
                campaign_confirmation.campaign_entries_confirm(
                    campaign=entry.campaign,
                    actor=request.user,
                    seen={entry.pk: form.cleaned_data["seen"]},
                    confirmation=form.cleaned_data["confirmation"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The confirmation is recorded."))
                return redirect("access_audit:entry_detail", pk=entry.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


urlpatterns = [
    path("campaigns/<int:pk>/confirm/", CampaignConfirmView.as_view(), name="campaign_confirm"),
    path("entries/<int:pk>/", EntryDetailView.as_view(), name="entry_detail"),
]
