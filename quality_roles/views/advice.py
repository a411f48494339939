"""Screens of the director's advice (Q-11): the list with its filters and download, one
advice's page with its timeline, the director's form to give advice and the body's form to
record management's answer."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import CertificationBody
from directory.views import ScopedDetailView

from .. import permissions, selectors
from ..filters_oversight import AdviceFilter
from ..forms_oversight import AdviceAnswerForm, AdviceGiveForm
from ..models import DirectorAdvice
from ..services.advice import advice_answer_record, advice_give
from .common import ObjectFormView
from .lists import ScopedFilterListView, list_patterns


class AdviceListView(ScopedFilterListView):
    template_name = "quality_roles/advice/list.html"
    filterset_class = AdviceFilter
    selector = selectors.advice_list
    export_kind = "advice"
    context_object_name = "advice_list"


class AdviceDetailView(ScopedDetailView):
    model = DirectorAdvice
    selector = selectors.advice_list
    template_name = "quality_roles/advice/detail.html"
    context_object_name = "advice"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_answer"] = (
            permissions.can_record_advice_answer(self.request.user, self.object)
            and self.object.answer == ""
        )
        return context


class AdviceGiveView(ObjectFormView):
    model = CertificationBody
    selector = selectors.body_list
    form_class = AdviceGiveForm
    title = gettext_lazy("Give written advice to management")
    intro = gettext_lazy(
        "Management answers in writing; a rejection without a reason marks the director as "
        "having done the duty (Q-11)."
    )
    submit_label = gettext_lazy("Record the advice")

    def allowed(self, body) -> bool:
        return permissions.can_give_advice(self.request.user, body)

    def perform(self, body, data):
        return advice_give(body=body, actor=self.request.user, **data)

    def success_message(self, body) -> str:
        return _("The advice is recorded; management's answer comes next (Q-11).")


class AdviceAnswerView(ObjectFormView):
    model = DirectorAdvice
    selector = selectors.advice_list
    form_class = AdviceAnswerForm
    title = gettext_lazy("Record management's answer")
    submit_label = gettext_lazy("Record the answer")

    def allowed(self, advice) -> bool:
        return permissions.can_record_advice_answer(self.request.user, advice)

    def perform(self, advice, data):
        return advice_answer_record(advice=advice, actor=self.request.user, **data)


urlpatterns = [
    *list_patterns("advice", AdviceListView),
    path("advice/<int:pk>/", AdviceDetailView.as_view(), name="advice_detail"),
    path("advice/<int:pk>/answer/", AdviceAnswerView.as_view(), name="advice_answer"),
    path("bodies/<int:pk>/advice/new/", AdviceGiveView.as_view(), name="advice_give"),
]
