"""Screens of the certification projects: the list with its filters and CSV/XLSX export, a
project's page (its category, the leads answering for it (Q-09), its certificates and their
coverage (Q-05), the labs it works with (Q-10), a pause by the director (Q-08), its
timeline), and the form that creates or changes one. Nothing here deletes a project, and a
pause is the director's measure, taken on the power screen (``measure_create``)."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import CertificationBody
from directory.views import ScopedDetailView

from .. import permissions, selectors, selectors_projects
from ..constants import ProjectState
from ..forms import ProjectForm
from ..models import CertificationProject
from ..services.bodies import certification_project_create, certification_project_update
from ..tables.projects import ProjectFilter, ProjectResource
from .common import ObjectFormView
from .listing import ScopedExportView, ScopedListView, list_urls

PROJECT_INTRO = gettext_lazy(
    "The body's administrator or its quality director in office keeps the certification "
    "projects; project quality leads answer for them (Q-09)."
)


class ProjectListView(ScopedListView):
    """The projects of the user's scope, each row with its certificates and the uncovered
    ones among them (Q-05), counted in the page's one query."""

    selector = selectors_projects.project_list
    filterset_class = ProjectFilter
    template_name = "quality_roles/projects/list.html"
    export_url_name = "project_export"
    title = gettext_lazy("Certification projects")

    def get_queryset(self):
        return super().get_queryset().order_by("body__name", "code", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        body = user.body if user.body_id else None
        context["create_body"] = (
            body if body is not None and permissions.can_manage_projects(user, body) else None
        )
        return context


class ProjectExportView(ScopedExportView):
    selector = selectors_projects.project_list
    filterset_class = ProjectFilter
    resource_class = ProjectResource
    filename = "certification-projects"


class ProjectDetailView(ScopedDetailView):
    model = CertificationProject
    selector = selectors_projects.project_list
    template_name = "quality_roles/projects/detail.html"
    context_object_name = "project"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        context.update(
            selectors_projects.project_certificate_counts(project),
            leads=list(selectors_projects.project_leads(project)),
            cooperations=list(selectors_projects.project_cooperations(project)),
            measures=list(selectors_projects.project_measures(project)),
            can_edit=permissions.can_manage_projects(user, project.body),
            can_pause=project.state == ProjectState.ACTIVE
            and permissions.can_use_director_powers(user, project.body),
        )
        return context


class ProjectCreateView(ObjectFormView):
    """Q-09: the body's administrator or its director in office adds a project."""

    model = CertificationBody
    selector = selectors.body_list
    form_class = ProjectForm
    title = gettext_lazy("New certification project")
    intro = PROJECT_INTRO
    submit_label = gettext_lazy("Create the project")

    def allowed(self, body) -> bool:
        return permissions.can_manage_projects(self.request.user, body)

    def form_kwargs(self, body) -> dict:
        return {"body": body}

    def perform(self, body, data):
        return certification_project_create(body=body, actor=self.request.user, **data)

    def success_message(self, body) -> str:
        return _("The certification project was created.")


class ProjectEditView(ObjectFormView):
    """Q-09: the project's code, name and category; its state is the director's (Q-08)."""

    model = CertificationProject
    selector = selectors_projects.project_list
    form_class = ProjectForm
    title = gettext_lazy("Change the certification project")
    intro = PROJECT_INTRO

    def allowed(self, project) -> bool:
        return permissions.can_manage_projects(self.request.user, project.body)

    def form_kwargs(self, project) -> dict:
        return {"body": project.body, "current_category_id": project.category_id}

    def initial(self, project) -> dict:
        return {"code": project.code, "name": project.name, "category": project.category_id}

    def perform(self, project, data):
        return certification_project_update(project=project, actor=self.request.user, **data)


urlpatterns = [
    *list_urls("projects", "project", ProjectListView, ProjectExportView),
    path("bodies/<int:pk>/projects/new/", ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", ProjectEditView.as_view(), name="project_edit"),
]
