"""Screens of the liaison capability: applications (L-02..L-08, P-04).

The lab prepares an application, the branch centre checks it, the training centre decides.
Every page looks the application up in the user's scope (404 alike for missing and
forbidden); every write is one service call whose ``ValidationError`` the user reads and whose
``PermissionDenied`` answers 403.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from cqcportal.timeline import timeline_for
from directory.constants import CertificationFieldCode, Role
from directory.idnumbers import mask_id_number
from directory.idsearch import IdNumberSearchMixin
from directory.selectors import get_in_scope_or_404

from .. import permissions, selectors
from ..constants import ApplicationState, MaterialKind
from ..forms import (
    DEFAULT_STATES,
    ActionForm,
    ApplicationFilter,
    HireChosenForm,
)
from ..models import LiaisonApplication
from ..services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_reject,
    liaison_application_return,
    liaison_application_submit,
    liaison_application_withdraw,
)
from ..services.hiring import liaison_application_hire, liaison_applications_hire

#: The file name extension of each stored content type; downloads are named by kind (P-04:
#: the uploaded name may hold an ID number).
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def application_in_scope(request, pk) -> LiaisonApplication:
    return get_in_scope_or_404(selectors.application_list(user=request.user), pk)


def detail_url(application: LiaisonApplication) -> str:
    return reverse("liaisons:application_detail", args=[application.pk])


# --- list --------------------------------------------------------------------------------------


def application_rows(applications) -> list[dict]:
    """Plain rows of a page of applications: name, masked ID number (P-04), lab, the labels of
    the fields in the order of the ten, state, submission date and age in days."""
    rows = list(
        applications.values(
            "id",
            "applicant_name",
            "person_id",
            "person__id_number",
            "lab_id",
            "lab__name",
            "state",
            "submitted_at",
        )
    )
    labels: dict[int, list] = {}
    for application_id, code in (
        LiaisonApplication.fields.through.objects.filter(
            liaisonapplication_id__in=[row["id"] for row in rows]
        )
        .order_by("certificationfield__position")
        .values_list("liaisonapplication_id", "certificationfield_id")
    ):
        labels.setdefault(application_id, []).append(CertificationFieldCode(code).label)
    today = timezone.localdate()
    for row in rows:
        submitted = row["submitted_at"]
        row["masked_id_number"] = mask_id_number(row.pop("person__id_number"))
        row["fields"] = labels.get(row["id"], [])
        row["state_label"] = ApplicationState(row["state"]).label
        row["age_days"] = (today - timezone.localdate(submitted)).days if submitted else None
    return rows


class ApplicationListView(IdNumberSearchMixin, LoginRequiredMixin, FilterView):
    """Lab staff: their lab's applications; branch reviewers: the review queue of their labs;
    the training centre: the decision queue (L-07). The search form posts, so an applicant's
    ID number typed into it never reaches the URL (P-04, ``directory.idsearch``)."""

    filterset_class = ApplicationFilter
    id_search_person = "person_id"
    id_search_label = gettext_lazy("Applicant's name or ID number")
    template_name = "liaisons/applications/list.html"
    paginate_by = 50
    context_object_name = "applications"

    def get_queryset(self):
        applications = selectors.application_list(user=self.request.user)
        if self.request.user.role in DEFAULT_STATES:
            # A queue: who has waited longest comes first.
            applications = applications.order_by("submitted_at", "id")
        return applications

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        defaults = DEFAULT_STATES.get(self.request.user.role)
        if defaults and not set(self.request.GET) - {"page"}:
            # A first visit shows the role's queue; the state boxes widen it.
            data = self.request.GET.copy()
            data.setlist("state", [str(state) for state in defaults])
            kwargs["data"] = data
        return kwargs

    def paginate_queryset(self, queryset, page_size):
        """Count on the model queryset, then read the page's rows with one ``values()`` query
        and their fields with one more: the queue grows with the country, and plain rows keep
        it within 2x of a bare query (bench/README.md). The ID number is masked here (P-04)."""
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        rows = application_rows(rows)
        # Those who check and decide see whom a hire would take from another lab (L-12), in one
        # query for the page; the lab never does (issue 10).
        ended = selectors.qualifications_ended_by_hires(user=self.request.user, rows=rows)
        for row in rows:
            row["ends_qualification_at"] = ended.get(row["id"], "")
        page.object_list = rows
        return paginator, page, rows, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        titles = {
            Role.LAB_STAFF: _("Our applications"),
            Role.BRANCH_REVIEWER: _("Applications to check"),
            Role.TRAINING_ADMIN: _("Applications to decide"),
        }
        context["title"] = titles.get(user.role, _("Liaison applications"))
        # The decision queue: the training centre hires the chosen applicants in one decision.
        context["can_hire_chosen"] = permissions.is_training_centre(user)
        if context["can_hire_chosen"]:
            context["query"] = self.request.GET.urlencode()
            context["any_to_hire"] = any(
                row["state"] == ApplicationState.PASSED for row in context["applications"]
            )
        context["can_start"] = bool(
            user.role == Role.LAB_STAFF
            and user.lab_id
            and permissions.can_prepare_for_lab(user, user.lab)
        )
        return context


# --- the application's page and its steps ---------------------------------------------------------


@dataclass(frozen=True)
class Action:
    service: Callable
    label: Promise
    done: Promise
    reason_required: bool = False
    # A step that cannot be undone: shown apart from the others, styled as such, and taken
    # only once the user confirmed it (issue 10).
    destructive: bool = False


#: The steps of the flow (L-07), by the names ``permissions.actions_for`` returns.
ACTIONS: dict[str, Action] = {
    "submit": Action(
        liaison_application_submit,
        gettext_lazy("Submit to the branch centre"),
        gettext_lazy("The application was submitted to the branch centre."),
    ),
    "withdraw": Action(
        liaison_application_withdraw,
        gettext_lazy("Withdraw the application"),
        gettext_lazy("The application was withdrawn."),
        destructive=True,
    ),
    "accept": Action(
        liaison_application_accept,
        gettext_lazy("Accept the materials for checking"),
        gettext_lazy("The materials were accepted for checking."),
    ),
    "return": Action(
        liaison_application_return,
        gettext_lazy("Return to the lab for correction"),
        gettext_lazy("The application was returned to the lab."),
        reason_required=True,
    ),
    "pass": Action(
        liaison_application_pass,
        gettext_lazy("Pass on to the training centre"),
        gettext_lazy("The application was passed on to the training centre."),
    ),
    "hire": Action(
        liaison_application_hire,
        gettext_lazy("Hire"),
        gettext_lazy("The applicant was hired as a certification liaison officer."),
    ),
    "reject": Action(
        liaison_application_reject,
        gettext_lazy("Reject"),
        gettext_lazy("The application was rejected."),
        reason_required=True,
    ),
}


def _qualification_url(user, application) -> str:
    """The page of the qualification a hire created, when the user may see it."""
    qualification = selectors.qualification_list(user=user).filter(application=application).first()
    if qualification is None:
        return ""
    try:
        return reverse("liaisons:qualification_detail", args=[qualification.pk])
    except NoReverseMatch:
        return ""


class ApplicationDetailView(LoginRequiredMixin, DetailView):
    """Everything the application holds, its timeline and the steps the user may take."""

    model = LiaisonApplication
    template_name = "liaisons/applications/detail.html"
    context_object_name = "application"

    def get_object(self, queryset=None):
        return application_in_scope(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application, user = self.object, self.request.user
        materials = {m.kind: m for m in application.materials.all()}
        context.update(
            person=application.applicant,
            show_full_id_number=permissions.can_view_applicant_id_number(user, application),
            record_differences=selectors.applicant_record_differences(
                user=user, application=application
            ),
            other_applications=list(
                selectors.other_open_applications(user=user, application=application)
            ),
            ended_by_hire=selectors.qualification_ended_by_hire(user=user, application=application),
            fields=list(application.fields.all()),
            entries=application.assessment_entries.select_related("field").order_by("position"),
            materials=[(kind, materials.get(kind)) for kind in MaterialKind],
            timeline=timeline_for(application),
            actions=[
                {
                    "name": name,
                    "label": ACTIONS[name].label,
                    "destructive": ACTIONS[name].destructive,
                    "form": ActionForm(
                        reason_required=ACTIONS[name].reason_required,
                        confirm_required=ACTIONS[name].destructive,
                        auto_id=f"id_{name}_%s",
                    ),
                    "url": reverse(f"liaisons:application_{name}", args=[application.pk]),
                }
                for name in permissions.actions_for(user, application)
            ],
            can_edit=permissions.can_edit_application(user, application),
            qualification_url=_qualification_url(user, application)
            if application.state == ApplicationState.HIRED
            else "",
        )
        return context


class ApplicationActionView(LoginRequiredMixin, View):
    """One step of the flow (L-07), posted from the application's page. Problems the user
    can fix, and a step someone else took a moment ago, come back as messages."""

    model = LiaisonApplication
    action = ""

    def post(self, request, pk):
        application = application_in_scope(request, pk)
        action = ACTIONS[self.action]
        form = ActionForm(
            request.POST,
            reason_required=action.reason_required,
            confirm_required=action.destructive,
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(detail_url(application))
        text = form.cleaned_data["comment"]
        arguments = {"reason": text} if action.reason_required else {"comment": text}
        try:
            action.service(application=application, actor=request.user, **arguments)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, action.done)
        return redirect(detail_url(application))


class HireChosenView(LoginRequiredMixin, View):
    """The decision queue's "hire the chosen" (L-07): several applicants in one decision, all
    or none; every problem of every applicant comes back as a message."""

    def post(self, request):
        passed = selectors.application_list(user=request.user).filter(state=ApplicationState.PASSED)
        form = HireChosenForm(request.POST, applications=passed)
        # Back to the queue as the user filtered it (only ever a query string of that page).
        query = request.POST.get("query", "")
        back = reverse("liaisons:application_list") + (f"?{query}" if query else "")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(back)
        try:
            hired = liaison_applications_hire(
                applications=form.cleaned_data["applications"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d applicant was hired as a certification liaison officer.",
                    "%(count)d applicants were hired as certification liaison officers.",
                    len(hired),
                )
                % {"count": len(hired)},
            )
        return redirect(back)


urlpatterns = [
    path("applications/", ApplicationListView.as_view(), name="application_list"),
    path("applications/hire/", HireChosenView.as_view(), name="application_hire_chosen"),
    path("applications/<int:pk>/", ApplicationDetailView.as_view(), name="application_detail"),
    *[
        path(
            f"applications/<int:pk>/{name}/",
            ApplicationActionView.as_view(action=name),
            name=f"application_{name}",
        )
        for name in ACTIONS
    ],
]
