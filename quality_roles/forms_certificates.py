"""Forms of the certificate screens (Q-05): they take the input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import EndForm, _comment
from .imports import MAX_FILE_BYTES, MAX_ROWS
from .models import LeadAppointment
from .selectors_certificates import active_leads


def _lead_label(lead: LeadAppointment) -> str:
    return lead.staff.person.name


class CertificateLeadForm(forms.Form):
    """Q-05: the lead in office who answers for the certificate."""

    lead = forms.ModelChoiceField(
        label=_("Responsible lead"),
        queryset=LeadAppointment.objects.none(),
        required=False,
        empty_label=_("No lead (the certificate is uncovered)"),
    )
    comment = _comment()

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = active_leads(body)
        self.fields["lead"].label_from_instance = _lead_label


class LeadEndForm(EndForm):
    """Ending a lead's appointment: who takes over the lead's certificates (Q-05)."""

    successor = forms.ModelChoiceField(
        label=_("Successor for the lead's certificates"),
        queryset=LeadAppointment.objects.none(),
        required=False,
        help_text=_("A project quality lead in office at this body takes the certificates over."),
    )
    leave_uncovered = forms.BooleanField(
        label=_("End without a successor: the certificates are left uncovered for now"),
        required=False,
    )

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if appointment is not None:
            self.fields["successor"].queryset = active_leads(appointment.body).exclude(
                pk=appointment.pk
            )
        self.fields["successor"].label_from_instance = _lead_label


class CertificateImportForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate list (CSV or XLSX)"),
        help_text=_(
            "First row: Certificate number, Product, Project or category (its code), State "
            "(valid, suspended, withdrawn or expired), Responsible lead (the lead's ID number; "
            "empty: no lead, the certificate is uncovered). At most %(rows)d certificates and "
            "%(size)d MB per file."
        )
        % {"rows": MAX_ROWS, "size": MAX_FILE_BYTES // (1024 * 1024)},
    )
