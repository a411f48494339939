"""Pages of the directory: dashboard, people, labs, branch centres, certification bodies."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django.views.i18n import set_language as django_set_language
from django_filters.views import FilterView

from cqcportal.timeline import timeline_for

from . import registry, selectors, services
from .dashboard import cards_for
from .filters import PersonFilter
from .forms import LockedOutPasswordChangeForm, SelfMaintainedDataForm
from .idnumbers import mask_id_number
from .idsearch import IdNumberSearchMixin
from .models import BranchCentre, CertificationBody, Person, TestingLab
from .permissions import can_edit_self_maintained, can_view_full_id_number


class ScopedDetailView(LoginRequiredMixin, DetailView):
    """A detail page whose object comes from the user's scoped selector (404 outside it)."""

    selector = None  # a function (user=) -> QuerySet

    def get_object(self, queryset=None):
        return selectors.get_in_scope_or_404(
            type(self).selector(user=self.request.user), self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = timeline_for(self.object)
        return context


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "directory/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = cards_for(self.request.user)
        return context


class PersonListView(IdNumberSearchMixin, LoginRequiredMixin, FilterView):
    """Everyone in the user's scope, ID numbers masked whoever looks (P-04); those who may
    see full numbers may search by one without it reaching the URL (``directory.idsearch``)."""

    filterset_class = PersonFilter
    id_search_label = gettext_lazy("Name, employment number or ID number")
    template_name = "directory/person_list.html"
    paginate_by = 50
    context_object_name = "people"

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)

    def paginate_queryset(self, queryset, page_size):
        """Count on the model queryset, then read the page's rows with one ``values()`` query.

        The list is the busiest page at national scale; plain rows instead of model
        instances keep it within 2x of a bare query (bench/README.md). The ID number is
        masked here, before anything reaches the template (P-04).
        """
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        rows = list(
            rows.values("id", "name", "id_number", "employment_number", "lab__name", "body__name")
        )
        for row in rows:
            row["masked_id_number"] = mask_id_number(row.pop("id_number"))
        page.object_list = rows
        return paginator, page, rows, is_paginated


class PersonDetailView(ScopedDetailView):
    model = Person
    selector = selectors.person_list
    template_name = "directory/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        context["show_full_id_number"] = can_view_full_id_number(user, person)
        context["can_edit"] = can_edit_self_maintained(user, person)
        return context


class MyProfileView(LoginRequiredMixin, View):
    """The signed-in person's own record, with tier (a) data editable (P-03)."""

    template_name = "directory/my_profile.html"

    def _person(self):
        person = selectors.own_person(user=self.request.user)
        if person is None:
            raise Http404
        return person

    def get(self, request):
        person = self._person()
        form = SelfMaintainedDataForm(instance=person)
        return render(request, self.template_name, self._context(person, form))

    def post(self, request):
        person = self._person()
        # The form validates a copy; the service alone writes the person.
        form = SelfMaintainedDataForm(
            request.POST, instance=selectors.own_person(user=request.user)
        )
        if form.is_valid():
            try:
                services.person_update_self_maintained(
                    person=person, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your data has been saved."))
                return redirect("directory:my_profile")
        return render(request, self.template_name, self._context(person, form), status=400)

    def _context(self, person, form):
        return {"person": person, "form": form, "timeline": timeline_for(person)}


class LabListView(LoginRequiredMixin, ListView):
    template_name = "directory/lab_list.html"
    paginate_by = 50
    context_object_name = "labs"

    def get_queryset(self):
        return selectors.lab_list(user=self.request.user).prefetch_related("business_scope")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each field of each lab's scope with what the apps mark on it (a coverage gap, L-06):
        # the markers registered in directory.registry, asked once for the page (issue 11).
        labs = list(context["labs"])
        marks = registry.lab_scope_marks([lab.pk for lab in labs])
        context["rows"] = [
            (lab, [(f, marks.get(lab.pk, {}).get(f.pk)) for f in lab.business_scope.all()])
            for lab in labs
        ]
        return context


class LabDetailView(ScopedDetailView):
    model = TestingLab
    selector = selectors.lab_list
    template_name = "directory/lab_detail.html"
    context_object_name = "lab"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people_count"] = (
            selectors.person_list(user=self.request.user).filter(lab=self.object).count()
        )
        # The panels the apps built on the directory register (issue 11), in their order.
        user = self.request.user
        context["panels"] = [
            render_to_string(template, panel_context, request=self.request)
            for template, make_context in registry.lab_panels()
            if (panel_context := make_context(lab=self.object, user=user)) is not None
        ]
        return context


class BranchListView(LoginRequiredMixin, ListView):
    template_name = "directory/branch_list.html"
    paginate_by = 50
    context_object_name = "branches"

    def get_queryset(self):
        return selectors.branch_list(user=self.request.user)


class BranchDetailView(ScopedDetailView):
    model = BranchCentre
    selector = selectors.branch_list
    template_name = "directory/branch_detail.html"
    context_object_name = "branch"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["labs"] = (
            selectors.lab_list(user=self.request.user)
            .filter(branch=self.object)
            .prefetch_related("business_scope")
        )
        return context


class BodyListView(LoginRequiredMixin, ListView):
    template_name = "directory/body_list.html"
    paginate_by = 50
    context_object_name = "bodies"

    def get_queryset(self):
        return selectors.body_list(user=self.request.user)


class BodyDetailView(ScopedDetailView):
    model = CertificationBody
    selector = selectors.body_list
    template_name = "directory/body_detail.html"
    context_object_name = "body"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = selectors.person_list(user=self.request.user).filter(body=self.object)[
            :200
        ]
        return context


def healthz(request):
    """Liveness and readiness: the database and, when configured, Redis."""
    from django.conf import settings

    checks, healthy = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        checks["database"] = f"error: {type(error).__name__}"
        healthy = False
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as error:  # noqa: BLE001
            checks["redis"] = f"error: {type(error).__name__}"
            healthy = False
    else:
        checks["redis"] = "not configured"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with the current password checked like a sign-in."""

    form_class = LockedOutPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@require_POST
def set_language(request):
    """Django's ``set_language``, which also remembers a signed-in user's choice: the portal's
    e-mails to them are written in it (issue 10)."""
    response = django_set_language(request)
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and request.user.is_authenticated:
        services.user_language_set(user=request.user, language=chosen.value, actor=request.user)
    return response
