"""The second step of signing in (issue 9): until it is passed, nothing but the step itself."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .second_factor import has_authenticator, second_factor_required

#: What a user signed in with a password alone may still reach.
OPEN_BEFORE_SECOND_STEP = frozenset(
    {
        "logout",
        "set_language",
        "healthz",
        "two_step:verify",
        "two_step:enrol",
    }
)


class SecondFactorMiddleware:
    """Sends a user who must pass the second factor, and has not yet, to enrolment or to the
    verification step; the session-authenticated API answers 403 until then.

    Comes after django-otp's OTPMiddleware (``request.user.is_verified``). A token-authenticated
    API request is not seen here (DRF authenticates it in the view):
    ``directory.api.authentication`` refuses those tokens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "sessionless", False):
            # A view that reads no session and authenticates by its own token (the business
            # system's API): no session or user to load, nothing of a second step to check.
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_STEP:
            return None
        if not second_factor_required(user, request=request):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Complete the second step of signing in first.")}, status=403
            )
        step = "two_step:verify" if has_authenticator(user) else "two_step:enrol"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
