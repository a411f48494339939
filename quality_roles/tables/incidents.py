"""The incident list (Q-07): filters and export."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from directory.widgets import PlainSelect

from ..constants import IncidentKind, IncidentState
from ..models import IncidentReport
from . import ANY_STATE, CHUNK, WHEN, SafeResource, bodies_in_scope, search


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Title"))
    state = django_filters.ChoiceFilter(
        choices=IncidentState.choices, label=_("State"), empty_label=ANY_STATE
    )
    kind = django_filters.ChoiceFilter(
        choices=IncidentKind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    clock = django_filters.ChoiceFilter(
        method="by_clock",
        label=_("24-hour clock (Q-07)"),
        empty_label=_("Any"),
        choices=[
            ("running", _("Running: not yet reported, in time")),
            ("overdue", _("Overdue: not reported within 24 hours")),
            ("escalated", _("Escalated")),
        ],
    )
    body = django_filters.ModelChoiceFilter(
        queryset=bodies_in_scope, label=_("Certification body"), widget=PlainSelect
    )

    class Meta:
        model = IncidentReport
        fields = ["q", "state", "kind", "clock", "body"]

    def search(self, queryset, name, value):
        return search(queryset, value, "title")

    def by_clock(self, queryset, name, value):
        now = timezone.now()
        if value == "running":
            return queryset.filter(state=IncidentState.OPEN, due_at__gt=now)
        if value == "overdue":
            return queryset.filter(state=IncidentState.OPEN, due_at__lte=now)
        if value == "escalated":
            return queryset.filter(~Q(escalated_at=None))
        return queryset


class IncidentResource(SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    kind = Field(column_name=_("Kind"))
    title = Field(attribute="title", column_name=_("Title"))
    learned_at = Field(attribute="learned_at", column_name=_("Learned of it at"), widget=WHEN)
    due_at = Field(attribute="due_at", column_name=_("Report to the regulator due at"), widget=WHEN)
    state = Field(column_name=_("State"))
    reported_at = Field(
        attribute="reported_to_regulator_at",
        column_name=_("Reported to the regulator at"),
        widget=WHEN,
    )
    reference = Field(attribute="regulator_reference", column_name=_("Regulator's reference"))
    escalated_at = Field(attribute="escalated_at", column_name=_("Escalated at"), widget=WHEN)
    lead = Field(
        attribute="reporting_lead__staff__person__name",
        column_name=_("Reported by the project quality lead"),
    )

    class Meta:
        model = IncidentReport
        fields = (
            "body",
            "kind",
            "title",
            "learned_at",
            "due_at",
            "state",
            "reported_at",
            "reference",
            "escalated_at",
            "lead",
        )
        export_order = fields
        chunk_size = CHUNK

    def dehydrate_kind(self, incident):
        return str(incident.get_kind_display())

    def dehydrate_state(self, incident):
        return str(incident.get_state_display())
