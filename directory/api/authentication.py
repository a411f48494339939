"""Token authentication that does not go round the second factor (issue 9)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from directory.second_factor import second_factor_required


class SecondFactorAwareTokenAuthentication(TokenAuthentication):
    """A token is a password that never expires: it is refused for any user who must pass a
    second factor (deciders when the settings require it, anyone with an authenticator).
    Such users reach the API through their verified browser session; machine clients use
    an account of their own without one (docs/decisions.md)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if second_factor_required(user):
            raise exceptions.AuthenticationFailed(
                _("This account signs in with a second factor; its API token is not accepted.")
            )
        return user, token
