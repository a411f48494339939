"""Forms of entry training (L-09) and continuous evaluation (L-10); they validate input only,
the services in ``liaisons.services.training`` and ``.evaluations`` hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqcportal.limits import REASON_MAX_LENGTH
from directory.idnumbers import mask_id_number, validate_id_number

from .constants import EvaluationDecisionKind, EvaluationRating, TrainingResult
from .models import Evaluation, TrainingSession


class DateInput(forms.DateInput):
    input_type = "date"


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["title", "mode", "starts_on", "ends_on", "location", "capacity"]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "capacity": forms.NumberInput(attrs={"min": 1}),
        }
        help_texts = {
            "location": _("The room, or the link of a remote session."),
            "capacity": _("Leave empty for no limit."),
        }


class EnrolForm(forms.Form):
    """Enrol one person: picked from a list (``person``) or named by ID number.

    The ID number is sent in the request body, never in a URL (P-04).
    """

    person = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["person"].queryset = candidates

    def clean(self):
        cleaned = super().clean()
        person, id_number = cleaned.get("person"), (cleaned.get("id_number") or "").strip()
        if self.errors:
            return cleaned
        if person is None and not id_number:
            raise forms.ValidationError(_("Choose a person or enter an ID number."))
        if person is None:
            try:
                number = validate_id_number(id_number)
            except forms.ValidationError as error:
                self.add_error("id_number", error)
                return cleaned
            person = self.candidates.filter(id_number=number).first()
            if person is None:
                self.add_error(
                    "id_number",
                    _(
                        "No one with the ID number %(masked)s works for a testing lab or has "
                        "an application in progress."
                    )
                    % {"masked": mask_id_number(number)},
                )
                return cleaned
            cleaned["person"] = person
        return cleaned


class TrainingResultForm(forms.Form):
    enrolment = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[(TrainingResult.PASSED, TrainingResult.PASSED.label)]
        + [(TrainingResult.FAILED, TrainingResult.FAILED.label)],
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["rating", "period_start", "period_end", "comment"]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", "---------"), *EvaluationRating.choices]


class EvaluationDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=EvaluationDecisionKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, strip=True)
