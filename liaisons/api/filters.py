"""Filters of the liaison API lists (django-filter); they narrow a queryset already scoped."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.constants import CertificationFieldCode

from ..constants import ApplicationState, QualificationState
from ..models import LiaisonApplication, LiaisonQualification


class ApplicationFilter(django_filters.FilterSet):
    lab = django_filters.NumberFilter(field_name="lab_id", label=_("Testing lab (id)"))
    field = django_filters.ChoiceFilter(
        field_name="fields", choices=CertificationFieldCode.choices, label=_("Field applied for")
    )
    state = django_filters.ChoiceFilter(choices=ApplicationState.choices, label=_("State"))
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Submitted on or after")
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Submitted on or before")
    )

    class Meta:
        model = LiaisonApplication
        fields = ["lab", "field", "state", "submitted_after", "submitted_before"]


class QualificationFilter(django_filters.FilterSet):
    lab = django_filters.NumberFilter(field_name="lab_id", label=_("Testing lab (id)"))
    field = django_filters.ChoiceFilter(
        field_name="fields", choices=CertificationFieldCode.choices, label=_("Field held")
    )
    state = django_filters.ChoiceFilter(choices=QualificationState.choices, label=_("State"))

    class Meta:
        model = LiaisonQualification
        fields = ["lab", "field", "state"]


class RosterFilter(QualificationFilter):
    """The public roster (L-11): searched by name or employment number, never by ID number."""

    q = django_filters.CharFilter(method="search", label=_("Name or employment number"))

    class Meta(QualificationFilter.Meta):
        fields = ["q", "lab", "field", "state"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__name__startswith=value) | Q(person__employment_number=value)
        )
