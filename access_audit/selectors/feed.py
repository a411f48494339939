"""Reads of the business system's feed: what the API answers (eligibility, the changes since a
cursor) and whether the business system has received a change (for the screens of rights).

The cursor is ``RightChange.id``. Ids come from a sequence, taken when a row is inserted, so a
transaction can hold a lower id than one that committed before it; a reader that had already
moved past the higher id would skip the lower one for ever. The feed therefore serves only up
to its *horizon*: the highest id below which no transaction is still writing. On PostgreSQL
every statement inserting into the feed first takes a shared advisory lock until its
transaction ends (a trigger, migration 0005, so no writer can forget it), and the reader takes
the same lock exclusively, without waiting: if it gets it, no writer is in flight and the
highest id is the horizon; if not, nothing new is served this time (docs/decisions.md). On
SQLite one transaction writes at a time, so ids are taken in commit order and the highest id
is the horizon.
"""

import functools
import json

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    JSONField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import JSONObject
from django.utils.translation import gettext as _

from ..constants import CampaignState, LoginRightState
from ..models import CampaignEntry, FeedClient, LoginRight, RightChange

#: The advisory lock of the feed's writers (shared) and of its reader (exclusive); the
#: trigger of migration 0005 takes the same key.
FEED_WRITERS_LOCK = 120_012
#: The states that take the right to log in away: what the business system must not miss.
WITHDRAWN = (LoginRightState.SUSPENDED, LoginRightState.REVOKED)


# --- eligibility ------------------------------------------------------------------------------


class CompiledQuery:
    """A queryset of one parameter, compiled to SQL once per process and then run with a new
    value for that parameter: the business system's two lookups are asked a thousand times a
    second, and building and compiling their querysets cost more CPU than PostgreSQL spends
    answering them (bench/README.md). The SQL is the ORM's own, so it follows the models."""

    _PLACEHOLDER = "\x00compiled-query-parameter\x00"

    def __init__(self, build):
        self._build = build

    @functools.cached_property
    def _compiled(self) -> tuple[str, list, int]:
        sql, params = self._build(self._PLACEHOLDER).query.sql_with_params()
        params = list(params)
        return sql, params, params.index(self._PLACEHOLDER)

    def first(self, value) -> tuple | None:
        sql, params, index = self._compiled
        params = params.copy()
        params[index] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


def _eligibility_queryset(username: str) -> QuerySet:
    entry = (
        CampaignEntry.objects.filter(right=OuterRef("pk"), campaign__state=CampaignState.OPEN)
        # Should two campaigns be open at once, the one whose deadline comes last.
        .order_by("-campaign__confirmation_deadline", "-campaign_id")
        .annotate(
            info=JSONObject(
                case="case",
                confirmation="confirmation",
                campaign="campaign__name",
                confirmation_deadline="campaign__confirmation_deadline",
            )
        )
        .values("info")[:1]
    )
    return (
        LoginRight.objects.filter(username=username)
        .annotate(entry=Subquery(entry, output_field=JSONField()))
        .order_by()
        .values_list("state", "rule", "entry")[:1]
    )


_ELIGIBILITY = CompiledQuery(_eligibility_queryset)
_FEED_CLIENT = CompiledQuery(
    lambda digest: (
        FeedClient.objects.filter(token_sha256=digest, is_active=True)
        .order_by()
        .values_list("pk", "name")[:1]
    )
)


def feed_client_by_token_digest(digest: str) -> FeedClient | None:
    """The active feed client whose token has this SHA-256 (one indexed lookup)."""
    row = _FEED_CLIENT.first(digest)
    return FeedClient(pk=row[0], name=row[1]) if row else None


def _open_campaign_entry(entry) -> dict | None:
    if entry is None:
        return None
    if isinstance(entry, str | bytes):  # the backends hand JSON over as text
        entry = json.loads(entry)
    return {
        "campaign": entry["campaign"],
        "confirmation_deadline": entry["confirmation_deadline"],
        "case": entry["case"],
        "confirmation": entry["confirmation"],
    }


def login_right_eligibility(*, username: str) -> dict:
    """Whether the business-system account may log in, why (the rule), its right's state and
    its case in the open check campaign (A-03), read in one indexed statement.

    The answer is the right's state, nothing computed beside it: the feed carries the same
    states, so the business system's own copy and this answer never disagree. An account the
    portal does not know may not log in (it holds no right: A-02)."""
    row = _ELIGIBILITY.first(username)
    if row is None:
        return {
            "username": username,
            "known": False,
            "may_log_in": False,
            "state": None,
            "rule": "A-02",
            "reason": _(
                "The portal knows no business-system account of this name, so it holds no "
                "login right. A person with an active liaison qualification applies for one "
                "(A-02)."
            ),
            "campaign": None,
        }
    state, recorded_rule, entry = row
    if state == LoginRightState.ACTIVE:
        rule = "A-01"
        reason = _(
            "The login right is active: its holder holds an active liaison qualification or "
            "is within the check campaign's time to be hired (A-01, A-03)."
        )
    elif state == LoginRightState.SUSPENDED:
        rule = recorded_rule or "A-01"
        reason = _(
            "The login right is suspended (%(rule)s): it followed its holder's qualification "
            "and does not come back by itself (A-01)."
        ) % {"rule": rule}
    else:
        rule = recorded_rule or "A-06"
        reason = _(
            "The login right was revoked (%(rule)s). It stays on record and can be granted "
            "again only through a new request (A-06, A-02)."
        ) % {"rule": rule}
    return {
        "username": username,
        "known": True,
        "may_log_in": state == LoginRightState.ACTIVE,
        "state": state,
        "rule": rule,
        "reason": reason,
        "campaign": _open_campaign_entry(entry),
    }


# --- the changes since a cursor ---------------------------------------------------------------


def feed_bounds(*, since: int) -> tuple[int, int]:
    """(horizon, end): the highest id up to which every change is committed and none can
    still appear, and the highest id the feed holds (0 when empty).

    While a writer is in flight the horizon stays at ``since``: nothing new is served until
    the next read finds no writer (a batch of the deadline job lasts a moment; the whole
    run's revocations follow as soon as it has finished)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Not waiting: a reader queued for the lock would hold up every new writer.
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FEED_WRITERS_LOCK])
                in_flight = not cursor.fetchone()[0]
        else:
            in_flight = False
        end = RightChange.objects.aggregate(end=Max("id"))["end"] or 0
    # The lock is released here, and writers go on.
    return (min(since, end) if in_flight else end), end


def right_changes_since(*, since: int, limit: int, horizon: int) -> tuple[list[dict], bool]:
    """Up to ``limit`` changes with ``since < id <= horizon`` in id order, and whether more
    follow up to the horizon."""
    rows = list(
        RightChange.objects.filter(id__gt=since, id__lte=horizon)
        .order_by("id")
        .values("id", "right__username", "state", "rule", "at")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


# --- what the business system has received ----------------------------------------------------


def feed_received_up_to() -> int | None:
    """The highest change id every active feed client has acknowledged (the lowest of their
    ``read_up_to``); None when no client is active, so nothing is received."""
    return FeedClient.objects.filter(is_active=True).aggregate(up_to=Min("read_up_to"))["up_to"]


def right_change_received(change: RightChange, *, received_up_to: int | None = None) -> bool:
    """Whether the business system has received ``change`` (pass ``received_up_to`` from
    :func:`feed_received_up_to` when asking about many)."""
    if received_up_to is None:
        received_up_to = feed_received_up_to()
    return received_up_to is not None and change.pk <= received_up_to


def _received(field: str, received_up_to: int | None) -> ExpressionWrapper:
    if received_up_to is None:
        return ExpressionWrapper(Value(False), output_field=BooleanField())
    # A right that never changed has nothing received: false, not NULL.
    received = Q(**{f"{field}__isnull": False}) & Q(**{f"{field}__lte": received_up_to})
    return ExpressionWrapper(received, output_field=BooleanField())


def right_changes_with_receipt(changes: QuerySet) -> QuerySet:
    """``changes`` (a RightChange queryset, already scoped) with ``received``."""
    return changes.annotate(received=_received("id", feed_received_up_to()))


def rights_with_receipt(rights: QuerySet) -> QuerySet:
    """``rights`` (a LoginRight queryset, already scoped to the viewer) with
    ``last_change_id`` (None for a right that never changed) and ``change_received``: whether
    the business system has received its latest change (a revocation shows it as
    "received"/"not yet")."""
    last = RightChange.objects.filter(right=OuterRef("pk")).order_by("-id").values("id")[:1]
    return rights.annotate(last_change_id=Subquery(last)).annotate(
        change_received=_received("last_change_id", feed_received_up_to())
    )


def unreceived_withdrawals(*, before, received_up_to: int | None) -> QuerySet:
    """Changes that took a right away before ``before`` and that the business system has not
    received, and that nobody was told of yet."""
    changes = RightChange.objects.filter(
        state__in=WITHDRAWN, at__lt=before, unreceived_flagged_at__isnull=True
    )
    if received_up_to is not None:
        changes = changes.filter(id__gt=received_up_to)
    return changes
