"""Forms of the certificate screens (Q-05): they take the input; the services decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import scopes
from .forms import EndForm, _comment
from .imports import MAX_FILE_BYTES, MAX_ROWS
from .models import LeadAppointment
from .selectors_certificates import active_leads


def _lead_label(lead: LeadAppointment) -> str:
    return lead.staff.person.name


class CertificateLeadForm(forms.Form):
    """Q-05: the lead in office who answers for the certificate: the choices are the leads
    whose projects or categories include the certificate's (``scopes``)."""

    lead = forms.ModelChoiceField(
        label=_("Responsible lead"),
        queryset=LeadAppointment.objects.none(),
        required=False,
        empty_label=_("No lead (the certificate is uncovered)"),
    )
    comment = _comment()

    def __init__(self, *args, certificate, **kwargs):
        super().__init__(*args, **kwargs)
        leads = active_leads(certificate.body)
        answering = scopes.leads_answering_for(certificate, leads)
        # The current lead stays a choice while in office, so saving a comment never drops
        # the lead unasked; naming another lead who does not answer for it is refused.
        self.fields["lead"].queryset = leads.filter(
            Q(pk__in=answering) | Q(pk=certificate.responsible_lead_id or 0)
        )

        def label(lead: LeadAppointment) -> str:
            if lead.pk in answering:
                return _lead_label(lead)
            return _("%(name)s (current lead, not responsible for this project or category)") % {
                "name": _lead_label(lead)
            }

        self.fields["lead"].label_from_instance = label


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
