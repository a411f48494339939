"""Filters of the login-right lists (django-filter), their choices cut to the user's scope."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.selectors import lab_list
from directory.widgets import PlainSelect

from .constants import LoginRightState, RightRequestState
from .models import LoginRight, LoginRightRequest


def _labs_in_scope(request):
    return lab_list(user=request.user).select_related(None).only("id", "name")


class LoginRightFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Username or name"))
    state = django_filters.ChoiceFilter(
        choices=LoginRightState.choices, label=_("State"), empty_label=_("Any state")
    )
    lab = django_filters.ModelChoiceFilter(
        queryset=_labs_in_scope, label=_("Testing lab"), widget=PlainSelect
    )
    follow_up = django_filters.ChoiceFilter(
        method="matching",
        label=_("Person"),
        empty_label=_("Any account"),
        choices=[
            ("unmatched", _("Matches no person (to follow up)")),
            ("matched", _("Matched to a person")),
        ],
    )

    class Meta:
        model = LoginRight
        fields = ["q", "state", "lab", "follow_up"]

    def matching(self, queryset, name, value):
        if value == "unmatched":
            return queryset.filter(person__isnull=True)
        if value == "matched":
            return queryset.filter(person__isnull=False)
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(username__istartswith=value)
            | Q(name__startswith=value)
            | Q(person__name__startswith=value)
        )


class LoginRightRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=RightRequestState.choices, label=_("State"), empty_label=_("Any state")
    )
    lab = django_filters.ModelChoiceFilter(
        queryset=_labs_in_scope, label=_("Testing lab"), widget=PlainSelect
    )

    class Meta:
        model = LoginRightRequest
        fields = ["state", "lab"]
