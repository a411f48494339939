"""Forms of the liaison application screens (L-02..L-07): input checks only.

What an application must hold to be submitted is checked by ``liaisons.rules`` through the
services; these forms only turn what was typed into the services' arguments.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cqcportal.limits import (
    ADDRESS_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    MAJOR_MAX_LENGTH,
    PERSON_NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RECOMMENDATION_MAX_LENGTH,
    SIGNATORY_MAX_LENGTH,
    TRAINING_EVALUATION_MAX_LENGTH,
    WORK_HISTORY_MAX_LENGTH,
    WORK_HISTORY_MAX_LINES,
    WORK_UNIT_MAX_LENGTH,
    MaxLinesValidator,
    clean_reason,
)
from directory.constants import (
    IMPORTANT_FIELDS,
    CertificationFieldCode,
    Education,
    PoliticalStatus,
    Role,
)
from directory.idnumbers import validate_id_number
from directory.selectors import lab_list
from directory.validators import validate_past_date, validate_person_name
from directory.widgets import PlainSelect

from .constants import BRANCH_STATES, DECISION_STATES, ApplicationState, MaterialKind
from .models import APPLICANT_FIELDS, LiaisonApplication
from .rules import REASON_REQUIRED, business_scope

#: The person's data the recommendation form carries besides the name, in the form's order
#: (P-03 tiers b and a).
PERSON_FIELDS = tuple(name for name in APPLICANT_FIELDS if name != "name")

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _field_choices(codes) -> list[tuple[str, str]]:
    """Certification fields in the order of the ten, labelled in the user's language."""
    labels = dict(CertificationFieldCode.choices)
    order = list(labels)
    return [(code, labels[code]) for code in sorted(set(codes), key=order.index)]


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the form: to the field it names when the
    form has it, to the whole form otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class _ApplicationDataForm(forms.Form):
    """The recommendation form's entries (L-03) and the fields applied for (L-05)."""

    name = forms.CharField(
        label=_("Full name"), max_length=PERSON_NAME_MAX_LENGTH, validators=[validate_person_name]
    )
    political_status = forms.ChoiceField(
        label=_("Political status"),
        choices=[("", "—"), *PoliticalStatus.choices],
        required=False,
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *Education.choices], required=False
    )
    major = forms.CharField(label=_("Major"), max_length=MAJOR_MAX_LENGTH, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=PHONE_MAX_LENGTH, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH, required=False)
    work_unit = forms.CharField(
        label=_("Work unit"), max_length=WORK_UNIT_MAX_LENGTH, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=ADDRESS_MAX_LENGTH, required=False)
    fields = forms.MultipleChoiceField(
        label=_("Certification fields applied for"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only fields of the lab's CQC business scope can be applied for (L-05)."),
    )
    work_started_on = forms.DateField(
        label=_("Working since"), required=False, widget=_DATE, validators=[validate_past_date]
    )
    # The limits of the recommendation form's boxes (issue 9).
    work_history = forms.CharField(
        label=_("Work history"),
        widget=forms.Textarea,
        required=False,
        max_length=WORK_HISTORY_MAX_LENGTH,
        validators=[MaxLinesValidator(WORK_HISTORY_MAX_LINES)],
        help_text=format_lazy(
            _("One line per post, at most {lines} lines."), lines=WORK_HISTORY_MAX_LINES
        ),
    )
    recommendation = forms.CharField(
        label=_("The lab's recommendation"),
        widget=forms.Textarea,
        required=False,
        max_length=RECOMMENDATION_MAX_LENGTH,
    )
    lab_signatory = forms.CharField(label=_("Signed for the lab by"), max_length=50, required=False)

    def __init__(self, *args, lab, extra_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A field applied for earlier stays visible even if the scope changed since;
        # the rules then say it is outside the scope (L-05).
        self.fields["fields"].choices = _field_choices([*business_scope(lab), *extra_fields])

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}

    def recommendation_data(self) -> dict:
        return {
            "work_started_on": self.cleaned_data["work_started_on"],
            "work_history": self.cleaned_data["work_history"],
            "recommendation": self.cleaned_data["recommendation"],
            "lab_signatory": self.cleaned_data["lab_signatory"],
        }


class ApplicationStartForm(_ApplicationDataForm):
    """A new application: the applicant is found, or recorded, by ID number (P-01)."""

    id_number = forms.CharField(
        label=_("ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    field_order = ["id_number", "name"]

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])

    def person_data(self) -> dict:
        # A blank entry keeps what is on record for a person the portal already knows.
        return {name: value for name, value in super().person_data().items() if value}


class ApplicationUpdateForm(_ApplicationDataForm):
    """A draft or returned application, with the declaration (L-02)."""

    declaration_accepted = forms.BooleanField(
        label=_("The applicant has signed the impartiality and confidentiality declaration"),
        required=False,
    )

    def __init__(self, *args, application: LiaisonApplication, **kwargs):
        initial = {
            name: getattr(application, f"applicant_{name}") for name in ("name", *PERSON_FIELDS)
        }
        initial.update(
            fields=[f.code for f in application.fields.all()],
            work_started_on=application.work_started_on,
            work_history=application.work_history,
            recommendation=application.recommendation,
            lab_signatory=application.lab_signatory,
            declaration_accepted=application.declaration_accepted,
        )
        kwargs.setdefault("initial", initial)
        super().__init__(*args, lab=application.lab, extra_fields=initial["fields"], **kwargs)
        if application.submitted_at is not None:
            # Shown, not editable once first submitted: a change goes through the branch
            # centre (P-03).
            for name in IMPORTANT_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Locked since first submitted; ask the branch centre for a change (P-03)."
                )

    def person_data(self) -> dict:
        return {"name": self.cleaned_data["name"], **super().person_data()}


class AssessmentEntryForm(forms.Form):
    """One row of the training assessment record, evaluated and signed by the lab (L-04)."""

    # What fits a row of the printed record (issue 9).
    evaluation = forms.CharField(
        label=_("Evaluation"), max_length=TRAINING_EVALUATION_MAX_LENGTH, required=False
    )
    signatory = forms.CharField(
        label=_("Signed by"), max_length=SIGNATORY_MAX_LENGTH, required=False
    )
    trained_on = forms.DateField(
        label=_("Trained on"), required=False, widget=_DATE, validators=[validate_past_date]
    )


class MaterialUploadForm(forms.Form):
    """One of the five materials (L-02); its content is checked by the service."""

    kind = forms.ChoiceField(choices=MaterialKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ActionForm(forms.Form):
    """A step of the flow with its comment; a return or a rejection needs a reason (L-07)."""

    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=REASON_MAX_LENGTH,
    )

    def __init__(
        self, *args, reason_required: bool = False, confirm_required: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        if reason_required:
            self.fields["comment"].label = _("Reason")
            self.fields["comment"].required = True
            self.fields["comment"].error_messages["required"] = REASON_REQUIRED
        if confirm_required:
            # A step that cannot be undone (a withdrawal) is taken only when the user ticked
            # that they know it; the server checks, so it holds without JavaScript (issue 10).
            self.fields["confirm"] = forms.BooleanField(
                label=_("I understand that a withdrawn application cannot be reopened."),
                required=True,
                error_messages={
                    "required": _(
                        "Nothing was withdrawn: tick the box to confirm that the application "
                        "is to be withdrawn for good."
                    )
                },
            )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"]
        if self.reason_required:
            return clean_reason(comment, required_message=REASON_REQUIRED)
        return comment


class HireChosenForm(forms.Form):
    """The decision queue's "hire the chosen": applicants passed to the training centre, in
    the user's scope, hired in one decision (L-07)."""

    applications = forms.ModelMultipleChoiceField(
        queryset=LiaisonApplication.objects.none(),
        error_messages={
            "required": _("Choose at least one application to hire."),
            # Missing and out of scope alike; one may have been decided a moment ago.
            "invalid_choice": _(
                "Some of the chosen applications are no longer waiting for a decision; reload "
                "the page."
            ),
            "invalid_pk_value": _("“%(pk)s” is not an application number."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=REASON_MAX_LENGTH,
    )

    def __init__(self, *args, applications, **kwargs):
        """``applications``: those the user may choose from."""
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications


# --- the application list's filters ---------------------------------------------------------


def _labs_in_scope(request):
    return lab_list(user=request.user).select_related(None).only("id", "name")


#: Default states of each role's queue; the user can widen them with the state filter.
DEFAULT_STATES = {
    Role.BRANCH_REVIEWER: list(BRANCH_STATES),
    Role.TRAINING_ADMIN: list(DECISION_STATES),
}

AGE_CHOICES = [
    ("7", _("Submitted more than 7 days ago")),
    ("30", _("Submitted more than 30 days ago")),
]


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Applicant's name"))
    lab = django_filters.ModelChoiceFilter(
        queryset=_labs_in_scope, label=_("Testing lab"), widget=PlainSelect
    )
    field = django_filters.ChoiceFilter(
        field_name="fields",
        choices=CertificationFieldCode.choices,
        label=_("Field"),
        widget=PlainSelect,
    )
    age = django_filters.ChoiceFilter(
        method="submitted_before", choices=AGE_CHOICES, label=_("Age"), widget=PlainSelect
    )
    state = django_filters.MultipleChoiceFilter(
        choices=ApplicationState.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("State"),
        method="in_states",
    )

    class Meta:
        model = LiaisonApplication
        fields = ["q", "lab", "field", "age", "state"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.role != Role.LAB_STAFF and not user.is_superuser:
            # Drafts never leave the lab.
            self.filters["state"].extra["choices"] = [
                c for c in ApplicationState.choices if c[0] != ApplicationState.DRAFT
            ]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(applicant_name__startswith=value) if value else queryset

    def in_states(self, queryset, name, value):
        # One ``state IN (...)``: MultipleChoiceFilter's own OR of one condition per state,
        # with DISTINCT over every column, keeps PostgreSQL off the lab-state index
        # (bench/README.md).
        return queryset.filter(state__in=value) if value else queryset

    def submitted_before(self, queryset, name, value):
        cutoff = timezone.now() - datetime.timedelta(days=int(value))
        return queryset.filter(submitted_at__lte=cutoff)
