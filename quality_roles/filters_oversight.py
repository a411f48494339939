"""Filters of the advice, case and assessment lists (django-filter), their body choices cut
to the user's scope (Q-11, Q-12, Q-13)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from directory.widgets import PlainSelect

from . import selectors
from .constants import (
    AccountabilityGround,
    AdviceAnswer,
    AdviceState,
    AssessmentResult,
    CaseState,
)
from .models import AccountabilityCase, DirectorAdvice, DirectorAssessment


def _bodies_in_scope(request):
    return selectors.body_list(user=request.user).only("id", "name").order_by("name")


def _body_filter():
    return django_filters.ModelChoiceFilter(
        queryset=_bodies_in_scope, label=_("Certification body"), widget=PlainSelect
    )


class AdviceFilter(django_filters.FilterSet):
    body = _body_filter()
    state = django_filters.ChoiceFilter(
        choices=AdviceState.choices, label=_("State"), empty_label=_("Any state")
    )
    answer = django_filters.ChoiceFilter(
        choices=AdviceAnswer.choices, label=_("Answer"), empty_label=_("Any answer")
    )
    duty_done = django_filters.BooleanFilter(
        method="filter_duty_done", label=_("Rejected without a reason (Q-11)")
    )

    class Meta:
        model = DirectorAdvice
        fields = ["body", "state", "answer", "duty_done"]

    def filter_duty_done(self, queryset, name, value):
        done = {"answer": AdviceAnswer.REJECTED, "rejection_reason": ""}
        return queryset.filter(**done) if value else queryset.exclude(**done)


class CaseFilter(django_filters.FilterSet):
    body = _body_filter()
    state = django_filters.ChoiceFilter(
        choices=CaseState.choices, label=_("State"), empty_label=_("Any state")
    )
    ground = django_filters.ChoiceFilter(
        choices=AccountabilityGround.choices, label=_("Ground"), empty_label=_("Any ground")
    )

    class Meta:
        model = AccountabilityCase
        fields = ["body", "state", "ground"]


class AssessmentFilter(django_filters.FilterSet):
    body = _body_filter()
    result = django_filters.ChoiceFilter(
        choices=AssessmentResult.choices, label=_("Result"), empty_label=_("Any result")
    )
    published = django_filters.BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label=_("Published")
    )

    class Meta:
        model = DirectorAssessment
        fields = ["body", "result", "published"]
