"""Screens of the incident reports (Q-07): the list with each report's clock, a report's
page with its clock and timeline, the form to record one, and the director's steps."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import CertificationBody
from directory.views import ScopedDetailView

from .. import permissions, selectors
from ..duty_forms import IncidentCloseForm, IncidentForm, IncidentReportedForm
from ..models import IncidentReport
from ..services import incidents
from ..tables.incidents import IncidentFilter, IncidentResource
from .common import ObjectFormView, StepView, step_paths, step_table
from .listing import ScopedExportView, ScopedListView, list_urls


class IncidentListView(ScopedListView):
    """Q-07: every report of the user's scope with the clock of each (time left or overdue,
    computed on the server, in Beijing time)."""

    selector = selectors.incident_list
    filterset_class = IncidentFilter
    template_name = "quality_roles/incidents/list.html"
    export_url_name = "incident_export"
    title = gettext_lazy("Incident reports (Q-07)")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(row, incidents.report_clock(row)) for row in context["rows"]]
        return context


class IncidentExportView(ScopedExportView):
    selector = selectors.incident_list
    filterset_class = IncidentFilter
    resource_class = IncidentResource
    filename = "incident-reports"


class IncidentCreateView(ObjectFormView):
    """Q-07: a lead (or the director) records a major event as learned of."""

    model = CertificationBody
    selector = selectors.body_list
    form_class = IncidentForm
    title = gettext_lazy("Report a major event")
    intro = gettext_lazy(
        "A project quality lead who learns of a major event reports it to the quality director "
        "at once; the director reports it to the regulator within 24 hours of learning of it "
        "(Q-07)."
    )
    submit_label = gettext_lazy("Report to the director")

    def allowed(self, body) -> bool:
        return permissions.can_record_incident(self.request.user, body)

    def form_kwargs(self, body) -> dict:
        return {"body": body}

    def perform(self, body, data):
        return incidents.incident_report_record(body=body, actor=self.request.user, **data)

    def success_message(self, body) -> str:
        return _("The report is before the quality director.")


class IncidentStepView(StepView):
    model = IncidentReport
    selector = selectors.incident_list
    url_prefix = "incident"
    object_arg = "incident"

    def allowed(self, incident) -> bool:
        return permissions.can_report_incident(self.request.user, incident)


class IncidentReportedView(IncidentStepView):
    step = "reported"
    form_class = IncidentReportedForm
    title = gettext_lazy("Record the report to the regulator")
    submit_label = gettext_lazy("Record the report")
    service = incidents.incident_report_to_regulator


class IncidentCloseView(IncidentStepView):
    step = "close"
    form_class = IncidentCloseForm
    title = gettext_lazy("Close the incident")
    submit_label = gettext_lazy("Close the incident")
    service = incidents.incident_report_close
    destructive = True


INCIDENT_STEPS = step_table(IncidentReportedView, IncidentCloseView)


class IncidentDetailView(ScopedDetailView):
    model = IncidentReport
    selector = selectors.incident_list
    template_name = "quality_roles/incidents/detail.html"
    context_object_name = "incident"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        incident = self.object
        context["clock"] = incidents.report_clock(incident)
        names = []
        if permissions.can_report_incident(self.request.user, incident):
            names = {"open": ["reported", "close"], "reported": ["close"]}.get(incident.state, [])
        context["steps"] = [INCIDENT_STEPS[name].offered(incident) for name in names]
        return context


urlpatterns = [
    *list_urls("incidents", "incident", IncidentListView, IncidentExportView),
    path("bodies/<int:pk>/incidents/new/", IncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", IncidentDetailView.as_view(), name="incident_detail"),
    *step_paths("incidents", INCIDENT_STEPS),
]
