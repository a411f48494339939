"""Forms of the directory: sign-in and the person's own data (P-03 tier a)."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cqcportal.mail import portal_link

from .constants import SELF_MAINTAINED_FIELDS
from .models import Person


class SignInForm(AuthenticationForm):
    """One field for an ID number (persons) or a username (staff)."""

    username = forms.CharField(
        label=_("ID number or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class LockedOutPasswordChangeForm(PasswordChangeForm):
    """The password change checks the current password through the sign-in backends, so a
    wrong one counts toward the sign-in lockout (django-axes) and a locked account cannot
    change its password: a stolen session must not guess without limit (issue 9)."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        signed = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if signed is None or signed.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class SelfMaintainedDataForm(forms.ModelForm):
    """Tier (a) of P-03: what the person keeps up to date alone."""

    class Meta:
        model = Person
        fields = list(SELF_MAINTAINED_FIELDS)


class PortalPasswordResetForm(PasswordResetForm):
    """Django's password reset, its link on the configured portal address (never the host the
    request named, which anyone can set) and its e-mail in the account's language (issue 10)."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        context["link"] = portal_link(
            "password_reset_confirm", uidb64=context["uid"], token=context["token"]
        )
        with translation.override(user.language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
