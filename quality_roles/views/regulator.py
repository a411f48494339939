"""Screens of the regulator (Q-13): the assessments with their filters and download, one
assessment's page with its rectification and timelines, the inspector's forms (record,
publish, check a rectification), the body's report of the actions, and the public page of
published results (no sign-in; name, body and result only)."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from cqcportal.timeline import timeline_for
from directory.views import ScopedDetailView

from .. import permissions, selectors
from ..filters_oversight import AssessmentFilter
from ..forms_oversight import (
    AssessmentForm,
    ConfirmForm,
    RectificationCheckForm,
    RectificationReportForm,
)
from ..models import DirectorAppointment, DirectorAssessment, RectificationOrder
from ..services import assessments as svc
from .common import ObjectFormView
from .lists import ScopedFilterListView, list_patterns


class AssessmentListView(ScopedFilterListView):
    template_name = "quality_roles/regulator/list.html"
    filterset_class = AssessmentFilter
    selector = selectors.assessment_list
    export_kind = "assessments"
    context_object_name = "assessments"


class AssessmentDetailView(ScopedDetailView):
    model = DirectorAssessment
    selector = selectors.assessment_list
    template_name = "quality_roles/regulator/detail.html"
    context_object_name = "assessment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, assessment = self.request.user, self.object
        orders = list(assessment.rectification_orders.order_by("pk"))
        context.update(
            can_publish=permissions.can_publish_assessment(user, assessment)
            and not assessment.is_published,
            orders=[
                {
                    "order": order,
                    "timeline": timeline_for(order),
                    "can_report": permissions.can_report_rectification(user, order)
                    and order.state == "open",
                    "can_check": permissions.can_check_rectification(user, order)
                    and order.state == "checking",
                }
                for order in orders
            ],
        )
        return context


class AssessmentRecordView(ObjectFormView):
    """Q-13: the inspector assesses a director (from the director's page)."""

    model = DirectorAppointment
    selector = selectors.director_appointment_list
    form_class = AssessmentForm
    title = gettext_lazy("Record an assessment of the director")
    intro = gettext_lazy(
        "A failed assessment opens a rectification for the body with these actions and "
        "deadline (Q-13)."
    )
    submit_label = gettext_lazy("Record the assessment")

    def allowed(self, director) -> bool:
        return permissions.can_write_assessment(self.request.user)

    def perform(self, director, data):
        return svc.assessment_record(director=director, actor=self.request.user, **data)


class AssessmentPublishView(ObjectFormView):
    model = DirectorAssessment
    selector = selectors.assessment_list
    form_class = ConfirmForm
    title = gettext_lazy("Publish the result")
    intro = gettext_lazy(
        "The public page shows the director's name, the body and the result, nothing else."
    )
    submit_label = gettext_lazy("Publish")

    def allowed(self, assessment) -> bool:
        return permissions.can_publish_assessment(self.request.user, assessment)

    def perform(self, assessment, data):
        return svc.assessment_publish(assessment=assessment, actor=self.request.user)


class RectificationStepView(ObjectFormView):
    """A step on an assessment's rectification order; its page is the assessment's."""

    model = RectificationOrder
    selector = selectors.assessment_rectification_list

    def _render(self, order, form, status=200):
        context = {
            "object": order,
            "form": form,
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "back_url": order.assessment.get_absolute_url(),
        }
        return render(self.request, self.template_name, context, status=status)


class RectificationReportView(RectificationStepView):
    form_class = RectificationReportForm
    title = gettext_lazy("Report the actions done")
    submit_label = gettext_lazy("Report done")

    def allowed(self, order) -> bool:
        return permissions.can_report_rectification(self.request.user, order)

    def perform(self, order, data):
        svc.assessment_rectification_report(order=order, actor=self.request.user, **data)
        return order.assessment

    def success_message(self, order) -> str:
        return _("Reported; the regulator checks the effect (Q-13).")


class RectificationCheckView(RectificationStepView):
    form_class = RectificationCheckForm
    title = gettext_lazy("Check the effect of the rectification")
    submit_label = gettext_lazy("Record the check")

    def allowed(self, order) -> bool:
        return permissions.can_check_rectification(self.request.user, order)

    def perform(self, order, data):
        svc.assessment_rectification_check(order=order, actor=self.request.user, **data)
        return order.assessment


class PublishedAssessmentsView(ListView):
    """Q-13: the published results, for anyone, signed in or not: the director's name, the
    body, the result and the dates; nothing else of the person."""

    template_name = "quality_roles/regulator/published.html"
    paginate_by = 50
    context_object_name = "assessments"

    def get_queryset(self):
        return selectors.published_assessments()


urlpatterns = [
    *list_patterns("assessments", AssessmentListView),
    path("assessments/<int:pk>/", AssessmentDetailView.as_view(), name="assessment_detail"),
    path(
        "assessments/<int:pk>/publish/",
        AssessmentPublishView.as_view(),
        name="assessment_publish",
    ),
    path("directors/<int:pk>/assess/", AssessmentRecordView.as_view(), name="assessment_record"),
    path(
        "assessment-rectifications/<int:pk>/report/",
        RectificationReportView.as_view(),
        name="assessment_rectification_report",
    ),
    path(
        "assessment-rectifications/<int:pk>/check/",
        RectificationCheckView.as_view(),
        name="assessment_rectification_check",
    ),
    path("results/", PublishedAssessmentsView.as_view(), name="assessment_results"),
]
