"""Forms of the advice (Q-11), accountability (Q-12) and the regulator's (Q-13) screens: they
take the input; the services decide."""

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from .constants import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    AccountabilityGround,
    AccountabilityMeasureKind,
    AdviceAnswer,
    AssessmentResult,
)
from .forms import DateInput, _comment, _staff_label
from .models import (
    BodyStaff,
    CooperationProposal,
    DirectorAdvice,
    DirectorMeasure,
    IncidentReport,
    RectificationOrder,
    SpotCheck,
)


def _text(label, *, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AdviceGiveForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=NAME_MAX_LENGTH)
    text = _text(_("Advice"), required=True)
    given_on = forms.DateField(
        label=_("Given on"), required=False, widget=DateInput, help_text=_("Today when left empty.")
    )


class AdviceAnswerForm(forms.Form):
    """Q-11: management's answer and its date."""

    answer = forms.ChoiceField(label=_("Answer"), choices=BLANK_CHOICE_DASH + AdviceAnswer.choices)
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput)
    answer_text = _text(_("Management's answer"))
    rejection_reason = _text(
        _("Reason for the rejection"),
        help_text=_(
            "A rejection without a reason marks the director as having done the duty (Q-11)."
        ),
    )


#: The duties a case may name (Q-12), with the model each one links.
DUTY_FIELDS = {
    "duty_advice": (DirectorAdvice, _("Advice given")),
    "duty_spot_check": (SpotCheck, _("Spot check made")),
    "duty_rectification": (RectificationOrder, _("Rectification order issued")),
    "duty_measure": (DirectorMeasure, _("Measure taken (a paused project ...)")),
    "duty_incident": (IncidentReport, _("Incident reported")),
    "duty_proposal": (CooperationProposal, _("Cooperation proposal made")),
}


class CaseOpenForm(forms.Form):
    """Q-12: opening the case suspends the person's permissions in the body first."""

    staff = forms.ModelChoiceField(label=_("Person concerned"), queryset=BodyStaff.objects.none())
    ground = forms.ChoiceField(
        label=_("Ground"), choices=BLANK_CHOICE_DASH + AccountabilityGround.choices
    )
    description = _text(_("What the person is held to account for"), required=True)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = (
            BodyStaff.objects.select_related("person")
            .filter(body=body, left_on__isnull=True)
            .order_by("person__name", "pk")
        )
        self.fields["staff"].label_from_instance = _staff_label
        for name, (model, label) in DUTY_FIELDS.items():
            self.fields[name] = forms.ModelChoiceField(
                label=label,
                required=False,
                queryset=model.objects.filter(
                    **{"cooperation__body" if model is CooperationProposal else "body": body}
                ).order_by("-pk"),
                help_text=_("The duty the person performed that the case concerns, if any."),
            )


class InvestigationForm(forms.Form):
    investigation = _text(_("What the investigation found"), required=True)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Measure"), choices=BLANK_CHOICE_DASH + AccountabilityMeasureKind.choices
    )
    detail = _text(_("Detail"))
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=DateInput,
        help_text=_("Today when left empty."),
    )


class CaseCloseForm(forms.Form):
    note = _comment(_("Closing note"), required=True)


class RestoreForm(forms.Form):
    reason = _comment(_("Reason"), required=True)


class AssessmentForm(forms.Form):
    """Q-13: the result; a failed one requires the rectification's actions and deadline."""

    result = forms.ChoiceField(
        label=_("Result"), choices=BLANK_CHOICE_DASH + AssessmentResult.choices
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    findings = _text(_("Findings"))
    actions = _text(
        _("Actions required"), help_text=_("Required when the assessment fails (Q-13).")
    )
    deadline = forms.DateField(
        label=_("Deadline for the actions"),
        required=False,
        widget=DateInput,
        help_text=_("Required when the assessment fails (Q-13)."),
    )


class ConfirmForm(forms.Form):
    """A step with nothing to enter."""


class RectificationReportForm(forms.Form):
    report = _comment(_("Actions taken"), required=True)


class RectificationCheckForm(forms.Form):
    effective = forms.TypedChoiceField(
        label=_("Effect of the actions"),
        choices=[("yes", _("Effective: close the order")), ("no", _("Not effective: reopen"))],
        coerce=lambda value: value == "yes",
    )
    check = _comment(_("Effectiveness check"), required=True)
