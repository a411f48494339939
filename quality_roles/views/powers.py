"""Screens of the director's powers (Q-08): spot checks and the rectification orders they
lead to, measures (pause a project, suspend a certificate or the body's activities). Only
the body's active director acts; everyone of the body, and the inspectors, read."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import CertificationBody
from directory.views import ScopedDetailView

from .. import permissions, selectors
from ..constants import MeasureState, RectificationState
from ..duty_forms import (
    LiftForm,
    MeasureForm,
    RectificationCheckForm,
    RectificationDoneForm,
    RectificationIssueForm,
    SpotCheckForm,
)
from ..models import DirectorMeasure, RectificationOrder, SpotCheck
from ..services import powers
from ..tables.powers import (
    MeasureFilter,
    MeasureResource,
    RectificationFilter,
    RectificationResource,
    SpotCheckFilter,
    SpotCheckResource,
)
from .common import ObjectFormView, StepView, step_paths, step_table
from .listing import ScopedExportView, ScopedListView, list_urls

POWERS_INTRO = gettext_lazy(
    "The quality director may do this without approval from other managers (Q-08)."
)


# --- lists -------------------------------------------------------------------------------------


class SpotCheckListView(ScopedListView):
    selector = selectors.spot_check_list
    filterset_class = SpotCheckFilter
    template_name = "quality_roles/powers/spot_check_list.html"
    export_url_name = "spot_check_export"
    title = gettext_lazy("Spot checks (Q-08)")


class SpotCheckExportView(ScopedExportView):
    selector = selectors.spot_check_list
    filterset_class = SpotCheckFilter
    resource_class = SpotCheckResource
    filename = "spot-checks"


class RectificationListView(ScopedListView):
    selector = selectors.rectification_list
    filterset_class = RectificationFilter
    template_name = "quality_roles/powers/rectification_list.html"
    export_url_name = "rectification_export"
    title = gettext_lazy("Rectification orders (Q-08)")


class RectificationExportView(ScopedExportView):
    selector = selectors.rectification_list
    filterset_class = RectificationFilter
    resource_class = RectificationResource
    filename = "rectification-orders"


class MeasureListView(ScopedListView):
    selector = selectors.measure_list
    filterset_class = MeasureFilter
    template_name = "quality_roles/powers/measure_list.html"
    export_url_name = "measure_export"
    title = gettext_lazy("The director's measures (Q-08)")


class MeasureExportView(ScopedExportView):
    selector = selectors.measure_list
    filterset_class = MeasureFilter
    resource_class = MeasureResource
    filename = "director-measures"


# --- the director acts on the body ---------------------------------------------------------


class BodyPowerView(ObjectFormView):
    model = CertificationBody
    selector = selectors.body_list
    intro = POWERS_INTRO

    def allowed(self, body) -> bool:
        return permissions.can_use_director_powers(self.request.user, body)

    def form_kwargs(self, body) -> dict:
        return {"body": body}


class SpotCheckCreateView(BodyPowerView):
    form_class = SpotCheckForm
    title = gettext_lazy("Record a spot check")
    submit_label = gettext_lazy("Record the spot check")

    def perform(self, body, data):
        return powers.spot_check_record(body=body, actor=self.request.user, **data)


class MeasureCreateView(BodyPowerView):
    form_class = MeasureForm
    title = gettext_lazy("Pause a project or suspend a certificate or activities")
    submit_label = gettext_lazy("Put the measure in force")

    def perform(self, body, data):
        return powers.director_measure_take(body=body, actor=self.request.user, **data)

    def success_message(self, body) -> str:
        return _("The measure is in force (Q-08).")


# --- spot checks and their rectification orders --------------------------------------------------


class RectificationIssueView(ObjectFormView):
    model = SpotCheck
    selector = selectors.spot_check_list
    form_class = RectificationIssueForm
    title = gettext_lazy("Order rectification")
    intro = POWERS_INTRO
    submit_label = gettext_lazy("Issue the order")

    def allowed(self, check) -> bool:
        return permissions.can_use_director_powers(self.request.user, check.body)

    def form_kwargs(self, check) -> dict:
        return {"body": check.body}

    def perform(self, check, data):
        return powers.rectification_order_issue(spot_check=check, actor=self.request.user, **data)


class SpotCheckDetailView(ScopedDetailView):
    model = SpotCheck
    selector = selectors.spot_check_list
    template_name = "quality_roles/powers/spot_check_detail.html"
    context_object_name = "check"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["orders"] = list(
            self.object.rectification_orders.select_related("owner__person").order_by("pk")
        )
        context["can_order"] = permissions.can_use_director_powers(
            self.request.user, self.object.body
        )
        return context


class RectificationStepView(StepView):
    model = RectificationOrder
    selector = selectors.rectification_list
    url_prefix = "rectification"
    object_arg = "order"


class RectificationDoneView(RectificationStepView):
    step = "done"
    form_class = RectificationDoneForm
    title = gettext_lazy("Report the actions done")
    submit_label = gettext_lazy("Report done")
    service = powers.rectification_order_report_done

    def allowed(self, order) -> bool:
        return permissions.can_report_rectification_done(self.request.user, order)


class RectificationCheckView(RectificationStepView):
    step = "check"
    form_class = RectificationCheckForm
    title = gettext_lazy("Check the effectiveness")
    submit_label = gettext_lazy("Record the check")
    service = powers.rectification_order_check

    def allowed(self, order) -> bool:
        return permissions.can_use_director_powers(self.request.user, order.body)


RECTIFICATION_STEPS = step_table(RectificationDoneView, RectificationCheckView)


class RectificationDetailView(ScopedDetailView):
    model = RectificationOrder
    selector = selectors.rectification_list
    template_name = "quality_roles/powers/rectification_detail.html"
    context_object_name = "order"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        names = []
        if order.state == RectificationState.OPEN and permissions.can_report_rectification_done(
            user, order
        ):
            names = ["done"]
        if order.state == RectificationState.CHECKING and permissions.can_use_director_powers(
            user, order.body
        ):
            names = ["check"]
        context["steps"] = [RECTIFICATION_STEPS[name].offered(order) for name in names]
        return context


# --- measures ----------------------------------------------------------------------------------


class MeasureLiftView(StepView):
    model = DirectorMeasure
    selector = selectors.measure_list
    url_prefix = "measure"
    object_arg = "measure"
    step = "lift"
    form_class = LiftForm
    title = gettext_lazy("Lift the measure")
    submit_label = gettext_lazy("Lift the measure")
    service = powers.director_measure_lift
    destructive = True

    def allowed(self, measure) -> bool:
        return permissions.can_use_director_powers(self.request.user, measure.body)


class MeasureDetailView(ScopedDetailView):
    model = DirectorMeasure
    selector = selectors.measure_list
    template_name = "quality_roles/powers/measure_detail.html"
    context_object_name = "measure"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.object
        steps = []
        if measure.state == MeasureState.IN_FORCE and permissions.can_use_director_powers(
            self.request.user, measure.body
        ):
            steps = [MeasureLiftView.offered(measure)]
        context["steps"] = steps
        return context


urlpatterns = [
    *list_urls("spot-checks", "spot_check", SpotCheckListView, SpotCheckExportView),
    *list_urls("rectifications", "rectification", RectificationListView, RectificationExportView),
    *list_urls("measures", "measure", MeasureListView, MeasureExportView),
    path(
        "bodies/<int:pk>/spot-checks/new/", SpotCheckCreateView.as_view(), name="spot_check_create"
    ),
    path("bodies/<int:pk>/measures/new/", MeasureCreateView.as_view(), name="measure_create"),
    path("spot-checks/<int:pk>/", SpotCheckDetailView.as_view(), name="spot_check_detail"),
    path(
        "spot-checks/<int:pk>/rectification/",
        RectificationIssueView.as_view(),
        name="rectification_issue",
    ),
    path(
        "rectifications/<int:pk>/", RectificationDetailView.as_view(), name="rectification_detail"
    ),
    *step_paths("rectifications", RECTIFICATION_STEPS),
    path("measures/<int:pk>/", MeasureDetailView.as_view(), name="measure_detail"),
    *step_paths("measures", step_table(MeasureLiftView)),
]
