"""Pages of the second factor (issue 9): enrolment, the verification step, the security page."""

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import second_factor
from .permissions import may_turn_off_second_factor

app_name = "two_step"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=second_factor.MAX_CODE_LENGTH,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text"}
        ),
    )


def _next_url(request) -> str:
    """Where to go after the step: the page asked for, if it is one of the portal's own."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


def _codes_page(request, codes):
    return render(
        request,
        "directory/second_factor/recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


class VerifyView(LoginRequiredMixin, View):
    """The second step at sign-in: a code from the authenticator, or a recovery code."""

    template_name = "directory/second_factor/verify.html"

    def get(self, request):
        if request.user.is_verified():
            return redirect(_next_url(request))
        if not second_factor.has_authenticator(request.user):
            return redirect(f"{reverse('two_step:enrol')}?{request.GET.urlencode()}")
        return self._page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = second_factor.second_factor_check(
                    user=request.user, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                form.add_error("code", error)
            else:
                # A fresh session key for the session that now counts as fully signed in.
                request.session.cycle_key()
                django_otp.login(request, device)
                if device.persistent_id.startswith("otp_static."):
                    left = second_factor.recovery_codes_left(request.user)
                    messages.warning(
                        request,
                        _(
                            "You signed in with a recovery code; %(left)d are left. "
                            "Renew them on the two-step sign-in page."
                        )
                        % {"left": left},
                    )
                return redirect(_next_url(request))
        return self._page(request, form, status=400)

    def _page(self, request, form, status=200):
        context = {"form": form, "next": _next_url(request)}
        return render(request, self.template_name, context, status=status)


class EnrolView(LoginRequiredMixin, View):
    """Set up an authenticator: scan the QR code (or type the key), confirm with a code."""

    template_name = "directory/second_factor/enrol.html"

    def _blocked(self, request):
        # A second authenticator only from a session that passed the first one.
        user = request.user
        if not user.is_verified() and second_factor.has_authenticator(user):
            return redirect(f"{reverse('two_step:verify')}?{request.GET.urlencode()}")
        return None

    def get(self, request):
        return self._blocked(request) or self._page(request, CodeForm())

    def post(self, request):
        blocked = self._blocked(request)
        if blocked:
            return blocked
        form = CodeForm(request.POST)
        device = second_factor.authenticator_start(actor=request.user)
        if form.is_valid():
            try:
                codes = second_factor.authenticator_confirm(
                    device=device, code=form.cleaned_data["code"], actor=request.user
                )
            except ValidationError as error:
                form.add_error("code", error)
            else:
                request.session.cycle_key()
                django_otp.login(request, device)
                second_factor.forget_session_authenticator(request)
                # Shown once, on this answer only: never stored in readable form.
                return _codes_page(request, codes)
        return self._page(request, form, status=400)

    def _page(self, request, form, status=200):
        device = second_factor.authenticator_start(actor=request.user)
        context = {
            "form": form,
            "next": _next_url(request),
            "qr_code": second_factor.qr_code_svg(device),
            "secret": second_factor.secret_text(device),
            "label": second_factor.authenticator_label(request.user),
            "required": second_factor.second_factor_required(request.user),
        }
        return render(request, self.template_name, context, status=status)


class SecurityView(LoginRequiredMixin, View):
    """The account's two-step sign-in: on or off, recovery codes left, what one may do."""

    def get(self, request):
        user = request.user
        context = {
            "has_authenticator": second_factor.has_authenticator(user),
            "codes_left": second_factor.recovery_codes_left(user),
            "required": second_factor.second_factor_required(user),
            "may_turn_off": may_turn_off_second_factor(user),
        }
        return render(request, "directory/second_factor/security.html", context)


class RecoveryCodesView(LoginRequiredMixin, View):
    """Renew the recovery codes (POST): the old ones stop working, the new ones show once."""

    def post(self, request):
        try:
            codes = second_factor.recovery_codes_regenerate(actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("two_step:security")
        return _codes_page(request, codes)


class TurnOffView(LoginRequiredMixin, View):
    """Remove the authenticator and the recovery codes (POST), where the settings allow."""

    def post(self, request):
        try:
            second_factor.second_factor_turn_off(actor=request.user)
            second_factor.forget_session_authenticator(request)
        except PermissionDenied:
            messages.error(request, _("Your role must sign in with a second factor."))
        else:
            messages.success(request, _("Two-step sign-in is off."))
        return redirect("two_step:security")


urlpatterns = [
    path("", SecurityView.as_view(), name="security"),
    path("verify/", VerifyView.as_view(), name="verify"),
    path("enrol/", EnrolView.as_view(), name="enrol"),
    path("recovery-codes/", RecoveryCodesView.as_view(), name="recovery_codes"),
    path("turn-off/", TurnOffView.as_view(), name="turn_off"),
]
