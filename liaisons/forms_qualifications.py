"""Forms and filters of hired liaisons: the qualification list, departures (L-12) and the
public roster (L-11)."""

import django_filters
from django import forms
from django.db.models import BLANK_CHOICE_DASH, Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cqcportal.limits import REASON_MAX_LENGTH
from directory.constants import CertificationFieldCode
from directory.idsearch import strip_id_numbers
from directory.selectors import lab_list
from directory.widgets import PlainSelect

from .constants import DepartureOutcome, DepartureReason, QualificationState
from .models import LiaisonQualification


def _labs_in_scope(request):
    return lab_list(user=request.user).select_related(None).only("id", "name")


def _field_filter():
    # The ten fields are fixed choices: no query to build the select.
    return django_filters.ChoiceFilter(
        field_name="fields",
        choices=CertificationFieldCode.choices,
        label=_("Certification field"),
        empty_label=_("All"),
        widget=PlainSelect,
    )


def _state_filter():
    return django_filters.ChoiceFilter(
        choices=QualificationState.choices,
        label=_("State"),
        empty_label=_("All"),
        widget=PlainSelect,
    )


class QualificationFilter(django_filters.FilterSet):
    """The qualification list of the user's scope; the lab choices are cut to that scope."""

    q = django_filters.CharFilter(method="search", label=_("Name or employment number"))
    lab = django_filters.ModelChoiceFilter(
        queryset=_labs_in_scope, label=_("Testing lab"), widget=PlainSelect
    )
    field = _field_filter()
    state = _state_filter()

    class Meta:
        model = LiaisonQualification
        fields = ["q", "lab", "field", "state"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__name__startswith=value) | Q(person__employment_number=value)
        )


class PlainTextInput(forms.TextInput):
    """A text ``<input>`` built in Python: the same HTML as ``TextInput`` without a template
    render per field, for the public roster's search (see ``directory.widgets.PlainSelect``)."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return format_html(
            '<input type="text" name="{}"{}{}>',
            name,
            format_html(' value="{}"', value) if value is not None else "",
            flatatt(self.build_attrs(self.attrs, attrs)),
        )


def _text_filter(field_name: str, label, lookup_expr: str = "exact"):
    return django_filters.CharFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label, widget=PlainTextInput
    )


class RosterFilter(django_filters.FilterSet):
    """The public search of the roster (L-11): nothing here needs a signed-in user."""

    name = _text_filter("person__name", _("Full name"), "contains")
    employment_number = _text_filter("person__employment_number", _("Employment number"))
    lab = _text_filter("lab__name", _("Testing lab"), "contains")
    field = _field_filter()
    state = _state_filter()

    class Meta:
        model = LiaisonQualification
        fields = ["name", "employment_number", "lab", "field", "state"]

    #: Text boxes in which an ID number is never searched (L-11, P-04).
    TEXT_FILTERS = ("name", "employment_number", "lab")

    def __init__(self, data=None, *args, **kwargs):
        # The roster must not tell anyone whether an ID number belongs to a hired liaison:
        # one typed into a box is dropped here, for the page and its exports alike.
        if data is not None:
            data, _stripped = strip_id_numbers(data, self.TEXT_FILTERS)
        super().__init__(data, *args, **kwargs)


class DepartureForm(forms.Form):
    """L-12: the lab confirms that its liaison left. The service checks the rest."""

    # No preset choice: the lab picks the reason and the outcome deliberately.
    reason = forms.ChoiceField(
        label=_("Reason"), choices=BLANK_CHOICE_DASH + DepartureReason.choices
    )
    left_on = forms.DateField(
        label=_("Left on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    outcome = forms.ChoiceField(
        label=_("What happens to the qualification"),
        choices=BLANK_CHOICE_DASH + DepartureOutcome.choices,
        help_text=_("The person's business-system login is suspended with it (A-01)."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea, max_length=REASON_MAX_LENGTH
    )
