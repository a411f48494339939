"""A lab's coverage (L-06) has one answer, whoever asks and wherever (issue 10): the dashboard
cards, the lab page, the lab list, the API and the gap e-mail all read the live computation
from the qualifications and the scope; the gap rows only record when a gap was announced."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from directory.constants import CertificationFieldCode as F
from directory.constants import Role
from directory.dashboard import cards_for
from directory.tests.factories import TestingLabFactory, UserFactory
from liaisons.models import CoverageGap
from liaisons.services.coverage import coverage_refresh
from liaisons.tasks import send_coverage_gap_notice
from liaisons.tests.factories import LiaisonQualificationFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def labs(world):
    """Branch N's labs, each with its coverage today (lab id → uncovered codes)."""
    # A gap, announced: one field of two covered, an open gap row.
    gap = TestingLabFactory(
        name="缺口实验室", branch=world.branch_n, business_scope=[F.CCC, F.ROHS]
    )
    LiaisonQualificationFactory(lab=gap, fields=["CCC"])
    coverage_refresh(lab=gap)
    # A gap that closed: its rows are history only.
    closed = TestingLabFactory(name="已补实验室", branch=world.branch_n, business_scope=[F.CCC])
    coverage_refresh(lab=closed)
    LiaisonQualificationFactory(lab=closed, fields=["CCC"])
    coverage_refresh(lab=closed)
    # Covered from the start, never a gap row (the demo's 北京电器安全检测实验室).
    fresh = TestingLabFactory(
        name="新实验室", branch=world.branch_n, business_scope=[F.CCC, F.ROHS]
    )
    LiaisonQualificationFactory(lab=fresh, fields=["CCC", "ROHS"])
    # Lab A: no liaison and no gap row either; uncovered all the same.
    assert CoverageGap.objects.filter(lab=gap, closed_at=None).count() == 1
    assert CoverageGap.objects.filter(lab=closed).exists()
    assert not CoverageGap.objects.filter(lab=closed, closed_at=None).exists()
    assert not CoverageGap.objects.filter(lab__in=[fresh, world.lab_a]).exists()
    return {fresh.pk: [], closed.pk: [], world.lab_a.pk: ["CCC", "ROHS"], gap.pk: ["ROHS"]}


def _viewer(world, who, lab_id):
    if who == "branch":
        return world.branch_n_reviewer
    if who == "training":
        return world.training_admin
    return UserFactory(username=f"staff{lab_id}", role=Role.LAB_STAFF, lab_id=lab_id)


def _label(code):
    return str(F(code).label)


def _card(user, title):
    return next(card for card in cards_for(user) if card.title == title)


def _dashboard_gaps(user, lab_ids):
    """Lab id → the fields the viewer's dashboard card names for that lab."""
    if user.role == Role.LAB_STAFF:
        card = _card(user, "Coverage of your lab")
        fields = [
            re.fullmatch(r"Gap: (.+) has no active liaison officer", label)[1]
            for label, _ in card.items
        ]
        assert card.count == len(fields)
        return {user.lab_id: fields}
    card = _card(user, "Labs with coverage gaps")
    listed = {}
    for label, url in card.items:
        lab_id = int(re.search(r"/labs/(\d+)/", url)[1])
        name, fields = label.split(": ")
        listed[lab_id] = fields.split(", ")
    assert card.count == (len(listed) or None)  # fewer than ten: every lab is listed
    return {lab_id: listed.get(lab_id, []) for lab_id in lab_ids}


def _page_gaps(client, lab_id):
    html = client.get(reverse("directory:lab_detail", args=[lab_id]), **EN).content.decode()
    fields = re.findall(r'<tr class="coverage__row--gap">\s*<th scope="row">([^<]+)</th>', html)
    assert ('data-testid="coverage-gaps"' in html) == bool(fields)
    assert ("Every field of the business scope is covered." in html) == (not fields)
    return fields


def _list_gaps(client):
    html = client.get(reverse("directory:lab_list"), **EN).content.decode()
    rows = re.findall(r'<tr><td><a href="/directory/labs/(\d+)/">(.*?)</tr>', html, re.S)
    return {
        int(lab_id): re.findall(r'data-testid="coverage-gap"[^>]*>([^<]+) · gap</span>', row)
        for lab_id, row in rows
    }


def _api_gaps(user, lab_id):
    api = APIClient()
    api.force_authenticate(user)
    return api.get(f"/api/liaisons/labs/{lab_id}/coverage/", **EN).json()["gaps"]


@pytest.mark.parametrize("who", ["branch", "training", "lab"])
def test_card_page_list_and_api_agree_on_gaps_whatever_the_gap_rows(client, world, labs, who):
    # rule L-06, issue 10: a lab with a gap, one whose gap closed, one that never had a gap
    # row, and one uncovered without a row, seen by the branch centre, the training centre and
    # each lab's own staff, are shown alike by every screen, and as the qualifications say.
    for lab_id, codes in labs.items():
        user = _viewer(world, who, lab_id)
        client.force_login(user)
        with translation.override("en"):
            expected = [_label(code) for code in codes]
            assert _dashboard_gaps(user, labs)[lab_id] == expected
            assert _page_gaps(client, lab_id) == expected
            assert _list_gaps(client)[lab_id] == expected
            assert _api_gaps(user, lab_id) == codes


def test_training_centre_card_counts_only_labs_with_a_gap_now(world, labs):
    # rule L-06, issue 10: lab B (branch S) is uncovered too; the closed and the fresh lab
    # are not counted, and no lab is listed with an empty list of fields.
    with translation.override("en"):
        card = _card(world.training_admin, "Labs with coverage gaps")
    assert card.count == 3
    assert sorted(label for label, _ in card.items) == [
        "实验室A: CCC, RoHS",
        "实验室B: CCC, CB",
        "缺口实验室: RoHS",
    ]


def test_a_gap_closed_without_a_refresh_leaves_every_screen_and_the_mail_at_once(
    client, world, labs, django_capture_on_commit_callbacks
):
    # rule L-06, issue 10: the gap row of 缺口实验室 is still open when a liaison comes to cover
    # the field; no screen lists the lab any more and the pending e-mail is not sent.
    (gap_lab,) = [lab_id for lab_id, codes in labs.items() if codes == ["ROHS"]]
    LiaisonQualificationFactory(lab_id=gap_lab, fields=["ROHS"])
    assert CoverageGap.objects.filter(lab_id=gap_lab, closed_at=None).exists()
    client.force_login(world.branch_n_reviewer)
    with translation.override("en"):
        assert _dashboard_gaps(world.branch_n_reviewer, labs)[gap_lab] == []
        assert _page_gaps(client, gap_lab) == []
        assert _list_gaps(client)[gap_lab] == []
    assert _api_gaps(world.branch_n_reviewer, gap_lab) == []
    mail.outbox.clear()
    assert send_coverage_gap_notice(gap_lab, ["ROHS"]) == 0
    assert mail.outbox == []


def test_the_gap_mail_names_what_the_lab_page_shows(world, labs):
    # rule L-06, issue 10: lab A's gaps have no row; a notice for them names exactly the
    # fields its page calls gaps, and nothing for a field covered meanwhile.
    LiaisonQualificationFactory(lab=world.lab_a, fields=["CCC"])
    mail.outbox.clear()
    assert send_coverage_gap_notice(world.lab_a.pk, ["CCC", "ROHS"]) > 0
    (message,) = mail.outbox
    assert "RoHS" in message.body and "CCC" not in message.body
