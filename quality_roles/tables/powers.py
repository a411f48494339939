"""The lists of the director's powers (Q-08): spot checks, rectification orders, measures."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from directory.widgets import PlainSelect

from ..constants import MeasureKind, MeasureState, RectificationState
from ..models import DirectorMeasure, RectificationOrder, SpotCheck
from . import ANY_STATE, CHUNK, DAY, WHEN, SafeResource, bodies_in_scope, search


class SpotCheckFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Project or findings"))
    issues_found = django_filters.BooleanFilter(label=_("Issues found"))
    body = django_filters.ModelChoiceFilter(
        queryset=bodies_in_scope, label=_("Certification body"), widget=PlainSelect
    )

    class Meta:
        model = SpotCheck
        fields = ["q", "issues_found", "body"]

    def search(self, queryset, name, value):
        return search(queryset, value, "project__name", "project__code", "findings")


class RectificationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Problem or actions"))
    state = django_filters.ChoiceFilter(
        choices=RectificationState.choices, label=_("State"), empty_label=ANY_STATE
    )
    overdue = django_filters.BooleanFilter(method="by_deadline", label=_("Past its deadline"))
    body = django_filters.ModelChoiceFilter(
        queryset=bodies_in_scope, label=_("Certification body"), widget=PlainSelect
    )

    class Meta:
        model = RectificationOrder
        fields = ["q", "state", "overdue", "body"]

    def search(self, queryset, name, value):
        return search(queryset, value, "problem", "actions")

    def by_deadline(self, queryset, name, value):
        if value is None:
            return queryset
        late = {"deadline__lt": timezone.localdate()}
        open_ = queryset.exclude(state=RectificationState.CLOSED)
        return open_.filter(**late) if value else queryset.exclude(pk__in=open_.filter(**late))


class MeasureFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=MeasureKind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    state = django_filters.ChoiceFilter(
        choices=MeasureState.choices, label=_("State"), empty_label=ANY_STATE
    )
    body = django_filters.ModelChoiceFilter(
        queryset=bodies_in_scope, label=_("Certification body"), widget=PlainSelect
    )

    class Meta:
        model = DirectorMeasure
        fields = ["kind", "state", "body"]


class SpotCheckResource(SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    project = Field(attribute="project", column_name=_("Certification project"))
    checked_on = Field(attribute="checked_on", column_name=_("Checked on"), widget=DAY)
    director = Field(attribute="director__staff__person__name", column_name=_("Quality director"))
    files_read = Field(attribute="files_read", column_name=_("Files read"))
    findings = Field(attribute="findings", column_name=_("Findings"))
    issues_found = Field(column_name=_("Issues found"))

    class Meta:
        model = SpotCheck
        fields = ("body", "project", "checked_on", "director", "files_read", "findings")
        fields = (*fields, "issues_found")
        export_order = fields
        chunk_size = CHUNK

    def dehydrate_issues_found(self, check):
        return str(_("yes") if check.issues_found else _("no"))


class RectificationResource(SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    project = Field(attribute="project", column_name=_("Certification project"))
    problem = Field(attribute="problem", column_name=_("Problem"))
    actions = Field(attribute="actions", column_name=_("Actions required"))
    owner = Field(attribute="owner__person__name", column_name=_("Owner"))
    deadline = Field(attribute="deadline", column_name=_("Deadline"), widget=DAY)
    state = Field(column_name=_("State"))
    effectiveness = Field(attribute="effectiveness_check", column_name=_("Effectiveness check"))
    closed_at = Field(attribute="closed_at", column_name=_("Closed at"), widget=WHEN)

    class Meta:
        model = RectificationOrder
        fields = ("body", "project", "problem", "actions", "owner", "deadline", "state")
        fields = (*fields, "effectiveness", "closed_at")
        export_order = fields
        chunk_size = CHUNK

    def dehydrate_state(self, order):
        return str(order.get_state_display())


class MeasureResource(SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    kind = Field(column_name=_("Kind"))
    target = Field(column_name=_("Concerning"))
    reason = Field(attribute="reason", column_name=_("Reason"))
    state = Field(column_name=_("State"))
    taken_at = Field(attribute="taken_at", column_name=_("Taken at"), widget=WHEN)
    lifted_at = Field(attribute="lifted_at", column_name=_("Lifted at"), widget=WHEN)

    class Meta:
        model = DirectorMeasure
        fields = ("body", "kind", "target", "reason", "state", "taken_at", "lifted_at")
        export_order = fields
        chunk_size = CHUNK

    def dehydrate_kind(self, measure):
        return str(measure.get_kind_display())

    def dehydrate_state(self, measure):
        return str(measure.get_state_display())

    def dehydrate_target(self, measure):
        return str(measure.project or measure.certificate or measure.scope)
