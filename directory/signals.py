"""Receivers of Django's signals that the directory needs."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services


@receiver(user_logged_in)
def remember_language_at_sign_in(sender, request, user, **kwargs):
    """A language chosen before signing in (on the sign-in page) is the user's choice too, so
    the portal's e-mails are written in it (issue 10)."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if language:
        services.user_language_set(user=user, language=language, actor=user)
