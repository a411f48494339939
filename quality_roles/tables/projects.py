"""The list of certification projects (Q-05, Q-08, Q-09): its filters and its download."""

import django_filters
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from directory.widgets import PlainSelect

from ..constants import ProjectState
from ..models import CertificationProject
from ..selectors_certificates import category_choices
from . import ANY_STATE, CHUNK, SEARCH_MAX_LENGTH, WHEN, SafeResource, bodies_in_scope, search


def _categories(request):
    return category_choices(user=request.user)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Code or name"), max_length=SEARCH_MAX_LENGTH
    )
    category = django_filters.ModelChoiceFilter(
        queryset=_categories, label=_("Product category"), widget=PlainSelect
    )
    state = django_filters.ChoiceFilter(
        choices=ProjectState.choices, label=_("State"), empty_label=ANY_STATE
    )
    uncovered = django_filters.BooleanFilter(
        method="by_coverage", label=_("With uncovered certificates (Q-05)")
    )
    body = django_filters.ModelChoiceFilter(
        queryset=bodies_in_scope, label=_("Certification body"), widget=PlainSelect
    )

    class Meta:
        model = CertificationProject
        fields = ["q", "category", "state", "uncovered", "body"]

    def search(self, queryset, name, value):
        return search(queryset, value, "code", "name")

    def by_coverage(self, queryset, name, value):
        # ``uncovered_count`` is the selector's column, counted as ``coverage`` defines it.
        if value is None:
            return queryset
        return (
            queryset.filter(uncovered_count__gt=0) if value else queryset.filter(uncovered_count=0)
        )


class ProjectResource(SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    code = Field(attribute="code", column_name=_("Code"))
    name = Field(attribute="name", column_name=_("Name"))
    category = Field(column_name=_("Product category"))
    state = Field(column_name=_("State"))
    paused_at = Field(attribute="paused_at", column_name=_("Paused at"), widget=WHEN)
    certificates = Field(attribute="certificate_count", column_name=_("Certificates"))
    uncovered = Field(attribute="uncovered_count", column_name=_("Uncovered (Q-05)"))
    leads = Field(attribute="active_lead_count", column_name=_("Leads in office"))

    class Meta:
        model = CertificationProject
        fields = ("body", "code", "name", "category", "state", "paused_at")
        fields = (*fields, "certificates", "uncovered", "leads")
        export_order = fields
        chunk_size = CHUNK

    def dehydrate_category(self, project):
        return str(project.category) if project.category_id else ""

    def dehydrate_state(self, project):
        return str(project.get_state_display())
