"""Screens of the liaison capability: personal-data change requests (P-03 tiers b and c).

The legacy liaisons (L-13) are ``liaisons.views.legacy``."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import View
from django_filters.views import FilterView

from cqcportal.timeline import timeline_for
from directory import selectors as directory_selectors
from directory.constants import IMPORTANT_FIELDS, Role
from directory.models import CertificationField, Person, TestingLab
from directory.permissions import can_view_full_id_number
from directory.selectors import get_in_scope_or_404
from directory.views import ScopedDetailView

from .. import selectors
from ..constants import (
    ChangeRequestState,
    ChangeTier,
)
from ..forms_changes import (
    QUALIFICATION_ERROR_FIELDS,
    ChangeRequestFilter,
    CommentForm,
    ImportantChangeForm,
    QualificationChangeForm,
    RejectForm,
)
from ..models import ChangeRequest
from ..permissions import change_request_actions, is_training_centre
from ..services.changes import (
    change_request_approve,
    change_request_forward,
    change_request_reject,
    change_request_submit,
)

# --- helpers -------------------------------------------------------------------------------


def add_service_errors(form, error: ValidationError, names: dict[str, str] | None = None):
    """A service's ``ValidationError`` shown on the form: on the field it names, if the form
    has it, otherwise above the form."""
    names = names or {}
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            field = names.get(key, key)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _current_qualifications(user):
    """The qualifications held now (one lab at a time) that ``user`` sees."""
    return selectors.qualification_list(user=user).current()


def _display(field: str, value) -> str:
    """A value of a change request as a person reads it."""
    if value in (None, "", []):
        return "—"
    if field == "lab":
        lab = TestingLab.objects.filter(pk=value).first()
        return lab.name if lab else str(value)
    if field == "fields":
        names = dict((f.code, str(f)) for f in CertificationField.objects.filter(code__in=value))
        return "、".join(names.get(code, code) for code in value)
    model_field = Person._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _label(field: str) -> str:
    if field == "lab":
        return _("Testing lab")
    if field == "fields":
        return _("Certification fields")
    return str(Person._meta.get_field(field).verbose_name)


# --- change requests -----------------------------------------------------------------------


class ChangeRequestListView(LoginRequiredMixin, FilterView):
    """Branch centre: its requests; training centre: the forwarded ones unless it filters
    otherwise; lab staff and persons: their own."""

    filterset_class = ChangeRequestFilter
    template_name = "liaisons/changes/list.html"
    paginate_by = 50
    context_object_name = "change_requests"

    def get_queryset(self):
        return selectors.change_request_list(user=self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if is_training_centre(self.request.user) and "state" not in self.request.GET:
            data = self.request.GET.copy()
            data["state"] = ChangeRequestState.FORWARDED
            kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_request"] = _may_request(self.request.user)
        return context


def _may_request(user) -> bool:
    if user.role == Role.LAB_STAFF:
        return True
    return directory_selectors.own_person(user=user) is not None


class ChangeRequestCreateView(LoginRequiredMixin, View):
    """A person requests a change of their own data; lab staff request one for a person of
    their lab (tier b) or one of its liaisons (tier c) (P-03)."""

    template_name = "liaisons/changes/new.html"
    forms = {
        ChangeTier.IMPORTANT: ImportantChangeForm,
        ChangeTier.QUALIFICATION: QualificationChangeForm,
    }

    def _people(self, tier):
        """``None`` for a person (they request for themself), else whom lab staff may name."""
        user = self.request.user
        if user.role == Role.LAB_STAFF:
            people = directory_selectors.person_list(user=user)
            if tier == ChangeTier.QUALIFICATION:
                people = people.filter(pk__in=_current_qualifications(user).values("person"))
            return people
        if directory_selectors.own_person(user=user) is None:
            raise PermissionDenied
        return None

    def _tier(self):
        tier = self.request.GET.get("tier", "")
        return tier if tier in self.forms else None

    def _subject(self, people):
        """The person the form is about, when known: oneself, or ``?person=`` for lab staff."""
        user = self.request.user
        if people is None:
            return directory_selectors.own_person(user=user)
        if self.request.GET.get("person"):
            return get_in_scope_or_404(people, self.request.GET["person"])
        return None

    def _initial(self, tier, person):
        if person is None:
            return {}
        if tier == ChangeTier.QUALIFICATION:
            qualification = _current_qualifications(self.request.user).filter(person=person).first()
            initial = {"person": person}
            if qualification is not None:
                initial["fields_held"] = list(qualification.fields.all())
            return initial
        return {"person": person}

    def _context(self, tier, form, person):
        current = []
        if person is not None and tier == ChangeTier.IMPORTANT:
            current = [(_label(f), _display(f, getattr(person, f))) for f in IMPORTANT_FIELDS]
        elif person is not None and tier == ChangeTier.QUALIFICATION:
            qualification = _current_qualifications(self.request.user).filter(person=person).first()
            if qualification is not None:
                current = [
                    (_label("lab"), qualification.lab.name),
                    (_label("fields"), _display("fields", _codes(qualification))),
                ]
        return {"tier": tier, "form": form, "subject": person, "current": current}

    def get(self, request):
        tier = self._tier()
        if tier is None:
            self._people(ChangeTier.IMPORTANT)  # 403 for whoever may request nothing
            return render(request, "liaisons/changes/choose.html", {"tiers": ChangeTier})
        people = self._people(tier)
        person = self._subject(people)
        form = self.forms[tier](people=people, initial=self._initial(tier, person))
        return render(request, self.template_name, self._context(tier, form, person))

    def post(self, request):
        tier = self._tier()
        if tier is None:
            raise Http404
        people = self._people(tier)
        form = self.forms[tier](request.POST, request.FILES, people=people)
        person = self._subject(people)
        if form.is_valid():
            if people is not None:
                person = form.cleaned_data["person"]
            try:
                change_request = change_request_submit(
                    person=person,
                    actor=request.user,
                    tier=tier,
                    changes=form.changes(),
                    justification=form.cleaned_data["justification"],
                    change_form=form.cleaned_data.get("change_form"),
                )
            except ValidationError as error:
                add_service_errors(form, error, QUALIFICATION_ERROR_FIELDS)
            else:
                messages.success(
                    request, _("Your request was sent to the branch centre for checking.")
                )
                return redirect("liaisons:change_request_detail", change_request.pk)
        return render(request, self.template_name, self._context(tier, form, person), status=400)


def _codes(qualification) -> list[str]:
    return list(qualification.fields.order_by("position").values_list("code", flat=True))


class ChangeRequestDetailView(ScopedDetailView):
    model = ChangeRequest
    selector = selectors.change_request_list
    template_name = "liaisons/changes/detail.html"
    context_object_name = "change_request"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request.user, self.object, with_timeline=False))
        return context


def detail_context(
    user, change_request: ChangeRequest, *, with_timeline: bool = True, **forms
) -> dict:
    """What the detail page shows: before → after, the actions the user may take now."""
    keys = list(dict.fromkeys([*change_request.previous, *change_request.changes]))
    actions = change_request_actions(user, change_request)
    context = {
        "change_request": change_request,
        "rows": [
            (
                _label(key),
                _display(key, change_request.previous.get(key)),
                _display(key, change_request.changes.get(key)),
            )
            for key in keys
        ],
        "show_full_id_number": can_view_full_id_number(user, change_request.person),
        "actions": actions,
        "forward_form": forms.get("forward") or CommentForm(prefix="forward"),
        "approve_form": forms.get("approve") or CommentForm(prefix="approve"),
        "reject_form": forms.get("reject") or RejectForm(prefix="reject"),
    }
    # The form of an action that just failed: its problems are shown even when the action
    # is no longer open (someone acted a moment before).
    context["failed_action"], context["failed_form"] = next(iter(forms.items()), ("", None))
    if with_timeline:
        context["timeline"] = timeline_for(change_request)
    return context


class ChangeRequestFormDownloadView(LoginRequiredMixin, View):
    """The attached change form, to those who see the request; always as a download."""

    model = ChangeRequest

    def get(self, request, pk):
        change_request = get_in_scope_or_404(selectors.change_request_list(user=request.user), pk)
        if not change_request.change_form:
            raise Http404
        content_type = change_request.change_form_content_type or "application/octet-stream"
        extension = mimetypes.guess_extension(content_type) or ""
        response = FileResponse(
            change_request.change_form.open("rb"),
            as_attachment=True,
            filename=f"change-form-{change_request.pk}{extension}",
            content_type=content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ChangeRequestActionView(LoginRequiredMixin, View):
    """Forward, approve or reject: one service call, then back to the request."""

    model = ChangeRequest
    http_method_names = ["post"]
    action = ""

    def post(self, request, pk):
        change_request = get_in_scope_or_404(selectors.change_request_list(user=request.user), pk)
        form_class = RejectForm if self.action == "reject" else CommentForm
        form = form_class(request.POST, prefix=self.action)
        if form.is_valid():
            try:
                if self.action == "forward":
                    change_request_forward(
                        request=change_request,
                        actor=request.user,
                        comment=form.cleaned_data["comment"],
                    )
                elif self.action == "approve":
                    change_request_approve(
                        request=change_request,
                        actor=request.user,
                        comment=form.cleaned_data["comment"],
                    )
                else:
                    change_request_reject(
                        request=change_request,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _(DONE[self.action]))
                return redirect("liaisons:change_request_detail", change_request.pk)
        change_request.refresh_from_db()
        return render(
            request,
            "liaisons/changes/detail.html",
            detail_context(request.user, change_request, **{self.action: form}),
            status=400,
        )


DONE = {
    "forward": gettext_noop("The request was forwarded to the training centre."),
    "approve": gettext_noop("The request was approved and the change applied."),
    "reject": gettext_noop("The request was rejected."),
}


urlpatterns = [
    path("changes/", ChangeRequestListView.as_view(), name="change_request_list"),
    path("changes/new/", ChangeRequestCreateView.as_view(), name="change_request_create"),
    path("changes/<int:pk>/", ChangeRequestDetailView.as_view(), name="change_request_detail"),
    path(
        "changes/<int:pk>/form/",
        ChangeRequestFormDownloadView.as_view(),
        name="change_request_form",
    ),
    path(
        "changes/<int:pk>/forward/",
        ChangeRequestActionView.as_view(action="forward"),
        name="change_request_forward",
    ),
    path(
        "changes/<int:pk>/approve/",
        ChangeRequestActionView.as_view(action="approve"),
        name="change_request_approve",
    ),
    path(
        "changes/<int:pk>/reject/",
        ChangeRequestActionView.as_view(action="reject"),
        name="change_request_reject",
    ),
]
