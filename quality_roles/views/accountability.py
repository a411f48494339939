"""Screens of accountability (Q-12): the cases with their filters and download, one case's
page with its measures and timeline, and a form for each step: open (which suspends the
person first), investigate, decide a measure, close, give the permissions back."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import CertificationBody
from directory.views import ScopedDetailView

from .. import permissions, selectors
from ..constants import CaseState
from ..filters_oversight import CaseFilter
from ..forms_oversight import (
    DUTY_FIELDS,
    CaseCloseForm,
    CaseOpenForm,
    InvestigationForm,
    MeasureForm,
    RestoreForm,
)
from ..models import AccountabilityCase
from ..services import accountability as svc
from .common import ObjectFormView
from .lists import ScopedFilterListView, list_patterns


class CaseListView(ScopedFilterListView):
    template_name = "quality_roles/accountability/list.html"
    filterset_class = CaseFilter
    selector = selectors.case_list
    export_kind = "cases"
    context_object_name = "cases"


class CaseDetailView(ScopedDetailView):
    model = AccountabilityCase
    selector = selectors.case_list
    template_name = "quality_roles/accountability/detail.html"
    context_object_name = "case"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        may = permissions.can_handle_case(self.request.user, case.body)
        context.update(
            measures=list(case.measures.all()),
            duties=[
                (label, getattr(case, name))
                for name, (_model, label) in DUTY_FIELDS.items()
                if getattr(case, f"{name}_id")
            ],
            steps=[
                (name, view.submit_label)
                for name, view in CASE_STEPS.items()
                if may
                and case.state in view.states
                and not (name == "restore" and case.permissions_restored_at)
            ],
        )
        return context


class CaseOpenView(ObjectFormView):
    model = CertificationBody
    selector = selectors.body_list
    form_class = CaseOpenForm
    title = gettext_lazy("Open an accountability case")
    intro = gettext_lazy(
        "Opening the case suspends the person's permissions in the body at once (Q-12). No "
        "measure may be taken against a director or lead for a duty they performed."
    )
    submit_label = gettext_lazy("Open the case and suspend the permissions")

    def allowed(self, body) -> bool:
        return permissions.can_handle_case(self.request.user, body)

    def form_kwargs(self, body) -> dict:
        return {"body": body}

    def perform(self, body, data):
        return svc.accountability_case_open(body=body, actor=self.request.user, **data)

    def success_message(self, body) -> str:
        return _("The case is open; the person's permissions in the body are suspended (Q-12).")


class CaseStepView(ObjectFormView):
    model = AccountabilityCase
    selector = selectors.case_list
    states: tuple = ()

    def allowed(self, case) -> bool:
        return permissions.can_handle_case(self.request.user, case.body)


class CaseInvestigateView(CaseStepView):
    form_class = InvestigationForm
    title = gettext_lazy("Record the investigation")
    submit_label = gettext_lazy("Record the investigation")
    states = (CaseState.OPEN,)

    def perform(self, case, data):
        return svc.accountability_case_investigate(case=case, actor=self.request.user, **data)


class MeasureDecideView(CaseStepView):
    form_class = MeasureForm
    title = gettext_lazy("Decide a measure")
    intro = gettext_lazy("Refused against a director or lead for a duty they performed (Q-12).")
    submit_label = gettext_lazy("Decide the measure")
    states = (CaseState.INVESTIGATED,)

    def perform(self, case, data):
        svc.accountability_measure_decide(case=case, actor=self.request.user, **data)
        return case


class CaseCloseView(CaseStepView):
    form_class = CaseCloseForm
    title = gettext_lazy("Close the case")
    intro = gettext_lazy(
        "The permissions come back unless a measure keeps them suspended (suspension, "
        "transfer, demotion, removal, dismissal) or another case is open."
    )
    submit_label = gettext_lazy("Close the case")
    states = (CaseState.OPEN, CaseState.INVESTIGATED)

    def perform(self, case, data):
        return svc.accountability_case_close(case=case, actor=self.request.user, **data)


class CaseRestoreView(CaseStepView):
    form_class = RestoreForm
    title = gettext_lazy("Give the permissions back")
    submit_label = gettext_lazy("Give the permissions back")
    states = (CaseState.CLOSED,)

    def perform(self, case, data):
        return svc.accountability_permissions_restore(case=case, actor=self.request.user, **data)


CASE_STEPS = {
    "investigate": CaseInvestigateView,
    "measure": MeasureDecideView,
    "close": CaseCloseView,
    "restore": CaseRestoreView,
}

urlpatterns = [
    *list_patterns("cases", CaseListView),
    path("cases/<int:pk>/", CaseDetailView.as_view(), name="case_detail"),
    *(
        path(f"cases/<int:pk>/{name}/", view.as_view(), name=f"case_{name}")
        for name, view in CASE_STEPS.items()
    ),
    path("bodies/<int:pk>/cases/new/", CaseOpenView.as_view(), name="case_open"),
]
