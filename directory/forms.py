"""Forms of the directory: sign-in and the person's own data (P-03 tier a)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

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
