"""The campaign's screens: the dashboard per role, the lab's confirmation page (keyboard, bulk,
select all), an entry's page, filters and downloads; never another lab's people, never a 5xx
(A-03, A-04)."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from access_audit.constants import Case, Confirmation
from access_audit.models import CampaignEntry
from access_audit.services import campaign_cases, campaign_confirmation
from access_audit.services import campaigns as services
from access_audit.tests.campaign_helpers import account, hired, new_campaign
from directory.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    """Lab A: person A (hired, with an account), two more liaisons and an account named like a
    formula; lab B: person B (hired, with an account). Open."""
    account(hired(world.lab_a, person=world.person_a).person, lab=world.lab_a)
    for _ in range(2):
        account(hired(world.lab_a).person, lab=world.lab_a)
    account(None, lab=world.lab_a, name="=HYPERLINK(1)", username="formula")
    account(hired(world.lab_b, person=world.person_b).person, lab=world.lab_b)
    campaign = new_campaign(world)
    services.campaign_open(campaign=campaign, actor=world.training_admin)
    campaign.refresh_from_db()
    return campaign


def _url(name, campaign, **query):
    url = reverse(f"access_audit:{name}", args=[campaign.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _entries(campaign, lab):
    return list(CampaignEntry.objects.filter(campaign=campaign, lab=lab).order_by("pk"))


def _csv(response) -> str:
    """A streamed CSV download's text."""
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


# --- the dashboard -------------------------------------------------------------------------


def test_the_training_centre_sees_the_whole_campaign(client, world, campaign):
    # rule A-03: counts per case, progress per branch and per lab, time left, the chart
    client.force_login(world.training_admin)
    response = client.get(_url("campaign_detail", campaign))
    assert response.status_code == 200
    html = response.content.decode()
    counts = dict(response.context["cases"])
    assert counts[Case(Case.KEEPS_WORKING)] == 4 and counts[Case(Case.MUST_BE_HIRED)] == 1
    assert "北方分中心" in html and "南方分中心" in html
    assert 'data-testid="progress-chart"' in html and "<svg" in html
    assert "<script" not in html
    assert response.context["confirmation_left"].days == 40


def test_a_lab_sees_only_its_own_part_of_the_campaign(client, world, campaign):
    # rule A-04: lab A's counts; no branch table; no lab B
    client.force_login(world.lab_a_staff)
    response = client.get(_url("campaign_detail", campaign))
    html = response.content.decode()
    assert sum(dict(response.context["cases"]).values()) == 4
    assert "实验室B" not in html and "南方分中心" not in html
    assert response.context["branches"] == []
    assert reverse("access_audit:campaign_confirm", args=[campaign.pk]) in html


def test_a_branch_sees_its_labs_progress(client, world, campaign):
    # rule A-04: branch N holds lab A only
    entries = _entries(campaign, world.lab_a)[:2]
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=world.lab_a_staff,
        seen={e.pk: "" for e in entries},
        confirmation=Confirmation.WORKS,
    )
    client.force_login(world.branch_n_reviewer)
    response = client.get(_url("campaign_detail", campaign))
    (branch,) = response.context["branches"]
    assert (branch["lab__branch__name"], branch["total"], branch["confirmed"]) == (
        "北方分中心",
        4,
        2,
    )
    assert branch["percent"] == 50
    labs = client.get(_url("campaign_labs", campaign))
    assert [row["lab__name"] for row in labs.context["labs"]] == ["实验室A"]


def test_the_chart_shows_confirmations_by_day(client, world, campaign):
    # rule A-04: built from the entries' confirmed_at
    entry = _entries(campaign, world.lab_a)[0]
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign, actor=world.lab_a_staff, seen={entry.pk: ""}, confirmation="works"
    )
    client.force_login(world.training_admin)
    chart = client.get(_url("campaign_detail", campaign)).context["chart"]
    assert chart.rows[-1][1:] == (1, 20)
    assert "<polyline" in chart.svg


# --- the lab's confirmation page -------------------------------------------------------------


def test_the_confirmation_page_is_a_labelled_form_of_the_labs_people(client, world, campaign):
    # rule A-04: a checkbox per person, each with its label; select all; no lab B
    client.force_login(world.lab_a_staff)
    response = client.get(_url("campaign_confirm", campaign))
    html = response.content.decode()
    boxes = re.findall(
        r'<input type="checkbox" name="entries" value="(\d+):" id="(entry-\d+)"', html
    )
    assert len(boxes) == 4
    for _value, box_id in boxes:
        assert f'<label for="{box_id}">' in html
    assert "乙" not in html and world.person_a.id_number not in html
    assert 'href="#confirm-action"' in html and 'id="confirm-action"' in html
    assert 'type="radio"' in html and "<textarea" in html
    # One lab's page filters its people, not labs or branch centres.
    assert 'name="branch"' not in html and 'name="lab" value' in html
    everyone = client.get(_url("campaign_confirm", campaign, select="all")).content.decode()
    assert everyone.count(" checked>") == 4


def test_the_lab_confirms_checked_rows_in_bulk_with_a_comment(client, world, campaign):
    # rule A-04
    client.force_login(world.lab_a_staff)
    chosen = _entries(campaign, world.lab_a)[:3]
    response = client.post(
        _url("campaign_confirm", campaign),
        {
            "entries": [f"{e.pk}:" for e in chosen],
            "confirmation": "works",
            "comment": "均在岗",
        },
    )
    assert response.status_code == 302
    stored = CampaignEntry.objects.filter(pk__in=[e.pk for e in chosen])
    assert set(stored.values_list("confirmation", "comment")) == {("works", "均在岗")}
    assert CampaignEntry.objects.filter(campaign=campaign, confirmation="").count() == 2


def test_a_lab_posting_another_labs_entry_gets_404(client, world, campaign):
    # rule A-04: lab A cannot confirm lab B's people; nothing changes
    client.force_login(world.lab_a_staff)
    foreign = _entries(campaign, world.lab_b)[0]
    own = _entries(campaign, world.lab_a)[0]
    response = client.post(
        _url("campaign_confirm", campaign),
        {"entries": [f"{own.pk}:", f"{foreign.pk}:"], "confirmation": "works"},
    )
    assert response.status_code == 404
    entry_page = client.post(
        reverse("access_audit:entry_detail", args=[foreign.pk]),
        {"confirmation": "works", "seen": ""},
    )
    assert entry_page.status_code == 404
    assert not CampaignEntry.objects.exclude(confirmation="").exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"confirmation": "works"},
        {"entries": ["x"], "confirmation": "works"},
        {"entries": ["1:bogus"], "confirmation": "works"},
        {"entries": ["99999999999999999999:"], "confirmation": "works"},
        {"entries": ["1:"], "confirmation": "<script>"},
        {"entries": [f"{n}:" for n in range(600)], "confirmation": "works"},
        {"entries": ["1:"], "confirmation": "works", "comment": "长" * 1001},
        {"entries": ["1:"], "confirmation": "works", "comment": "a\x00b"},
    ],
)
def test_hostile_posts_are_refused_without_a_5xx(client, world, campaign, data):
    # rule A-04: every input checked; nothing changes
    client.force_login(world.lab_a_staff)
    response = client.post(_url("campaign_confirm", campaign), data)
    assert response.status_code in (400, 404)
    assert not CampaignEntry.objects.exclude(confirmation="").exists()


def test_a_confirmation_someone_made_a_moment_ago_is_reported(client, world, campaign):
    # rule A-04: the page showed "not confirmed"; another user confirmed since
    entry = _entries(campaign, world.lab_a)[0]
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign, actor=world.lab_a_staff, seen={entry.pk: ""}, confirmation="not_ours"
    )
    client.force_login(world.lab_a_staff)
    response = client.post(
        _url("campaign_confirm", campaign), {"entries": [f"{entry.pk}:"], "confirmation": "works"}
    )
    assert response.status_code == 400
    assert "a moment ago" in response.content.decode() or "刚刚" in response.content.decode()
    entry.refresh_from_db()
    assert entry.confirmation == "not_ours"


def test_a_branch_confirms_on_the_page_of_a_lab_without_staff_only(client, world, campaign):
    # rule A-04: the fallback, and a refusal while the lab has an active staff user
    client.force_login(world.branch_n_reviewer)
    page = client.get(_url("campaign_confirm", campaign, lab=world.lab_a.pk))
    assert page.status_code == 200 and 'data-testid="confirm-refused"' in page.content.decode()
    entry = _entries(campaign, world.lab_a)[0]
    refused = client.post(
        _url("campaign_confirm", campaign, lab=world.lab_a.pk),
        {"entries": [f"{entry.pk}:"], "confirmation": "works"},
    )
    assert refused.status_code == 403
    # Lab B is not the branch's: as missing.
    assert client.get(_url("campaign_confirm", campaign, lab=world.lab_b.pk)).status_code == 404

    world.lab_a_staff.is_active = False
    world.lab_a_staff.save()
    chooser = client.get(_url("campaign_confirm", campaign)).content.decode()
    assert "实验室A" in chooser
    done = client.post(
        _url("campaign_confirm", campaign, lab=world.lab_a.pk),
        {"entries": [f"{entry.pk}:"], "confirmation": "works"},
    )
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.confirmed_by_branch and entry.confirmed_by == world.branch_n_reviewer


def test_an_entry_is_confirmed_on_its_own_page(client, world, campaign):
    # rule A-04: one by one, with its history
    entry = _entries(campaign, world.lab_a)[0]
    client.force_login(world.lab_a_staff)
    url = reverse("access_audit:entry_detail", args=[entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"confirmation": "left_transferred", "seen": "", "comment": "调出"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.case == Case.LEFT
    page = client.get(url).content.decode()
    assert "调出" in page and 'name="confirmation"' not in page


def test_only_the_training_centre_opens_and_closes(client, world):
    # rule A-03
    campaign = new_campaign(world)
    client.force_login(world.training_admin)
    assert client.get(_url("campaign_open", campaign)).status_code == 405
    client.force_login(world.lab_a_staff)
    # A draft is not the lab's to see at all.
    assert client.post(_url("campaign_open", campaign)).status_code == 404
    client.force_login(world.training_admin)
    assert client.post(_url("campaign_open", campaign)).status_code == 302
    client.force_login(world.lab_a_staff)
    assert client.post(_url("campaign_close", campaign)).status_code == 403
    client.force_login(world.training_admin)
    client.post(_url("campaign_close", campaign))
    campaign.refresh_from_db()
    assert campaign.state == "closed"


def test_the_training_centre_creates_a_campaign(client, world):
    # rule A-03: deadlines as data
    client.force_login(world.training_admin)
    response = client.post(
        reverse("access_audit:campaign_create"),
        {
            "name": "2027年核查",
            "migration_deadline": "2027-03-31",
            "confirmation_deadline": "2027-06-30",
            "unused_after_days": "120",
            "reminder_days": "30，14, 3",
        },
    )
    assert response.status_code == 302
    from access_audit.models import AuditCampaign

    created = AuditCampaign.objects.get(name="2027年核查")
    assert created.reminder_days == [30, 14, 3] and created.unused_after_days == 120
    bad = client.post(
        reverse("access_audit:campaign_create"),
        {
            "name": "x" * 101,
            "migration_deadline": "2027-09-01",
            "confirmation_deadline": "2027-06-30",
            "unused_after_days": "0",
            "reminder_days": "a, b",
        },
    )
    assert bad.status_code == 400
    client.force_login(world.branch_n_reviewer)
    assert client.get(reverse("access_audit:campaign_create")).status_code == 403


# --- lists, filters, downloads ---------------------------------------------------------------


def test_entries_filter_by_case_and_confirmation(client, world, campaign):
    # rule A-03
    client.force_login(world.training_admin)
    three = client.get(_url("campaign_entries", campaign, case=3))
    assert [e.case for e in three.context["entries"]] == [3]
    open_ = client.get(_url("campaign_entries", campaign, confirmation="none"))
    assert len(open_.context["entries"]) == 5
    for query in (
        "case=9",
        "confirmation=x",
        "lab=abc",
        "branch=-1",
        "suggest_left=maybe",
        "page=99",
    ):
        assert client.get(_url("campaign_entries", campaign) + "?" + query).status_code in (
            200,
            404,
        )


def test_the_entries_download_masks_id_numbers_and_neutralises_formulas(client, world, campaign):
    # rule A-03, P-04, issue 9
    client.force_login(world.training_admin)
    rows = list(csv.reader(io.StringIO(_csv(client.get(_url("campaign_entries_csv", campaign))))))
    flat = "\n".join(",".join(row) for row in rows)
    assert world.person_a.id_number not in flat
    assert world.person_a.id_number[:6] in flat
    assert "'=HYPERLINK(1)" in flat
    assert len(rows) == 6
    xlsx = client.get(_url("campaign_entries_xlsx", campaign))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 6
    # A lab's download holds its own people only.
    client.force_login(world.lab_b_staff)
    lab_b = _csv(client.get(_url("campaign_entries_csv", campaign)))
    assert "乙" in lab_b and "甲" not in lab_b


def test_every_list_downloads_as_csv_and_xlsx(client, world, campaign):
    # rule A-03: the campaigns, the labs' progress, the entries
    client.force_login(world.branch_n_reviewer)
    for name in ("campaign_list_csv", "campaign_list_xlsx"):
        assert client.get(reverse(f"access_audit:{name}")).status_code == 200
    for name in ("campaign_labs_csv", "campaign_labs_xlsx", "campaign_entries_xlsx"):
        assert client.get(_url(name, campaign)).status_code == 200
    labs = _csv(client.get(_url("campaign_labs_csv", campaign)))
    assert "实验室A" in labs and "实验室B" not in labs


def test_a_large_selection_downloads_as_csv_not_xlsx(client, world, campaign, monkeypatch):
    # issue 12: XLSX is built in memory; CSV streams, in chunks read by key
    from access_audit import exports_campaigns

    monkeypatch.setattr(exports_campaigns, "XLSX_MAX_ROWS", 3)
    client.force_login(world.training_admin)
    refused = client.get(_url("campaign_entries_xlsx", campaign))
    assert refused.status_code == 400 and "CSV" in refused.content.decode()
    rows = list(exports_campaigns.entry_rows(CampaignEntry.objects.all(), chunk=2))
    assert len(rows) == 5


def test_an_id_number_searched_never_reaches_the_url(client, world, campaign):
    # rule P-04: the entries' search form posts; an ID number is kept in the session
    client.force_login(world.training_admin)
    response = client.post(_url("campaign_entries", campaign), {"q": world.person_a.id_number})
    assert response.status_code == 302
    assert world.person_a.id_number not in response["Location"]
    found = client.get(response["Location"])
    assert [e.person_id for e in found.context["entries"]] == [world.person_a.pk]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pages_read_in_chinese_and_english(client, world, campaign, language):
    # issue 12: Chinese first, English second
    client.force_login(world.lab_a_staff)
    client.cookies.load({"django_language": language})
    page = client.get(_url("campaign_confirm", campaign)).content.decode()
    expected = "确认" if language == "zh-hans" else "Confirm the chosen people"
    assert expected in page


def test_the_menu_has_the_campaign_for_labs_branches_and_cqc(client, world):
    # issue 12
    url = reverse("access_audit:campaign_list")
    for user in (world.lab_a_staff, world.branch_n_reviewer, world.training_admin):
        client.force_login(user)
        assert url in client.get(reverse("dashboard")).content.decode()
    client.force_login(world.body_x_admin)
    assert url not in client.get(reverse("dashboard")).content.decode()
    assert client.get(url).status_code == 403


def test_someone_hired_after_the_opening_shows_on_the_page(client, world, campaign):
    # rule A-03: the page reads the entries as they are now
    person = PersonFactory(lab=world.lab_a, name="新聘")
    hired(world.lab_a, person=person)
    campaign_cases.campaign_entries_refresh(person_ids=[person.pk])
    client.force_login(world.lab_a_staff)
    assert "新聘" in client.get(_url("campaign_confirm", campaign)).content.decode()
