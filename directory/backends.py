"""Sign-in: persons with their ID number, staff with a username (one field for both)."""

from django.contrib.auth.backends import ModelBackend

from .idnumbers import normalize_id_number


class IdNumberOrUsernameBackend(ModelBackend):
    """Model backend that accepts an ID number typed with a lower-case ``x`` or spaces."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            candidate = normalize_id_number(username)
            if len(candidate) == 18 and candidate[:17].isdigit():
                username = candidate
        return super().authenticate(request, username=username, password=password, **kwargs)
