"""Forms of what the director and the leads do (Q-07, Q-08, Q-10): they take the input; the
services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqcportal.limits import REASON_MAX_LENGTH

from .constants import (
    CODE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    IncidentKind,
    LabEvaluationResult,
    MeasureKind,
    ProposalAction,
)
from .forms import DateInput
from .models import BodyStaff, Certificate, CertificationProject, LabEvaluation


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _text(label, *, required=True, limit=TEXT_MAX_LENGTH, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _reason(label=None, *, required=True):
    return _text(label or _("Reason"), required=required, limit=REASON_MAX_LENGTH, rows=3)


def _projects(body):
    return CertificationProject.objects.filter(body=body).order_by("code")


# --- incidents (Q-07) --------------------------------------------------------------------------


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX_LENGTH)
    description = _text(_("What happened"), required=False)
    learned_at = forms.DateTimeField(
        label=_("Learned of it at"),
        widget=DateTimeInput,
        help_text=_("Beijing time. The 24 hours to report to the regulator run from it (Q-07)."),
    )
    project = forms.ModelChoiceField(
        label=_("Certification project"),
        queryset=CertificationProject.objects.none(),
        required=False,
    )
    certificate = forms.ModelChoiceField(
        label=_("Certificate"), queryset=Certificate.objects.none(), required=False
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _projects(body)
        self.fields["certificate"].queryset = Certificate.objects.filter(body=body).only(
            "pk", "number"
        )
        self.fields["certificate"].widget = forms.TextInput()
        self.fields["certificate"].to_field_name = "number"
        self.fields["certificate"].help_text = _("The certificate number, if one is concerned.")


class IncidentReportedForm(forms.Form):
    reported_at = forms.DateTimeField(label=_("Reported to the regulator at"), widget=DateTimeInput)
    reference = forms.CharField(
        label=_("Regulator's reference"), max_length=REFERENCE_MAX_LENGTH, required=False
    )
    comment = _reason(_("Comment"), required=False)


class IncidentCloseForm(forms.Form):
    note = _reason(_("Closing note"))


# --- the director's powers (Q-08) ------------------------------------------------------------


class SpotCheckForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Certification project"), queryset=CertificationProject.objects.none()
    )
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput)
    files_read = _text(_("Files read"), required=False, rows=3)
    findings = _text(_("Findings"))
    issues_found = forms.BooleanField(label=_("Issues found"), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _projects(body)


class RectificationIssueForm(forms.Form):
    problem = _text(_("Problem"))
    actions = _text(_("Actions required"))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=BodyStaff.objects.none())
    deadline = forms.DateField(label=_("Deadline for the actions"), widget=DateInput)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            BodyStaff.objects.filter(body=body, left_on__isnull=True)
            .select_related("person")
            .order_by("person__name")
        )


class RectificationDoneForm(forms.Form):
    report = _text(_("Actions taken"))


class RectificationCheckForm(forms.Form):
    effective = forms.TypedChoiceField(
        label=_("Effectiveness"),
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", _("Effective: close the order")),
            ("no", _("Not effective: back to the owner")),
        ],
        widget=forms.RadioSelect,
    )
    check = _text(_("Effectiveness check"))


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    project = forms.ModelChoiceField(
        label=_("Project to pause"), queryset=CertificationProject.objects.none(), required=False
    )
    certificate = forms.ModelChoiceField(
        label=_("Certificate to suspend"),
        queryset=Certificate.objects.none(),
        required=False,
        to_field_name="number",
        widget=forms.TextInput,
        help_text=_("The certificate number."),
    )
    scope = _text(_("Activities suspended"), required=False, rows=2)
    reason = _reason()

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _projects(body)
        self.fields["certificate"].queryset = Certificate.objects.filter(body=body)


class LiftForm(forms.Form):
    reason = _reason(_("Reason for lifting"))


# --- external labs (Q-10) ----------------------------------------------------------------------


class ExternalLabForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    accreditation_number = forms.CharField(
        label=_("Accreditation number"), max_length=CODE_MAX_LENGTH, required=False
    )


class CooperationForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Certification project"), queryset=CertificationProject.objects.none()
    )
    since = forms.DateField(label=_("Since"), widget=DateInput, required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _projects(body)


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DateInput)
    result = forms.ChoiceField(label=_("Result"), choices=LabEvaluationResult.choices)
    findings = _text(_("Findings"), required=False)


class ProposalForm(forms.Form):
    #: A resumption has a screen of its own (``ResumptionForm``): the director may propose it.
    action = forms.ChoiceField(
        label=_("Proposal"),
        choices=[
            (value, label)
            for value, label in ProposalAction.choices
            if value != ProposalAction.RESUME
        ],
    )
    reason = _text(_("Reason"))
    evaluation = forms.ModelChoiceField(
        label=_("Evaluation it rests on"), queryset=LabEvaluation.objects.none(), required=False
    )

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = cooperation.evaluations.order_by("-evaluated_on")


class ResumptionForm(forms.Form):
    reason = _text(_("Reason for resuming"))
    evaluation = forms.ModelChoiceField(
        label=_("Evaluation it rests on"), queryset=LabEvaluation.objects.none(), required=False
    )

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = cooperation.evaluations.order_by("-evaluated_on")


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda value: value == "approve",
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    comment = _reason(_("Comment (a reason is required to refuse)"), required=False)
