"""Filters of the certificate list (django-filter), their choices cut to the user's scope."""

import django_filters
from django.utils.translation import gettext_lazy as _

from directory.widgets import PlainSelect

from . import coverage, selectors_certificates
from .constants import CERTIFICATE_NUMBER_MAX_LENGTH, CertificateState
from .models import Certificate


def _leads(request):
    return selectors_certificates.lead_choices(user=request.user)


def _projects(request):
    return selectors_certificates.project_choices(user=request.user)


def _categories(request):
    return selectors_certificates.category_choices(user=request.user)


class CertificateFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(
        method="by_number",
        label=_("Certificate number"),
        max_length=CERTIFICATE_NUMBER_MAX_LENGTH,
    )
    state = django_filters.ChoiceFilter(
        choices=CertificateState.choices, label=_("State"), empty_label=_("Any state")
    )
    lead = django_filters.ModelChoiceFilter(
        field_name="responsible_lead",
        queryset=_leads,
        label=_("Responsible lead"),
        widget=PlainSelect,
    )
    project = django_filters.ModelChoiceFilter(
        queryset=_projects, label=_("Certification project"), widget=PlainSelect
    )
    category = django_filters.ModelChoiceFilter(
        queryset=_categories, label=_("Product category"), widget=PlainSelect
    )
    coverage = django_filters.ChoiceFilter(
        method="by_coverage",
        label=_("Coverage (Q-05)"),
        empty_label=_("Any certificate"),
        choices=[
            ("uncovered", _("Uncovered: no responsible lead in office")),
            ("covered", _("Covered by a lead in office")),
        ],
    )

    class Meta:
        model = Certificate
        fields = ["number", "state", "lead", "project", "category", "coverage"]

    def by_number(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(number__startswith=value) if value else queryset

    def by_coverage(self, queryset, name, value):
        if value == "uncovered":
            return coverage.uncovered(queryset)
        if value == "covered":
            return queryset.exclude(pk__in=coverage.uncovered(queryset).values("pk"))
        return queryset
