"""Sign-in: persons with their ID number, staff with a username (one field for both).

`sign_in_username` is the one spelling of "which account is this attempt for": the backend
looks the account up by it and the lockout (django-axes, ``AXES_USERNAME_CALLABLE``) counts
failures by it, so no spelling of a name can reach the account without being counted
(issue 9).
"""

import unicodedata

from django.contrib.auth.backends import ModelBackend

from .idnumbers import ID_NUMBER_SHAPE, normalize_id_number

# axes keeps the username in a 255-character column; nothing longer names an account.
_AXES_USERNAME_LENGTH = 255


def sign_in_username(value) -> str:
    """The account name a sign-in attempt is for: an ID number in its canonical form, or a
    username as Django stores it (NFKC, no surrounding spaces)."""
    name = unicodedata.normalize("NFKC", str(value or "")).strip()
    candidate = normalize_id_number(name)
    if ID_NUMBER_SHAPE.fullmatch(candidate):
        return candidate
    return name


def axes_username(request, credentials: dict | None = None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the lockout counts the account the backend will look up."""
    if credentials is not None:
        raw = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", None)
        raw = data.get("username") if hasattr(data, "get") else None
    if raw is None:
        return None
    return sign_in_username(raw)[:_AXES_USERNAME_LENGTH]


class IdNumberOrUsernameBackend(ModelBackend):
    """Model backend that accepts an ID number typed with a lower-case ``x``, spaces or
    full-width digits."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = sign_in_username(username)
        return super().authenticate(request, username=username, password=password, **kwargs)
