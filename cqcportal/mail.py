"""E-mail to each recipient in their own language, with links to the configured portal address.

Whoever triggers a mail (a reviewer browsing in English, a Celery worker) must not decide its
language: a recipient with an account gets their chosen language (``User.language``), an
address without one (a lab's or a branch centre's mailbox, a person without an account) gets
the portal's default, Chinese (issue 10). Links are built from ``settings.PORTAL_BASE_URL``,
never from the host of the request that triggered the mail, which an attacker can set.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def portal_url(path: str) -> str:
    """The absolute address of a portal path, on the configured portal address."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def portal_link(viewname: str, *args, **kwargs) -> str:
    """``reverse`` on the configured portal address."""
    return portal_url(reverse(viewname, args=args or None, kwargs=kwargs or None))


def addresses_by_language(
    users: Iterable = (), addresses: Iterable[str] = (), persons: Iterable = ()
) -> dict[str, list[str]]:
    """``{language: [address, ...]}``: users in their chosen language, a person at their own
    address in their account's language (the default without an account), bare addresses in
    the default language. An address that is also a user's takes the user's language."""
    default = settings.LANGUAGE_CODE
    language_of: dict[str, str] = {a: default for a in addresses if a}
    for person in persons:
        if person.email:
            account = person.user if person.user_id else None
            language_of[person.email] = account.language if account else default
    for user in users:
        if user.email:
            language_of[user.email] = user.language or default
    grouped: dict[str, list[str]] = defaultdict(list)
    for address, language in sorted(language_of.items()):
        grouped[language].append(address)
    return dict(grouped)


def send_in_their_language(
    *,
    by_language: dict[str, list[str]],
    subject: Callable[[], str],
    template: str,
    context: dict,
) -> int:
    """One message per language, rendered under it; returns how many addresses were sent to.

    ``subject`` is called under each language, so it may translate and format.
    """
    sent = 0
    for language, recipients in sorted(by_language.items()):
        if not recipients:
            continue
        with translation.override(language):
            send_mail(
                subject=str(subject()),
                message=render_to_string(template, context),
                from_email=None,
                recipient_list=recipients,
            )
        sent += len(recipients)
    return sent
