"""Forms of the login-right screens: input only; the rules are the services'
(``access_audit.services.requests``, ``access_audit.services.imports``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqcportal.limits import REASON_MAX_LENGTH

from .imports import MAX_FILE_BYTES, MAX_ROWS
from .models.rights import USERNAME_MAX_LENGTH


class RequestForm(forms.Form):
    """A request for a login right: for whom (chosen by lab staff), the username, a comment."""

    person = forms.ModelChoiceField(queryset=None, label=_("Person"))
    username = forms.CharField(
        label=_("Business-system username"),
        max_length=USERNAME_MAX_LENGTH,
        help_text=_(
            "The account to create in the business system, or the person's own suspended or "
            "revoked account to grant again."
        ),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            # A person requests for themself: no choice to make.
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the refusal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
    )


class AccountImportForm(forms.Form):
    file = forms.FileField(
        label=_("Account list of the business system (CSV or XLSX)"),
        help_text=_(
            "First row: Username, ID number, Name, Lab (unified social credit code or name), "
            "Last login, State (active, suspended or revoked). Keep the ID number column as "
            "text. At most %(rows)d accounts and %(size)d MB per file."
        )
        % {"rows": MAX_ROWS, "size": MAX_FILE_BYTES // (1024 * 1024)},
    )
