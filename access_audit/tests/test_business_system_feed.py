"""GET /api/v1/business-system/changes/: the feed of right changes with its cursor, how far the
business system has read it, whether each withdrawal has reached it, and the warning when one
has not within a day (A-01, A-04, A-06)."""

import datetime

import psycopg
import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from access_audit.constants import LoginRightState
from access_audit.feed import right_changes_record
from access_audit.feed_clients import unreceived_withdrawals_flag
from access_audit.models import FeedClient, LoginRight, RightChange
from access_audit.selectors import feed as feed_selectors
from access_audit.selectors.feed import (
    feed_received_up_to,
    right_change_received,
    right_changes_with_receipt,
    rights_with_receipt,
)
from access_audit.tasks.feed import flag_unreceived_right_changes
from access_audit.tests.factories import LoginRightFactory
from access_audit.tests.feed_factories import FeedClientFactory, RightChangeFactory
from directory.constants import Role
from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/business-system/changes/"


def _api(client):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {client.token}")
    return api


def _page(api, since, **params):
    response = api.get(URL, {"since": since, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _revoke(right, *, rule="A-04", at=None):
    """What the enforcement job does to one right: the transition and its feed row (A-04)."""
    at = at or timezone.now()
    right.revoke(at=at, reason="未确认", rule=rule)
    right.save()
    return right_changes_record([right], at=at, rule=rule)[0]


# --- paging and the cursor ---------------------------------------------------------------------


def test_the_feed_pages_in_id_order_and_the_cursor_continues_without_gaps():
    # rule A-04: every revocation reaches the business system, once, in order
    client = FeedClientFactory()
    api = _api(client)
    rights = [LoginRightFactory(username=f"cbs{i}") for i in range(7)]
    changes = [_revoke(right) for right in rights]
    first = _page(api, 0, limit=3)
    assert [c["id"] for c in first["changes"]] == [c.pk for c in changes[:3]]
    assert first["more"] is True and first["next"] == changes[2].pk
    second = _page(api, first["next"], limit=3)
    third = _page(api, second["next"], limit=3)
    assert [c["username"] for c in second["changes"] + third["changes"]] == [
        f"cbs{i}" for i in range(3, 7)
    ]
    assert third["more"] is False
    last = _page(api, third["next"], limit=3)
    assert last == {"changes": [], "next": third["next"], "more": False}
    row = first["changes"][0]
    assert row["state"] == "revoked" and row["rule"] == "A-04" and row["may_log_in"] is False
    assert datetime.datetime.fromisoformat(row["at"]) == changes[0].at


def test_a_right_granted_again_shows_both_changes(api_client=None):
    # rule A-06: revoked, then granted again through a request: the feed keeps both
    client = FeedClientFactory()
    right = LoginRightFactory(username="cbs-again")
    _revoke(right, rule="A-01")
    right.grant_again(at=timezone.now(), by=UserFactory(role=Role.GENERAL_BUSINESS_OFFICER))
    right.save()
    right_changes_record([right], at=timezone.now())
    states = [(c["state"], c["may_log_in"]) for c in _page(_api(client), 0)["changes"]]
    assert states == [("revoked", False), ("active", True)]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"since": "x"},
        {"since": "1.5"},
        {"since": "-1"},
        {"since": str(2**63)},
        {"since": "9" * 400},
        {"since": "１"},  # a full-width digit
        {"since": "0", "limit": "0"},
        {"since": "0", "limit": "1001"},
        {"since": "0", "limit": "many"},
    ],
)
def test_a_bad_cursor_or_limit_answers_400_naming_it(query):
    api = _api(FeedClientFactory())
    response = api.get(URL, query)
    assert response.status_code == 400
    body = response.json()
    assert set(body) <= {"since", "limit"} and body
    assert all(isinstance(message, str) for messages in body.values() for message in messages)


def test_a_cursor_beyond_the_end_of_the_feed_answers_400_and_acknowledges_nothing():
    client = FeedClientFactory()
    change = _revoke(LoginRightFactory())
    response = _api(client).get(URL, {"since": change.pk + 1})
    assert response.status_code == 400 and "since" in response.json()
    client.refresh_from_db()
    assert client.read_up_to == 0 and client.last_read_at is None


def test_a_nul_in_the_cursor_answers_a_json_400():
    response = _api(FeedClientFactory()).get(URL + "?since=1%00")
    assert response.status_code == 400 and "detail" in response.json()


# --- how far the business system has read ------------------------------------------------------


def test_asking_since_x_records_that_everything_up_to_x_was_received():
    # read_up_to: asking with since=X proves the client holds every change up to X
    client, other = FeedClientFactory(), FeedClientFactory()
    changes = [_revoke(LoginRightFactory()) for _ in range(4)]
    api = _api(client)
    _page(api, 0, limit=2)
    client.refresh_from_db()
    assert client.read_up_to == 0 and client.last_read_at is not None
    _page(api, changes[1].pk)
    client.refresh_from_db()
    assert client.read_up_to == changes[1].pk
    first_read_at = client.last_read_at
    _page(api, 0)  # starting over (a rebuilt copy) moves nothing back
    client.refresh_from_db()
    assert client.read_up_to == changes[1].pk and client.last_read_at >= first_read_at
    other.refresh_from_db()
    assert other.read_up_to == 0 and other.last_read_at is None


def test_each_change_shows_whether_the_business_system_has_received_it():
    # rule A-04: a revocation at or below every active client's read_up_to was received
    first, second = _revoke(LoginRightFactory()), _revoke(LoginRightFactory())
    assert feed_received_up_to() is None
    assert not right_change_received(first)  # no client: nothing reaches the business system
    reader, slow = FeedClientFactory(read_up_to=second.pk), FeedClientFactory(read_up_to=first.pk)
    assert right_change_received(first) and not right_change_received(second)
    FeedClient.objects.filter(pk=slow.pk).update(is_active=False)  # a retired reader
    assert right_change_received(second)
    received = dict(
        right_changes_with_receipt(RightChange.objects.all()).values_list("id", "received")
    )
    assert received == {first.pk: True, second.pk: True}
    FeedClient.objects.filter(pk=reader.pk).update(read_up_to=first.pk)
    rights = {r.pk: r.change_received for r in rights_with_receipt(LoginRight.objects.all())}
    assert rights == {first.right_id: True, second.right_id: False}


def test_a_right_that_never_changed_has_nothing_to_receive():
    FeedClientFactory(read_up_to=10)
    right = LoginRightFactory()
    annotated = rights_with_receipt(LoginRight.objects.filter(pk=right.pk)).get()
    assert annotated.last_change_id is None and annotated.change_received is False


# --- a revocation not received within a day ----------------------------------------------------


@pytest.fixture
def officers():
    return [
        UserFactory(username="gb1", role=Role.GENERAL_BUSINESS_OFFICER, email="gb1@cqc.cn"),
        UserFactory(
            username="gb2", role=Role.GENERAL_BUSINESS_OFFICER, email="gb2@cqc.cn", language="en"
        ),
    ]


def _day_old():
    return timezone.now() - datetime.timedelta(days=1, minutes=1)


def _flagged() -> set[int]:
    return set(RightChange.objects.exclude(unreceived_flagged_at=None).values_list("id", flat=True))


def test_a_revocation_not_received_within_a_day_is_flagged_once(officers):
    # rule A-04: the business system keeps letting in whoever its copy says; the general
    # business dept must hear that a revocation has not reached it, once
    UserFactory(username="lab", lab_staff=True, email="lab@lab.cn")
    client = FeedClientFactory()
    received = _revoke(LoginRightFactory(username="cbs-read"), at=_day_old())
    late = _revoke(LoginRightFactory(username="cbs-late"), rule="A-01", at=_day_old())
    fresh = _revoke(LoginRightFactory(username="cbs-fresh"))
    granted = RightChangeFactory(at=_day_old())  # a grant takes nothing away
    FeedClient.objects.filter(pk=client.pk).update(read_up_to=received.pk)

    assert flag_unreceived_right_changes.delay().get() == 1
    assert _flagged() == {late.pk}
    assert {fresh.pk, received.pk, granted.pk}.isdisjoint(_flagged())
    assert len(mail.outbox) == 2  # one message per language
    assert sorted(a for m in mail.outbox for a in m.to) == ["gb1@cqc.cn", "gb2@cqc.cn"]
    english = next(m for m in mail.outbox if m.to == ["gb2@cqc.cn"])
    assert "cbs-late" in english.body and "cbs-read" not in english.body
    assert "Revoked" in english.body and "(A-01)" in english.body
    assert client.name in english.body
    chinese = next(m for m in mail.outbox if m.to == ["gb1@cqc.cn"])
    assert (
        "一天内仍未" in chinese.body and "已撤销" in chinese.body and "业务系统" in chinese.subject
    )

    assert flag_unreceived_right_changes.delay().get() == 0  # never twice
    assert len(mail.outbox) == 2


def test_a_suspension_counts_and_with_no_reader_nothing_is_received(officers):
    # rule A-01: a suspension takes the right away as well; with no active client at all,
    # the business system has received nothing
    right = LoginRightFactory(username="cbs-suspended")
    right.suspend(at=_day_old(), rule="A-01", reason="资格暂停")
    right.save()
    change = right_changes_record([right], at=_day_old(), rule="A-01")[0]
    FeedClientFactory(deactivated=True, read_up_to=change.pk)
    assert unreceived_withdrawals_flag() == 1
    assert "Suspended" in next(m for m in mail.outbox if m.to == ["gb2@cqc.cn"]).body


def test_a_day_is_counted_from_the_change(officers):
    FeedClientFactory()
    at = timezone.now() - datetime.timedelta(hours=23, minutes=59)
    _revoke(LoginRightFactory(), at=at)
    assert unreceived_withdrawals_flag() == 0
    assert unreceived_withdrawals_flag(now=at + datetime.timedelta(days=1, seconds=1)) == 1


def test_a_failed_e_mail_flags_nothing_and_the_next_run_tells(officers, monkeypatch):
    from access_audit import feed_clients

    change = _revoke(LoginRightFactory(), at=_day_old())

    def down(**kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(feed_clients, "send_in_their_language", down)
    with pytest.raises(ConnectionError):
        unreceived_withdrawals_flag()
    assert _flagged() == set()
    monkeypatch.undo()
    assert unreceived_withdrawals_flag() == 1
    assert _flagged() == {change.pk}


def test_the_warning_masks_id_numbers_and_counts_what_it_does_not_list(officers):
    # rule P-04: a username that is an ID number is masked in the e-mail
    at = _day_old()
    _revoke(LoginRightFactory(username="110105199001010021"), at=at)
    rights = LoginRight.objects.bulk_create(
        LoginRight(username=f"bulk{i:03d}", state=LoginRightState.REVOKED, rule="A-04")
        for i in range(60)
    )
    right_changes_record(rights, at=at, rule="A-04")
    assert unreceived_withdrawals_flag() == 61
    body = next(m for m in mail.outbox if m.to == ["gb2@cqc.cn"]).body
    assert "110105199001010021" not in body and "110105********0021" in body
    assert "and 11 more" in body


# --- ids committed out of order (PostgreSQL) ----------------------------------------------------


def _second_connection() -> psycopg.Connection:
    """A connection of its own, as another worker's would be (its transaction stays open)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**{k: v for k, v in params.items() if v not in (None, "")})


def test_the_trigger_takes_the_lock_the_reader_takes():
    from importlib import import_module

    migration = import_module("access_audit.migrations.0005_rightchange_unreceived_flag")
    assert migration.FEED_WRITERS_LOCK == feed_selectors.FEED_WRITERS_LOCK


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_that_commits_after_a_later_one_is_not_skipped():
    # rule A-04: a revocation whose transaction began first but commits last (a lower id
    # committed after a higher one was readable) still reaches the business system
    client = FeedClientFactory()
    api = _api(client)
    slow_right, fast_right = LoginRightFactory(), LoginRightFactory()
    with _second_connection() as other:
        slow_id = other.execute(
            "INSERT INTO access_audit_rightchange (right_id, state, rule, at) "
            "VALUES (%s, 'revoked', 'A-04', now()) RETURNING id",
            [slow_right.pk],
        ).fetchone()[0]
        fast = _revoke(fast_right)  # commits at once, with a higher id
        assert fast.pk > slow_id
        held_back = _page(api, 0)
        assert held_back == {"changes": [], "next": 0, "more": False}
        other.commit()
    caught_up = _page(api, 0)
    assert [c["id"] for c in caught_up["changes"]] == [slow_id, fast.pk]
    client.refresh_from_db()
    assert client.read_up_to == 0


def _sequence_state():
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM access_audit_rightchange_id_seq")
        return cursor.fetchone()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_writer_takes_the_lock_before_it_draws_an_id():
    """What makes the horizon safe: an insert into the feed holds the writers' lock from
    before its ids are drawn until it commits, whatever SQL writes it (the trigger)."""
    import threading

    right = LoginRightFactory()
    before = _sequence_state()
    with _second_connection() as reader, _second_connection() as writer:
        reader.execute("SELECT pg_advisory_xact_lock(%s)", [feed_selectors.FEED_WRITERS_LOCK])
        inserted = []
        thread = threading.Thread(
            target=lambda: inserted.append(
                writer.execute(
                    "INSERT INTO access_audit_rightchange (right_id, state, rule, at) "
                    "VALUES (%s, 'revoked', '', now()) RETURNING id",
                    [right.pk],
                ).fetchone()[0]
            )
        )
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive() and not inserted  # waiting at the trigger...
        assert _sequence_state() == before  # ...before drawing its id
        reader.rollback()
        thread.join(timeout=5)
        assert inserted and not thread.is_alive()
        writer.commit()
