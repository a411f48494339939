"""Forms of the directory: sign-in and the person's own data (P-03 tier a)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cqcportal.mail import portal_link

from .models import Person


class SignInForm(AuthenticationForm):
    """One field for an ID number (persons) or a username (staff)."""

    username = forms.CharField(
        label=_("ID number or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class SelfMaintainedDataForm(forms.ModelForm):
    """Tier (a) of P-03: what the person keeps up to date alone."""

    class Meta:
        model = Person
        fields = ["phone", "email", "work_unit", "address"]


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
