"""Forms and filters of the check campaign's screens (A-03, A-04). The services check the
rules; these only read what a user typed, each text within its limit."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqcportal.limits import REASON_MAX_LENGTH
from directory.models import BranchCentre, TestingLab
from directory.widgets import PlainSelect

from .constants import CampaignState, Case, Confirmation
from .models import AuditCampaign, CampaignEntry
from .models.campaigns import CAMPAIGN_NAME_MAX_LENGTH
from .services.campaign_confirmation import CONFIRM_MAX_ENTRIES

#: What a lab confirms (the blank "not confirmed yet" is not a confirmation).
CONFIRMATIONS = [(value, label) for value, label in Confirmation.choices if value]
#: The filter's spelling of "not confirmed yet" (the stored value is the empty string).
UNCONFIRMED = "none"
#: A checked row: ``<entry id>:<the confirmation shown on the page>``.
_ROW = re.compile(r"^(\d{1,12}):([a-z_]{0,20})$")


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=CAMPAIGN_NAME_MAX_LENGTH)
    migration_deadline = forms.DateField(
        label=_("Migration deadline (L-13)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirmation_deadline = forms.DateField(
        label=_("Confirmation deadline (A-04)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Ends at 24:00 China time on this date (A-05)."),
    )
    unused_after_days = forms.IntegerField(
        label=_("Suggest as left after (days unused)"), min_value=1, max_value=3650, initial=90
    )
    reminder_days = forms.CharField(
        label=_("Reminders (days before the deadline)"),
        max_length=60,
        initial="30, 7, 1",
        help_text=_(
            "Numbers separated by commas; the last reminder also goes to the branch centre."
        ),
    )

    def clean_reminder_days(self) -> list[int]:
        parts = [p.strip() for p in re.split(r"[,，\s]+", self.cleaned_data["reminder_days"])]
        try:
            return [int(p) for p in parts if p]
        except ValueError:
            raise ValidationError(_("Write whole numbers separated by commas.")) from None


class CampaignFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=CampaignState.choices, label=_("State"), widget=PlainSelect
    )

    class Meta:
        model = AuditCampaign
        fields = ["state"]


def _labs(request):
    from .selectors.campaigns import entry_list

    if request is None:
        return TestingLab.objects.none()
    return TestingLab.objects.filter(
        pk__in=entry_list(user=request.user).values("lab_id")
    ).order_by("name")


def _branches(request):
    from .selectors.campaigns import entry_list

    if request is None:
        return BranchCentre.objects.none()
    return BranchCentre.objects.filter(
        pk__in=entry_list(user=request.user).values("lab__branch_id")
    ).order_by("code")


def _confirmation_filter() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        choices=[(UNCONFIRMED, _("Not confirmed yet")), *CONFIRMATIONS],
        label=_("Confirmation"),
        method="confirmed_as",
        widget=PlainSelect,
    )


class LabEntryFilter(django_filters.FilterSet):
    """The entries of one lab (its confirmation page)."""

    q = django_filters.CharFilter(method="search", label=_("Name or username"), max_length=100)
    case = django_filters.TypedChoiceFilter(
        choices=Case.choices, coerce=int, label=_("Case"), widget=PlainSelect
    )
    confirmation = _confirmation_filter()
    suggest_left = django_filters.BooleanFilter(label=_("Suggested as left"))

    class Meta:
        model = CampaignEntry
        fields = ["q", "case", "confirmation", "suggest_left"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__name__startswith=value)
            | Q(right__username=value)
            | Q(right__name__startswith=value)
        )

    def confirmed_as(self, queryset, name, value):
        if value == UNCONFIRMED:
            return queryset.filter(confirmation=Confirmation.UNCONFIRMED)
        return queryset.filter(confirmation=value) if value else queryset


class EntryFilter(LabEntryFilter):
    """The entries of a campaign the user sees; the lab and branch choices are cut to them."""

    lab = django_filters.ModelChoiceFilter(
        queryset=_labs, label=_("Testing lab"), widget=PlainSelect
    )
    branch = django_filters.ModelChoiceFilter(
        field_name="lab__branch", queryset=_branches, label=_("Branch centre"), widget=PlainSelect
    )

    class Meta:
        model = CampaignEntry
        fields = ["q", "case", "confirmation", "suggest_left", "lab", "branch"]


class LabProgressFilter(django_filters.FilterSet):
    """The labs' progress in a campaign (rows of ``progress_by_lab``)."""

    q = django_filters.CharFilter(
        field_name="lab__name", lookup_expr="contains", label=_("Testing lab"), max_length=100
    )
    branch = django_filters.ModelChoiceFilter(
        field_name="lab__branch", queryset=_branches, label=_("Branch centre"), widget=PlainSelect
    )
    incomplete = django_filters.BooleanFilter(
        method="still_open", label=_("Still has people to confirm")
    )

    class Meta:
        model = CampaignEntry
        fields = ["q", "branch", "incomplete"]

    def still_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(open=0) if value is False else queryset.filter(open__gt=0)


def _row(value: str) -> tuple[int, str]:
    match = _ROW.match(value or "")
    if match is None or match.group(2) not in Confirmation.values:
        raise ValidationError(_("A chosen row is not one of this page's."), code="invalid_row")
    return int(match.group(1)), match.group(2)


class RowsField(forms.Field):
    """The checked rows of the confirmation page, each ``<entry id>:<confirmation shown>``:
    ``{entry id: confirmation shown}``. Which entries they are is the service's to check."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> dict[int, str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if len(values) > CONFIRM_MAX_ENTRIES:
            raise ValidationError(
                _("Confirm at most %(count)d people at once.") % {"count": CONFIRM_MAX_ENTRIES}
            )
        return dict(_row(str(v)) for v in values)

    def validate(self, value) -> None:
        if not value:
            raise ValidationError(_("Choose at least one person to confirm."), code="required")


class ConfirmForm(forms.Form):
    """The lab's confirmation of the checked rows, with one comment (A-04)."""

    entries = RowsField(label=_("People"))
    confirmation = forms.ChoiceField(
        label=_("Confirm that the chosen people"),
        choices=CONFIRMATIONS,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EntryConfirmForm(forms.Form):
    """One entry's confirmation (A-04); ``seen`` is what the page showed."""

    confirmation = forms.ChoiceField(
        label=_("Confirm that this person"), choices=CONFIRMATIONS, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    seen = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def clean_seen(self) -> str:
        seen = self.cleaned_data["seen"]
        if seen not in Confirmation.values:
            raise ValidationError(_("Look at the page again and confirm once more."))
        return seen
