"""Filters of the liaison API lists (django-filter); they narrow a queryset already scoped."""

import django_filters
from django.utils.translation import gettext_lazy as _

from directory.constants import CertificationFieldCode

from .. import forms_qualifications
from ..constants import ApplicationState
from ..models import LiaisonApplication


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


class QualificationFilter(forms_qualifications.QualificationFilter):
    """The qualification list's filters (``liaisons.forms_qualifications``), the lab given by
    id: the list is already cut to the caller's scope."""

    lab = django_filters.NumberFilter(field_name="lab_id", label=_("Testing lab (id)"))
    q = None  # the API's list is filtered by lab, field and state only

    class Meta(forms_qualifications.QualificationFilter.Meta):
        fields = ["lab", "field", "state"]


class RosterFilter(forms_qualifications.QualificationFilter):
    """The public roster (L-11): searched by name or employment number, never by ID number;
    the same filters as the qualification list, the lab given by id."""

    lab = django_filters.NumberFilter(field_name="lab_id", label=_("Testing lab (id)"))
