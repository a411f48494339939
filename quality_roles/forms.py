"""Forms of the quality roles' screens: they take the input; the services decide."""

from django import forms
from django.db.models import BLANK_CHOICE_DASH, Q
from django.utils.translation import gettext_lazy as _

from cqcportal.limits import REASON_MAX_LENGTH
from directory.models import Person

from .constants import CODE_MAX_LENGTH, NAME_MAX_LENGTH, REFERENCE_MAX_LENGTH, AuthoriserCapacity
from .models import BodyStaff, CertificationProject, ProductCategory
from .services.bodies import STAFF_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _comment(label=None, *, required=False):
    return forms.CharField(
        label=label or _("Comment"),
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _people_of(body):
    return Person.objects.filter(body=body).order_by("name", "pk")


class GovernanceForm(forms.Form):
    """Q-02: who authorises the director; people of the body (P-01)."""

    legal_representative = forms.ModelChoiceField(
        label=_("Legal representative"), queryset=Person.objects.none(), required=False
    )
    actual_controller = forms.ModelChoiceField(
        label=_("Actual controller"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Leave empty when the body has no actual controller apart from its owners."),
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("legal_representative", "actual_controller"):
            self.fields[name].queryset = _people_of(body)


class StaffForm(forms.ModelForm):
    """What the body records of a staff member (Q-03, Q-04); the degree is the person's
    education, kept on the person's record."""

    class Meta:
        model = BodyStaff
        fields = list(STAFF_FIELDS)
        widgets = {
            "full_time_work_since": DateInput,
            "professional_work_since": DateInput,
            "left_on": DateInput,
        }


class StaffCreateForm(StaffForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    class Meta(StaffForm.Meta):
        fields = ["person", *STAFF_FIELDS]

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people_of(body).exclude(body_staff__body=body)
        del self.fields["left_on"]


class DirectorNominateForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("Nominee"),
        queryset=BodyStaff.objects.none(),
        help_text=_(
            "A member of top management, not the legal representative (Q-02), with the "
            "education and years of work of Q-03."
        ),
    )
    note = _comment(_("Note"))

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = (
            BodyStaff.objects.select_related("person")
            .filter(body=body, left_on__isnull=True)
            .order_by("-is_top_management", "person__name")
        )
        self.fields["staff"].label_from_instance = _staff_label


def _staff_label(staff: BodyStaff) -> str:
    return f"{staff.person.name} · {staff.position}" if staff.position else staff.person.name


class AuthoriseForm(forms.Form):
    """Q-02: the authorisation, by the legal representative or the actual controller on
    record in the body's governance."""

    capacity = forms.ChoiceField(
        label=_("Authorised by"), choices=BLANK_CHOICE_DASH + AuthoriserCapacity.choices
    )
    authorised_on = forms.DateField(label=_("Authorised on"), widget=DateInput)
    comment = _comment()


class FileForm(forms.Form):
    """Q-06: filed with the regulator's approval system."""

    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput)
    reference = forms.CharField(
        label=_("Regulator's reference"), required=False, max_length=REFERENCE_MAX_LENGTH
    )
    comment = _comment()


class ActivateForm(forms.Form):
    starts_on = forms.DateField(
        label=_("In office from"),
        required=False,
        widget=DateInput,
        help_text=_("Today when left empty."),
    )
    comment = _comment()


class EndForm(forms.Form):
    reason = _comment(_("Reason"), required=True)
    ended_on = forms.DateField(
        label=_("In office until"),
        required=False,
        widget=DateInput,
        help_text=_("Today when left empty."),
    )


class WithdrawForm(forms.Form):
    reason = _comment(_("Reason"), required=True)


class LeadNominateForm(forms.Form):
    """Q-09: the director nominates a lead for named projects or product categories."""

    staff = forms.ModelChoiceField(
        label=_("Nominee"),
        queryset=BodyStaff.objects.none(),
        help_text=_("With the education and years of work of Q-04."),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Certification projects"),
        queryset=CertificationProject.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    product_categories = forms.ModelMultipleChoiceField(
        label=_("Product categories"),
        queryset=ProductCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = _comment(_("Note"))

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = (
            BodyStaff.objects.select_related("person")
            .filter(body=body, left_on__isnull=True)
            .order_by("person__name")
        )
        self.fields["staff"].label_from_instance = _staff_label
        self.fields["projects"].queryset = CertificationProject.objects.filter(body=body)
        self.fields["product_categories"].queryset = ProductCategory.objects.filter(
            body=body, is_active=True
        )


class LeadActivateForm(ActivateForm):
    pass


class FilingFiledForm(forms.Form):
    """Q-06: the change was filed with the regulator."""

    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput)
    reference = forms.CharField(
        label=_("Regulator's reference"), required=False, max_length=REFERENCE_MAX_LENGTH
    )


class ProjectForm(forms.Form):
    """Q-09: a certification project of the body: its code, name and product category."""

    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("Unique in the body; the certificate import finds the project by it."),
    )
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    category = forms.ModelChoiceField(
        label=_("Product category"), queryset=ProductCategory.objects.none(), required=False
    )

    def __init__(self, *args, body, current_category_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProductCategory.objects.filter(
            Q(is_active=True) | Q(pk=current_category_id), body=body
        ).order_by("code", "pk")
