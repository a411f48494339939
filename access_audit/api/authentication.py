"""The business system's credential: a feed token, good for its two endpoints and nothing else.

Used only by the views of ``access_audit.api.views`` (never in DEFAULT_AUTHENTICATION_CLASSES),
so the token reaches no other URL of the portal, and those views list no other class, so no
session, user token or password reaches them (docs/decisions.md).
"""

import threading
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from ..feed_clients import feed_token_digest
from ..models import FeedClient
from ..selectors.feed import feed_client_by_token_digest

#: Accepted spellings of the scheme: the standard one, and DRF's for clients used to it.
KEYWORDS = ("bearer", "token")
#: Anything longer is not one of our tokens; refused before it is hashed.
TOKEN_MAX_LENGTH = 128
REALM = 'Bearer realm="business-system"'
#: Tokens a process remembers at most; past it, it forgets them all (a spray of valid
#: tokens is not a thing: only active clients' tokens are remembered).
CACHED_TOKENS_MAX = 64

_cached_clients: dict[str, tuple[FeedClient, float]] = {}
_cached_clients_lock = threading.Lock()


def _active_client(digest: str) -> FeedClient | None:
    """The active client of this token digest, remembered by the process for
    ``BUSINESS_SYSTEM_TOKEN_CACHE_SECONDS``: the business system asks thousands of times a
    minute with the same token, and the lookup was a tenth of the endpoint's work. A client
    deactivated in the admin is refused at the latest that many seconds later
    (docs/decisions.md). Only found clients are remembered: a wrong token is looked up
    each time, so guessing fills nothing."""
    seconds = settings.BUSINESS_SYSTEM_TOKEN_CACHE_SECONDS
    if seconds <= 0:
        return feed_client_by_token_digest(digest)
    now = time.monotonic()
    cached = _cached_clients.get(digest)
    if cached is not None and cached[1] > now:
        return cached[0]
    client = feed_client_by_token_digest(digest)
    with _cached_clients_lock:
        if client is None:
            _cached_clients.pop(digest, None)
        else:
            if len(_cached_clients) >= CACHED_TOKENS_MAX:
                _cached_clients.clear()
            _cached_clients[digest] = (client, now + seconds)
    return client


def forget_cached_tokens() -> None:
    """Forget every remembered client (tests; a deactivation in this process)."""
    with _cached_clients_lock:
        _cached_clients.clear()


class FeedTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` (or ``Token <token>``) of an active FeedClient.

    ``request.user`` stays anonymous and ``request.auth`` is the client: the token is no
    portal user, so no permission of a user can ever apply to it.
    """

    def authenticate(self, request):
        parts = request.META.get("HTTP_AUTHORIZATION", "").split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # no credential of ours: 401 from the permission below
        token = parts[1] if len(parts) == 2 else ""
        # A token is URL-safe base64: anything else (another length, a header that held
        # non-ASCII bytes) is refused before it is hashed.
        if not token or len(token) > TOKEN_MAX_LENGTH or not token.isascii():
            raise exceptions.AuthenticationFailed(_("The business-system token is malformed."))
        client = _active_client(feed_token_digest(token))
        if client is None:
            raise exceptions.AuthenticationFailed(
                _("The business-system token is not valid or no longer active.")
            )
        return AnonymousUser(), client

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a missing or refused token.
        return REALM


class IsFeedClient(BasePermission):
    """Only a request authenticated by a feed token."""

    def has_permission(self, request, view):
        return isinstance(request.auth, FeedClient)


class FeedTokenScheme(OpenApiAuthenticationExtension):
    """The bearer scheme in the OpenAPI schema (drf-spectacular finds it on import)."""

    target_class = FeedTokenAuthentication
    name = "businessSystemToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "The business system's feed token (`manage.py feed_client_create NAME` prints "
                "it once). `Token <token>` is accepted as well. It reaches only the "
                "business-system endpoints."
            ),
        }
