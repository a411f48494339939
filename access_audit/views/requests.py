"""Screens of the requests for a login right (A-02): the list, the form to apply, one
request's page with the step the user may take now, each step one service call."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import View
from django_filters.views import FilterView

from cqcportal.timeline import timeline_for
from directory.constants import Role
from directory.models import Person
from directory.selectors import get_in_scope_or_404, own_person
from directory.views import ScopedDetailView

from ..exports import FORMATS, export_requests, format_available
from ..filters import LoginRightRequestFilter
from ..forms import CommentForm, RefuseForm, RequestForm
from ..models import LoginRightRequest
from ..permissions import rights as permissions
from ..selectors import rights as selectors
from ..services.requests import (
    login_right_request_accept,
    login_right_request_grant,
    login_right_request_refuse,
    login_right_request_submit,
    login_right_request_withdraw,
)


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ``ValidationError`` on the field it names, if the form has it, otherwise
    above the form."""
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RequestListView(LoginRequiredMixin, FilterView):
    filterset_class = LoginRightRequestFilter
    template_name = "access_audit/requests/list.html"
    paginate_by = 50
    context_object_name = "requests"

    def get_queryset(self):
        return selectors.request_list(user=self.request.user).order_by("-submitted_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            can_submit=permissions.may_submit_requests(self.request.user),
            export_formats=[fmt for fmt in FORMATS if format_available(fmt)],
            export_query=query.urlencode(),
        )
        return context


class RequestExportView(LoginRequiredMixin, View):
    fmt = "csv"

    def get(self, request):
        if not format_available(self.fmt):
            raise Http404
        requests = selectors.request_list(user=request.user)
        filterset = LoginRightRequestFilter(request.GET, queryset=requests, request=request)
        requests = filterset.qs if filterset.is_valid() else requests.none()
        response = HttpResponse(export_requests(requests, self.fmt), content_type=FORMATS[self.fmt])
        day = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="login-right-requests-{day}.{self.fmt}"'
        )
        return response


class RequestCreateView(LoginRequiredMixin, View):
    """Lab staff apply for a person of their lab; a person applies for themself (A-02)."""

    template_name = "access_audit/requests/new.html"

    def _people(self):
        """``None`` for a person (they apply for themself), else whom lab staff may name."""
        user = self.request.user
        if not permissions.may_submit_requests(user):
            raise PermissionDenied
        return selectors.requestable_people(user=user) if user.role == Role.LAB_STAFF else None

    def _context(self, form, people):
        user = self.request.user
        person = own_person(user=user) if people is None else None
        accounts = []
        if person is not None:
            # A person's own accounts: what their list shows them.
            accounts = list(selectors.right_list(user=user).order_by("username"))
        return {"form": form, "subject": person, "accounts": accounts}

    def get(self, request):
        people = self._people()
        initial = {}
        if people is not None and request.GET.get("person"):
            initial["person"] = get_in_scope_or_404(people, request.GET["person"])
        form = RequestForm(people=people, initial=initial)
        return render(request, self.template_name, self._context(form, people))

    def post(self, request):
        people = self._people()
        form = RequestForm(request.POST, people=people)
        if form.is_valid():
            person = form.cleaned_data.get("person") or own_person(user=request.user)
            if not isinstance(person, Person):
                raise PermissionDenied
            try:
                login_request = login_right_request_submit(
                    person=person,
                    username=form.cleaned_data["username"],
                    actor=request.user,
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The request was sent to the quality technology dept (A-02).")
                )
                return redirect("access_audit:request_detail", login_request.pk)
        return render(request, self.template_name, self._context(form, people), status=400)


class RequestDetailView(ScopedDetailView):
    model = LoginRightRequest
    selector = selectors.request_list
    template_name = "access_audit/requests/detail.html"
    context_object_name = "login_request"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request.user, self.object, with_timeline=False))
        return context


def detail_context(user, login_request, *, with_timeline: bool = True, **forms) -> dict:
    """What the request's page shows: its steps, and the forms of the steps ``user`` may take."""
    context = {
        "login_request": login_request,
        "actions": permissions.request_actions(user, login_request),
        "accept_form": forms.get("accept") or CommentForm(prefix="accept"),
        "grant_form": forms.get("grant") or CommentForm(prefix="grant"),
        "refuse_form": forms.get("refuse") or RefuseForm(prefix="refuse"),
        "withdraw_form": forms.get("withdraw") or CommentForm(prefix="withdraw"),
    }
    # The form of a step that just failed: its problems are shown even when the step is no
    # longer open (someone acted a moment before).
    context["failed_action"], context["failed_form"] = next(iter(forms.items()), ("", None))
    if with_timeline:
        context["timeline"] = timeline_for(login_request)
    return context


DONE = {
    "accept": gettext_noop("The request was accepted and passed to the general business dept."),
    "grant": gettext_noop("The login right was granted."),
    "refuse": gettext_noop("The request was refused."),
    "withdraw": gettext_noop("The request was withdrawn."),
}


class RequestActionView(LoginRequiredMixin, View):
    """Accept, grant, refuse or withdraw: one service call, then back to the request."""

    model = LoginRightRequest
    http_method_names = ["post"]
    action = ""

    def post(self, request, pk):
        login_request = get_in_scope_or_404(selectors.request_list(user=request.user), pk)
        form_class = RefuseForm if self.action == "refuse" else CommentForm
        form = form_class(request.POST, prefix=self.action)
        if form.is_valid():
            try:
                if self.action == "refuse":
                    login_right_request_refuse(
                        request=login_request,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                else:
                    service = {
                        "accept": login_right_request_accept,
                        "grant": login_right_request_grant,
                        "withdraw": login_right_request_withdraw,
                    }[self.action]
                    service(
                        request=login_request,
                        actor=request.user,
                        comment=form.cleaned_data["comment"],
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _(DONE[self.action]))
                return redirect("access_audit:request_detail", login_request.pk)
        login_request.refresh_from_db()
        return render(
            request,
            "access_audit/requests/detail.html",
            detail_context(request.user, login_request, **{self.action: form}),
            status=400,
        )
