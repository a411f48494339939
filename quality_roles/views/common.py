"""What the quality roles' screens share: a service's refusal on its form, the page that
shows an object, and a form about one object of the user's scope on a page of its own. Each
part of the quality roles has its own views module; ``urls.py`` joins their patterns."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from directory.models import CertificationBody

from .. import selectors
from ..models import BodyStaff, DirectorAppointment, Filing


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field where the form has one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def page_of(obj) -> str:
    """The page that shows ``obj``: a body's, an appointment's (a filing's director)."""
    if isinstance(obj, CertificationBody):
        return reverse("quality_roles:body_detail", args=[obj.pk])
    if isinstance(obj, BodyStaff):
        return reverse("quality_roles:body_detail", args=[obj.body_id])
    if isinstance(obj, DirectorAppointment):
        return reverse("quality_roles:director_detail", args=[obj.pk])
    if isinstance(obj, Filing):
        return reverse("quality_roles:director_detail", args=[obj.appointment_id])
    if hasattr(obj, "get_absolute_url"):
        # The later parts (certificates, incidents ...) name their own page.
        return obj.get_absolute_url()
    return reverse("quality_roles:lead_detail", args=[obj.pk])


# --- a form on a page of its own, for one object ------------------------------------------------


class ObjectFormView(LoginRequiredMixin, View):
    """A form about one object of the user's scope: 404 outside it, 403 for who may not act,
    the service's refusal on the form (400)."""

    model = None
    selector = None
    form_class = None
    template_name = "quality_roles/form_page.html"
    title = ""
    intro = ""
    submit_label = gettext_lazy("Save")

    def get_object(self):
        return selectors.get_in_scope_or_404(
            type(self).selector(user=self.request.user), self.kwargs["pk"]
        )

    def allowed(self, obj) -> bool:
        raise NotImplementedError

    def form_kwargs(self, obj) -> dict:
        return {}

    def initial(self, obj) -> dict:
        return {}

    def perform(self, obj, data):
        """Call the service; return the object to show next."""
        raise NotImplementedError

    def success_message(self, obj) -> str:
        return _("Saved.")

    def extra_context(self, obj) -> dict:
        """What the page shows besides the form (a warning of what the step would do)."""
        return {}

    def _object(self):
        obj = self.get_object()
        if not self.allowed(obj):
            raise PermissionDenied
        return obj

    def get(self, request, *args, **kwargs):
        obj = self._object()
        form = self.form_class(initial=self.initial(obj), **self.form_kwargs(obj))
        return self._render(obj, form)

    def post(self, request, *args, **kwargs):
        obj = self._object()
        form = self.form_class(request.POST, **self.form_kwargs(obj))
        if form.is_valid():
            try:
                shown = self.perform(obj, form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, self.success_message(obj))
                return redirect(page_of(shown))
        return self._render(obj, form, status=400)

    def _render(self, obj, form, status=200):
        context = {
            "object": obj,
            "form": form,
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "back_url": page_of(obj),
            **self.extra_context(obj),
        }
        return render(self.request, self.template_name, context, status=status)


# --- a step on an object: one service call, from its own page or from the object's page --------


@dataclass
class Step:
    """A step the object's page offers: its form inline, posted to the step's own page."""

    name: str
    label: str
    form: forms.Form
    url: str
    destructive: bool = False


class StepView(ObjectFormView):
    """A step on an object that is one service call,
    ``service(<object_arg>=obj, actor=user, **the form's data)``, named
    ``quality_roles:<url_prefix>_<step>``. A part declares its base (model, selector, who may)
    and then one small subclass per step: its form, words and service."""

    step = ""
    url_prefix = ""
    object_arg = ""
    #: The service: a plain function, read from the class (never bound to the view).
    service = None
    destructive = False

    def perform(self, obj, data):
        return type(self).service(**{self.object_arg: obj}, actor=self.request.user, **data)

    @classmethod
    def offered(cls, obj) -> Step:
        """The step as the object's page shows it."""
        return Step(
            name=cls.step,
            label=str(cls.submit_label),
            form=cls.form_class(**cls().form_kwargs(obj)),
            url=reverse(f"quality_roles:{cls.url_prefix}_{cls.step}", args=[obj.pk]),
            destructive=cls.destructive,
        )


def step_table(*views: type[StepView]) -> dict[str, type[StepView]]:
    return {view.step: view for view in views}


def step_paths(route: str, table: dict[str, type[StepView]]) -> list:
    """``<route>/<int:pk>/<step>/`` for each step of the table."""
    return [
        path(f"{route}/<int:pk>/{name}/", view.as_view(), name=f"{view.url_prefix}_{name}")
        for name, view in table.items()
    ]


def lead_end_warning(appointment) -> dict:
    """Q-05: the certificates ending this lead's appointment would leave uncovered (the
    first 50 of them, and how many in all), for the lead's page and the end screen."""
    from ..coverage import would_uncover

    certificates = would_uncover(appointment).select_related("project", "category")
    return {
        "would_uncover": list(certificates.order_by("number", "pk")[:50]),
        "would_uncover_count": certificates.count(),
    }


def coverage_of(body) -> dict:
    """Q-05: the body's uncovered certificates (the first 10, and how many), for its page."""
    from ..coverage import uncovered_certificates, uncovered_count

    certificates = uncovered_certificates(body=body)
    return {
        "uncovered": list(certificates.order_by("number", "pk")[:10]),
        "uncovered_count": uncovered_count(body=body),
    }
