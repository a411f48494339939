"""Writes about the readers of the business system's feed: their tokens, how far each has read,
and the warning when a withdrawal of a right has not reached the business system in a day."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.mail import addresses_by_language, send_in_their_language
from directory.constants import Role
from directory.idnumbers import looks_like_id_number, mask_id_number
from directory.models import User

from .constants import LoginRightState
from .models import FeedClient, RightChange
from .selectors.feed import feed_received_up_to, unreceived_withdrawals

#: A withdrawal of a right (suspension or revocation) the business system has not received
#: after this long is flagged to the general business dept.
RECEIPT_EXPECTED_WITHIN = datetime.timedelta(days=1)
#: The changes a warning lists by name; it counts the rest.
WARNING_LISTS_AT_MOST = 50
NAME_MAX_LENGTH = FeedClient._meta.get_field("name").max_length
#: 32 random bytes, URL-safe base64: 43 characters.
TOKEN_BYTES = 32


def new_feed_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def feed_token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256. Looking a request's token up by its digest is
    the comparison, so the time it takes says nothing about how much of a guessed token was
    right (the digest of a near miss shares nothing with the real one)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_client_create(*, name: str, actor: User | None) -> tuple[FeedClient, str]:
    """A new reader of the feed and its token, which is returned here once and stored only as
    its SHA-256 (``actor`` None: an operator at the command line)."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("A feed client needs a name of 1 to %(max)s characters.") % {"max": NAME_MAX_LENGTH}
        )
    if FeedClient.objects.filter(name=name).exists():
        raise ValidationError(_("A feed client named %(name)s exists already.") % {"name": name})
    token = new_feed_token()
    client = FeedClient.objects.create(name=name, token_sha256=feed_token_digest(token))
    return client, token


def feed_read_record(*, client: FeedClient, since: int, feed_end: int) -> None:
    """The client asked for the changes after ``since``: it holds every change up to it
    (it asks for ``since=X`` only once it has stored everything to X), so ``read_up_to``
    moves to ``since``, never back, and never past the end of the feed (a cursor from
    nowhere acknowledges nothing that does not exist yet)."""
    acknowledged = min(since, feed_end)
    FeedClient.objects.filter(pk=client.pk).update(
        read_up_to=Greatest(F("read_up_to"), Value(acknowledged)),
        last_read_at=timezone.now(),
    )


def _shown_username(username: str) -> str:
    # A business-system username may be an ID number: never in an e-mail in clear (P-04).
    return mask_id_number(username) if looks_like_id_number(username) else username


@transaction.atomic
def unreceived_withdrawals_flag(*, now: datetime.datetime | None = None) -> int:
    """Tell the general business dept of every suspension or revocation the business system
    has not received within a day: each change once, whenever this runs and however often.

    The changes are stamped and the e-mail sent in one transaction: if sending fails nothing
    is stamped, and the next run tells of them. Returns how many changes were flagged."""
    now = now or timezone.now()
    flagged = unreceived_withdrawals(
        before=now - RECEIPT_EXPECTED_WITHIN, received_up_to=feed_received_up_to()
    ).update(unreceived_flagged_at=now)
    if not flagged:
        return 0
    changes = list(
        RightChange.objects.filter(unreceived_flagged_at=now)
        .order_by("id")
        .values("id", "right__username", "state", "rule", "at")[:WARNING_LISTS_AT_MOST]
    )
    for change in changes:
        change["username"] = _shown_username(change.pop("right__username"))
        change["state"] = LoginRightState(change["state"]).label
    officers = User.objects.filter(role=Role.GENERAL_BUSINESS_OFFICER, is_active=True)
    send_in_their_language(
        by_language=addresses_by_language(officers),
        subject=lambda: (
            _("Withdrawals of login rights not received by the business system: %(count)s")
            % {"count": flagged}
        ),
        template="access_audit/email/unreceived_changes.txt",
        context={
            "count": flagged,
            "changes": changes,
            "more": flagged - len(changes),
            "clients": list(FeedClient.objects.order_by("name")),
        },
    )
    return flagged
