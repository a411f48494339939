"""GET /api/v1/business-system/eligibility/: whether an account may log in to the business
system and why (A-01, A-03, A-04, A-06), fast, and refusing hostile input with a 400."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from access_audit.constants import Case, Confirmation, LoginRightState
from access_audit.tests.factories import LoginRightFactory
from access_audit.tests.feed_factories import (
    AuditCampaignFactory,
    CampaignEntryFactory,
    FeedClientFactory,
)
from directory.constants import Role
from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/business-system/eligibility/"


@pytest.fixture
def api():
    client = FeedClientFactory()
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {client.token}")
    return api


def _ask(api, username):
    response = api.get(URL, {"username": username})
    assert response.status_code == 200, response.content
    return response.json()


def test_an_active_right_of_case_1_may_log_in(api):
    # rule case 1: qualified, on the roster, with a login right: keeps working
    entry = CampaignEntryFactory(right__username="cbs-keeps", case=Case.KEEPS_WORKING)
    answer = _ask(api, "cbs-keeps")
    assert answer["known"] is True and answer["may_log_in"] is True
    assert answer["state"] == "active" and answer["rule"] == "A-01"
    assert answer["campaign"] == {
        "campaign": entry.campaign.name,
        "confirmation_deadline": entry.campaign.confirmation_deadline.isoformat(),
        "case": 1,
        "confirmation": "",
    }


def test_a_right_without_a_qualification_may_log_in_until_the_deadline_as_case_3(api):
    # rule A-03 case 3, A-04: the right stands until the deadline; the answer says the case
    CampaignEntryFactory(right__username="cbs-unhired", case=Case.MUST_BE_HIRED)
    answer = _ask(api, "cbs-unhired")
    assert answer["may_log_in"] is True
    assert answer["campaign"]["case"] == 3


def test_a_right_suspended_with_the_qualification_may_not_log_in(api):
    # rule A-01: the right followed the qualification's suspension
    LoginRightFactory(
        username="cbs-suspended",
        state=LoginRightState.SUSPENDED,
        suspended_at=timezone.now(),
        rule="A-01",
    )
    answer = _ask(api, "cbs-suspended")
    assert answer["may_log_in"] is False
    assert answer["state"] == "suspended" and answer["rule"] == "A-01"
    assert "A-01" in answer["reason"]


def test_a_person_confirmed_as_left_is_case_4_and_may_not_log_in(api):
    # rule A-03 case 4: the lab confirmed the person left; the right is suspended
    right = LoginRightFactory(username="cbs-left", state=LoginRightState.SUSPENDED, rule="L-12")
    CampaignEntryFactory(right=right, case=Case.LEFT, confirmation=Confirmation.LEFT_RETIRED)
    answer = _ask(api, "cbs-left")
    assert answer["may_log_in"] is False and answer["rule"] == "L-12"
    assert answer["campaign"]["case"] == 4
    assert answer["campaign"]["confirmation"] == "left_retired"


def test_a_right_revoked_at_the_deadline_names_a_04_and_may_not_log_in(api):
    # rule A-04: revoked at the confirmation deadline; the entry of an enforced campaign is
    # no longer an open one
    campaign = AuditCampaignFactory(enforced=True)
    right = LoginRightFactory(
        username="cbs-unconfirmed", revoked_by_rule=True, rule="A-04", campaign=campaign
    )
    CampaignEntryFactory(right=right, campaign=campaign, case=Case.MUST_BE_HIRED)
    answer = _ask(api, "cbs-unconfirmed")
    assert answer["may_log_in"] is False
    assert answer["state"] == "revoked" and answer["rule"] == "A-04"
    assert answer["campaign"] is None


def test_a_right_revoked_by_hand_is_on_record_under_a_06(api):
    # rule A-06: revoked, kept, granted again only through a request
    LoginRightFactory(username="cbs-revoked", revoked=True, rule="")
    answer = _ask(api, "cbs-revoked")
    assert answer["may_log_in"] is False and answer["rule"] == "A-06"
    assert "A-02" in answer["reason"]


def test_a_right_granted_again_may_log_in(api):
    # rule A-06: a revoked right granted again through A-02 is active again
    right = LoginRightFactory(username="cbs-again", revoked=True)
    right.grant_again(at=timezone.now(), by=UserFactory(role=Role.GENERAL_BUSINESS_OFFICER))
    right.save()
    answer = _ask(api, "cbs-again")
    assert answer["may_log_in"] is True and answer["rule"] == "A-01"


def test_an_unknown_account_answers_200_and_may_not_log_in(api):
    # rule cases 2 and 5: a person without a right has no account to answer for
    answer = _ask(api, "nobody-known")
    assert answer == {
        "username": "nobody-known",
        "known": False,
        "may_log_in": False,
        "state": None,
        "rule": "A-02",
        "reason": answer["reason"],
        "campaign": None,
    }
    assert "A-02" in answer["reason"]


def test_the_latest_open_campaign_answers_when_two_are_open(api):
    # rule A-03: one entry per campaign; the answer names the open one ending last
    right = LoginRightFactory(username="cbs-two")
    CampaignEntryFactory(right=right, case=Case.MUST_BE_HIRED)
    later = AuditCampaignFactory(
        opened=True,
        confirmation_deadline=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    CampaignEntryFactory(right=right, campaign=later, case=Case.KEEPS_WORKING)
    assert _ask(api, "cbs-two")["campaign"]["campaign"] == later.name


def test_the_answer_takes_two_indexed_queries_and_reads_no_session(api):
    # The token's client and the account with its entry: nothing else, not even with a
    # session cookie of a user the second-factor middleware would otherwise look at.
    CampaignEntryFactory(right__username="cbs-fast")
    _ask(api, "cbs-fast")  # connection-level feature probes happen once
    with CaptureQueriesContext(connection) as queries:
        _ask(api, "cbs-fast")
    assert len(queries) == 2, [q["sql"] for q in queries]
    api.force_login(UserFactory(is_staff=True, is_superuser=True))
    with CaptureQueriesContext(connection) as queries:
        answer = _ask(api, "cbs-fast")
    assert answer["may_log_in"] is True
    assert len(queries) == 2, [q["sql"] for q in queries]
    assert not any("django_session" in q["sql"] for q in queries)


def test_the_reason_is_in_the_language_asked_for(api):
    # rule A-06: the reason a revoked right gives, in Chinese by default
    LoginRightFactory(username="cbs-zh", revoked=True, rule="")
    answer = api.get(URL, {"username": "cbs-zh"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert "已撤销" in answer["reason"] and "A-06" in answer["reason"]


def test_the_answer_is_json_whatever_is_asked_for(api):
    response = api.get(URL, {"username": "x"}, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


# --- hostile input: a 400 in the project's error format, never a 5xx ---------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "username"),
        ({"username": ""}, "username"),
        ({"username": "x" * 10_000}, "username"),
        ({"username": "110105199001010021"}, "username"),  # an ID number, never in a URL (P-04)
    ],
)
def test_bad_usernames_answer_400_naming_the_field(api, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert all(isinstance(m, str) for m in response.json()[field])


def test_a_nul_in_the_username_answers_a_json_400(api):
    response = api.get(URL + "?username=cbs%00x")
    assert response.status_code == 400 and "detail" in response.json()


@pytest.mark.parametrize(
    "username", ["张三", "cbs\u202eexe", "🙂" * 64, " cbs0001 ", "a'; DROP TABLE x;--", "%", "_"]
)
def test_unicode_and_odd_usernames_are_only_unknown(api, username):
    LoginRightFactory(username="cbs0001")
    answer = _ask(api, username)
    assert answer["known"] is False and answer["username"] == username


def test_a_username_that_is_an_id_number_is_asked_for_in_the_body(api):
    # rule P-04: the body, not the URL; the answer is the same
    LoginRightFactory(username="110105199001010021")
    response = api.post(URL, {"username": "110105199001010021"}, format="json")
    assert response.status_code == 200
    assert response.json()["may_log_in"] is True
    assert api.post(URL, {"username": "x" * 65}, format="json").status_code == 400
    assert api.post(URL, "[[[", content_type="application/json").status_code == 400
    for body in (["110105199001010021"], {"username": None}, {}):
        assert api.post(URL, body, format="json").status_code == 400, body
    lone_surrogate = '{"username": "x\\ud800"}'
    assert api.post(URL, lone_surrogate, content_type="application/json").status_code == 400
