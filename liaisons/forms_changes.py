"""Forms of P-03 change requests and of the legacy import (L-13): input only; the rules are
the services' (``liaisons.services.changes``, ``liaisons.services.legacy``)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cqcportal.limits import REASON_MAX_LENGTH
from directory.constants import IMPORTANT_FIELDS, Education, PoliticalStatus
from directory.models import CertificationField, TestingLab

from .constants import ChangeRequestState, ChangeTier
from .models import ChangeRequest

_UNCHANGED = [("", _("— unchanged —"))]


class _RequestForm(forms.Form):
    """What both tiers share: who (chosen by lab staff), why, and the optional change form."""

    person = forms.ModelChoiceField(queryset=None, label=_("Person"), required=True)
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Why the data must change, and which paper material shows it."),
    )
    change_form = forms.FileField(
        label=_("Personnel-information change form (认证人员信息变更申请表)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            # A person requests for themself: no choice to make.
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people

    def changes(self) -> dict:
        raise NotImplementedError


class ImportantChangeForm(_RequestForm):
    """Tier (b): name, political status, education, major; blank means unchanged."""

    name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    political_status = forms.ChoiceField(
        label=_("Political status"), choices=_UNCHANGED + PoliticalStatus.choices, required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=_UNCHANGED + Education.choices, required=False
    )
    major = forms.CharField(label=_("Major"), max_length=100, required=False)

    field_order = ["person", *IMPORTANT_FIELDS]

    def changes(self) -> dict:
        data = self.cleaned_data
        return {key: data[key].strip() for key in IMPORTANT_FIELDS if data.get(key, "").strip()}


class QualificationChangeForm(_RequestForm):
    """Tier (c): the fields held and the lab represented."""

    fields_held = forms.ModelMultipleChoiceField(
        queryset=CertificationField.objects.order_by("position"),
        label=_("Certification fields held"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick every field the liaison should hold after the change."),
    )
    lab = forms.ModelChoiceField(
        # Lab names are public (the roster, L-11); a transfer may go to any active lab.
        queryset=TestingLab.objects.filter(is_active=True).order_by("name"),
        label=_("Move to another testing lab"),
        required=False,
        empty_label=_("— unchanged —"),
    )

    field_order = ["person", "fields_held", "lab"]

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {}
        if data.get("fields_held"):
            changes["fields"] = [f.code for f in data["fields_held"]]
        if data.get("lab"):
            changes["lab"] = data["lab"].pk
        return changes


#: The service's names for the data, mapped to this form's fields (for errors).
QUALIFICATION_ERROR_FIELDS = {"fields": "fields_held", "lab": "lab"}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the rejection"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
    )


class ChangeRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=ChangeRequestState.choices, label=_("State"), empty_label=_("Any state")
    )
    tier = django_filters.ChoiceFilter(
        choices=ChangeTier.choices, label=_("Tier"), empty_label=_("Any tier")
    )

    class Meta:
        model = ChangeRequest
        fields = ["state", "tier"]


class LegacyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster of legacy liaisons (CSV or XLSX)"),
        help_text=_(
            "First row: ID number, Name, Lab (USCC or name), Fields (codes or names separated "
            "by 、 or a comma), Hired on. Keep the ID number column as text."
        ),
    )
