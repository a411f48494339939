"""What the screens show (issue 10): the superuser's menu and header, the change history, the
withdrawal, the hired liaison's dashboard and the dashboard's counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cqcportal.timeline import timeline_for
from directory.constants import Role
from directory.context_processors import navigation
from directory.dashboard import cards_for
from directory.tests.factories import UserFactory
from liaisons.constants import ApplicationState
from liaisons.tests.factories import LiaisonApplicationFactory, LiaisonQualificationFactory

pytestmark = pytest.mark.django_db

ZH, EN = "zh-hans", "en"


def _page(client, url, language=ZH) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def _card(user, title):
    return next(card for card in cards_for(user) if card.title == title)


# --- the superuser ----------------------------------------------------------------------------


@pytest.fixture
def superuser(world):
    # As `createsuperuser` makes one: the model's default role, no person, no organisation.
    return UserFactory(username="root", role=Role.PERSON, is_superuser=True, is_staff=True)


def _links(user) -> list[str]:
    class Request:
        pass

    request = Request()
    request.user = user
    urls = [link["url"] for link in navigation(request)["nav_links"]]
    for card in cards_for(user):
        urls += [card.url, *(url for _label, url in card.items + card.actions if url)]
    return [url for url in dict.fromkeys(urls) if url]


def test_every_link_the_superuser_is_offered_opens(client, world, superuser):  # issue 10
    # The menu offered entry training and evaluations, which answer 403 to a superuser.
    LiaisonQualificationFactory(lab=world.lab_a, legacy=True)
    client.force_login(superuser)
    links = _links(superuser)
    assert reverse("liaisons:training_session_list") not in links
    assert reverse("liaisons:evaluation_overview") not in links
    for url in links:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("language", "label", "person_label"),
    [(ZH, "系统管理员", "认证人员"), (EN, "System administrator", "Certification person")],
)
def test_the_superuser_is_named_as_one(client, superuser, language, label, person_label):
    # issue 10: the header named it "· certification person", with an empty name.
    client.force_login(superuser)
    page = _page(client, reverse("dashboard"), language)
    whoami = re.search(r'data-testid="whoami">([^<]*)<', page).group(1)
    assert whoami == f"root · {label}"
    heading = re.search(r'<h1 class="page-title">.*?</h1>', page, re.S).group(0)
    assert label in heading
    assert person_label not in heading


def test_no_dashboard_card_of_the_superuser_is_empty(world, superuser):  # issue 10
    legacy = LiaisonQualificationFactory(lab=world.lab_a, legacy=True)
    with translation.override(EN):
        cards = cards_for(superuser)
        legacy_card = _card(superuser, "Legacy liaisons to migrate")
    for card in cards:
        assert card.items or card.note or card.empty_text, card.title
    # Nobody's qualification is the superuser's own.
    assert "My liaison qualification" not in [card.title for card in cards]
    # The legacy liaisons are listed by name, not only counted (L-13).
    assert legacy_card.items == [
        (
            f"{legacy.person.name} · {world.lab_a.name}",
            reverse("liaisons:qualification_detail", args=[legacy.pk]),
        )
    ]


# --- the change history -----------------------------------------------------------------------


def _account_of(person):
    account = UserFactory(username=person.id_number, role=Role.PERSON)
    person.user = account
    person.save()
    return account


@pytest.mark.parametrize(
    ("language", "lab_label", "account_label"),
    [(ZH, "签约检测机构", "平台账号"), (EN, "testing lab", "portal account")],
)
def test_history_names_related_records(world, language, lab_label, account_label):
    # issue 10: the history read "签约检测机构: 1 → 3" and "平台账号: — → 14". Rule P-04: an
    # account is named by its person, never by its username, which is the ID number.
    person = world.person_a
    person.lab = world.lab_b
    person.save()
    _account_of(person)
    with translation.override(language):
        changes = [change for entry in timeline_for(person) for change in entry.changes]
    assert (lab_label, "实验室A", "实验室B") in changes
    assert (account_label, "—", person.name) in changes
    assert person.id_number not in repr(changes)


def test_history_shows_no_change_without_what_changed(world):  # issue 10
    person = world.person_a
    person.save()  # the same values again
    account = _account_of(person)
    account.last_login = account.date_joined  # a sign-in: a field never shown
    account.save()
    with translation.override(EN):
        entries = timeline_for(person) + timeline_for(account)
    changed = [entry for entry in entries if entry.what == "changed"]
    assert changed  # the account given to the person
    assert all(entry.changes for entry in changed)
    # The account's own history shows its username masked (P-04).
    created = [c for e in timeline_for(account) for c in e.changes]
    assert all(person.id_number not in old + new for _label, old, new in created)


def test_history_reads_related_names_once_per_model(world):  # issue 10
    # A page of history reads each related model once, however many entries name one.
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            entries = timeline_for(qualification)
        assert any("RoHS" in old + new for e in entries for _label, old, new in e.changes)
        return len(captured)

    qualification.fields.set(["CCC", "ROHS"])
    queries()  # the content type, cached from then on
    few = queries()
    for fields in [["CCC"], ["ROHS"], ["CCC", "ROHS"]] * 2:
        qualification.fields.set(fields)
    assert queries() == few


# --- the withdrawal ---------------------------------------------------------------------------


@pytest.fixture
def draft(world):
    return LiaisonApplicationFactory(lab=world.lab_a, person=world.person_a)


def test_withdraw_is_a_separate_danger_step(client, world, draft):  # issue 10
    client.force_login(world.lab_a_staff)
    page = _page(client, reverse("liaisons:application_detail", args=[draft.pk]))
    zone = page[page.index('data-testid="danger-withdraw"') :]
    zone = zone[: zone.index("</details>")]
    # Closed until opened, outlined in the danger style, with its warning and confirmation.
    assert "<summary>撤回申请…</summary>" in zone
    assert 'class="button button--danger">撤回申请</button>' in zone
    assert "撤回的申请将永久关闭" in zone
    assert 'name="confirm"' in zone
    # The primary step stays where it was, and not inside the danger zone.
    assert 'data-testid="action-submit"' in page.split('data-testid="danger-withdraw"')[0]


@pytest.mark.parametrize(
    ("language", "refusal"),
    [(ZH, "申请未撤回：请勾选确认框"), (EN, "Nothing was withdrawn: tick the box")],
)
def test_withdraw_needs_the_confirmation(client, world, draft, language, refusal):  # issue 10
    client.force_login(world.lab_a_staff)
    url = reverse("liaisons:application_withdraw", args=[draft.pk])
    response = client.post(url, {"comment": "不再申请"}, follow=True, HTTP_ACCEPT_LANGUAGE=language)
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT
    assert refusal in response.content.decode()

    client.post(url, {"comment": "不再申请", "confirm": "on"})
    draft.refresh_from_db()
    assert draft.state == ApplicationState.WITHDRAWN


# --- the hired liaison's dashboard --------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "notice"),
    [
        (ZH, "我的认证联络员资格", "聘用通知：实验室A（PDF）"),
        (EN, "My liaison qualification", "Hire notice: 实验室A (PDF)"),
    ],
)
def test_a_hired_liaison_sees_the_qualification_and_hire_notice(
    client, world, language, title, notice
):  # issue 10
    person = world.person_a
    account = _account_of(person)
    application = LiaisonApplicationFactory(
        lab=world.lab_a, person=person, state=ApplicationState.HIRED
    )
    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=person, application=application
    )
    client.force_login(account)
    page = _page(client, reverse("dashboard"), language)
    assert title in page
    assert reverse("liaisons:qualification_detail", args=[qualification.pk]) in page
    assert reverse("liaisons:qualification_hire_notice", args=[qualification.pk]) in page
    assert notice in page


# --- counts and the rest --------------------------------------------------------------------


@pytest.mark.parametrize(("language", "more"), [(ZH, "查看全部 12 项 →"), (EN, "All 12 →")])
def test_a_card_showing_the_first_ten_links_to_the_rest(client, world, language, more):
    # issue 10: a card listed the first ten with no word of the others.
    for _n in range(12):
        LiaisonApplicationFactory(lab=world.lab_a)
    client.force_login(world.lab_a_staff)
    page = _page(client, reverse("dashboard"), language)
    link = re.search(r'<a href="([^"]*)" data-testid="card-more">([^<]*)</a>', page)
    assert link.group(2) == more
    assert link.group(1).replace("&amp;", "&") == _card_url(world.lab_a_staff)


def _card_url(user) -> str:
    return next(card.url for card in cards_for(user) if card.more)


def test_every_card_that_lists_things_counts_them(world, superuser):  # issue 10
    LiaisonQualificationFactory(lab=world.lab_a)
    users = [superuser, world.lab_a_staff, world.branch_n_reviewer, world.training_admin]
    users += [world.evaluator, world.body_x_admin, world.inspector]
    for user in users:
        for card in cards_for(user):
            if card.items:
                assert card.count is not None, card.title
    # Labs with no gap are not counted among those with one (L-06): lab A's scope is covered.
    LiaisonQualificationFactory(lab=world.lab_a, fields=["ROHS"])
    with translation.override(EN):
        gaps = _card(world.training_admin, "Labs with coverage gaps")
    assert gaps.count == 1
    assert [label.split(":")[0] for label, _url in gaps.items] == [world.lab_b.name]
