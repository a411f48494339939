"""Filters of the directory lists (django-filter), their choices cut to the user's scope."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Person
from .selectors import lab_list
from .widgets import PlainSelect


def _labs_in_scope(request):
    return lab_list(user=request.user).select_related(None).only("id", "name")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or employment number"))
    lab = django_filters.ModelChoiceFilter(
        queryset=_labs_in_scope, label=_("Testing lab"), widget=PlainSelect
    )

    class Meta:
        model = Person
        fields = ["q", "lab"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__startswith=value) | Q(employment_number=value))
