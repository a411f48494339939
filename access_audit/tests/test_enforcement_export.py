"""The deadline preview's download and the runs' menu entry (A-04): everyone the preview
counts, beyond the 500 its page lists, as CSV and XLSX cut to the user's scope, no cell a live
formula (issue 9), read in a bounded number of queries; the runs in the menu of those who see
them."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access_audit.enforcement.preview import (
    PREVIEW_LIST_LIMIT,
    preview_entries,
    preview_rows,
)
from access_audit.models import CampaignEntry, LoginRight
from access_audit.services import campaigns as services
from access_audit.tests.campaign_helpers import new_campaign
from access_audit.tests.enforcement_helpers import scene
from access_audit.tests.factories import LoginRightFactory
from directory.constants import Role
from directory.tests.factories import UserFactory
from liaisons.constants import deadline_end

#: Lab A's accounts in the crowd: more than the page lists.
CROWD_A = PREVIEW_LIST_LIMIT + 5
CROWD_B = 5


def _url(name, campaign):
    return reverse(f"access_audit:{name}", args=[campaign.pk])


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def officer(role: str):
    return UserFactory(username=role[:20], role=role)


def download(client, user, campaign, fmt="csv", **extra):
    client.force_login(user)
    response = client.get(_url(f"enforcement_preview_{fmt}", campaign), **extra)
    return csv_rows(response) if fmt == "csv" else xlsx_rows(response)


@pytest.fixture
def crowd(world):
    """An open campaign where 505 accounts of lab A and 5 of lab B are unconfirmed: all of
    them would lose the right at the deadline (A-04)."""
    rights = [
        *LoginRightFactory.build_batch(
            CROWD_A, person=None, lab=world.lab_a, granted_by=None, name="甲方人员"
        ),
        *LoginRightFactory.build_batch(
            CROWD_B, person=None, lab=world.lab_b, granted_by=None, name="乙方人员"
        ),
    ]
    for index, right in enumerate(rights):
        right.username = f"crowd{index:04d}"
    LoginRight.objects.bulk_create(rights)
    campaign = new_campaign(world)
    services.campaign_open(campaign=campaign, actor=world.training_admin)
    campaign.refresh_from_db()
    assert CampaignEntry.objects.filter(campaign=campaign).count() == CROWD_A + CROWD_B
    return campaign


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a04_the_download_has_everyone_beyond_the_pages_500(client, world, crowd, fmt):
    """A-04: the page lists 500 and says so; the download has all 510, headings included."""
    client.force_login(world.training_admin)
    response = client.get(_url("enforcement_preview", crowd))
    assert len(response.context["rows"]) == PREVIEW_LIST_LIMIT
    page = response.content.decode()
    assert 'data-testid="preview-cut"' in page
    assert _url(f"enforcement_preview_{fmt}", crowd) in page
    heading, *rows = download(client, world.training_admin, crowd, fmt)
    assert heading == ["业务系统用户名", "名称", "签约检测机构", "情况", "原因"]
    assert len(rows) == CROWD_A + CROWD_B
    assert {row[0] for row in rows} == {f"crowd{i:04d}" for i in range(CROWD_A + CROWD_B)}
    assert {row[4] for row in rows} == {"实验室未确认"}


def test_a04_the_page_under_500_says_nothing_of_a_cut_and_links_the_download(client, world):
    s = scene(world)
    client.force_login(world.lab_a_staff)
    page = client.get(_url("enforcement_preview", s.campaign)).content.decode()
    assert 'data-testid="preview-cut"' not in page
    assert 'data-testid="preview-csv"' in page and 'data-testid="preview-xlsx"' in page


def test_a04_the_download_speaks_the_requests_language(client, world):
    s = scene(world)
    heading, *_rows = download(client, world.lab_a_staff, s.campaign, HTTP_ACCEPT_LANGUAGE="en")
    assert heading == ["Business-system username", "Name", "Testing lab", "Case", "Why"]
    client.force_login(world.lab_a_staff)
    response = client.get(_url("enforcement_preview_xlsx", s.campaign), HTTP_ACCEPT_LANGUAGE="en")
    assert xlsx_rows(response)[0][0] == "Business-system username"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a04_a_lab_downloads_only_its_own_people(client, world, fmt):
    """A-04 scoping: lab A gets its three, lab B its one, the branch centre its lab's."""
    s = scene(world)
    lab_a = {s.unconfirmed.username, s.not_put_right.username, s.legacy.username}
    rows = download(client, world.lab_a_staff, s.campaign, fmt)[1:]
    assert {row[0] for row in rows} == lab_a
    assert {row[2] for row in rows} == {world.lab_a.name}
    rows = download(client, world.lab_b_staff, s.campaign, fmt)[1:]
    assert [row[0] for row in rows] == [s.other_lab.username]
    rows = download(client, world.branch_s_reviewer, s.campaign, fmt)[1:]
    assert [row[0] for row in rows] == [s.other_lab.username]
    rows = download(client, officer(Role.GENERAL_BUSINESS_OFFICER), s.campaign, fmt)[1:]
    assert {row[0] for row in rows} == lab_a | {s.other_lab.username}


def test_a04_a_lab_downloads_its_own_of_the_crowd_and_no_more(client, world, crowd):
    rows = download(client, world.lab_b_staff, crowd)[1:]
    assert len(rows) == CROWD_B and {row[1] for row in rows} == {"乙方人员"}
    rows = download(client, world.lab_a_staff, crowd, "xlsx")[1:]
    assert len(rows) == CROWD_A and {row[2] for row in rows} == {world.lab_a.name}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a04_the_download_is_not_for_visitors_or_people_without_a_campaign_role(client, world, fmt):
    s = scene(world)
    url = _url(f"enforcement_preview_{fmt}", s.campaign)
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for user in (world.body_x_admin, world.inspector, world.evaluator):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)


def test_a04_the_download_is_empty_once_the_campaign_no_longer_waits(client, world):
    s = scene(world)
    type(s.campaign).objects.filter(pk=s.campaign.pk).update(state="enforced")
    assert download(client, world.training_admin, s.campaign) == [
        ["业务系统用户名", "名称", "签约检测机构", "情况", "原因"]
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_names_are_neutralised_in_both_formats(client, world, fmt):
    """Issue 9: a name typed as a formula is text in the download, never a live formula."""
    s = scene(world)
    hostile = {
        s.unconfirmed.username: '=HYPERLINK("http://evil","x")',
        s.not_put_right.username: "+1+1",
        s.legacy.username: "@SUM(A1)",
    }
    for right in (s.unconfirmed, s.not_put_right, s.legacy):
        person = right.person
        person.name = hostile[right.username]
        person.save(update_fields=["name"])
    LoginRight.objects.filter(pk=s.unconfirmed.pk).update(username="-cbs")
    client.force_login(world.lab_a_staff)
    response = client.get(_url(f"enforcement_preview_{fmt}", s.campaign))
    rows = (csv_rows if fmt == "csv" else xlsx_rows)(response)[1:]
    names = {row[1] for row in rows}
    assert names == {"'" + name for name in hostile.values()}
    assert "'-cbs" in {row[0] for row in rows}
    if fmt == "xlsx":
        response = client.get(_url("enforcement_preview_xlsx", s.campaign))
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_a04_the_download_takes_the_same_few_queries_for_5_people_and_505(client, world, crowd):
    """Read by key a chunk at a time: the number of queries does not grow with the people."""
    counts = {}
    for user, expected in ((world.lab_b_staff, CROWD_B), (world.lab_a_staff, CROWD_A)):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url("enforcement_preview_csv", crowd))
            assert len(csv_rows(response)) == expected + 1
        counts[user.username] = len(queries)
    assert counts["lab_b"] == counts["lab_a"] <= 10


def test_a04_the_rows_are_read_chunk_by_chunk_and_none_is_lost(world, crowd):
    entries = preview_entries(
        user=world.lab_b_staff, campaign=crowd, at=deadline_end(crowd.confirmation_deadline)
    )
    rows = list(preview_rows(entries, chunk=2))
    assert sorted(row[0] for row in rows) == sorted(
        CampaignEntry.objects.filter(campaign=crowd, lab=world.lab_b).values_list(
            "right__username", flat=True
        )
    )


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=99999",
        "page=" + "1" * 400,
        "page=%00",
        "fmt=xlsx&lab=%27%3B+drop+table+x",
        "q=%ff%fe&page=%ed%a0%80",
        "page&page=1&&=",
    ],
)
def test_odd_query_strings_answer_no_5xx(client, world, query):
    s = scene(world)
    client.force_login(world.training_admin)
    for name in ("enforcement_preview", "enforcement_preview_csv", "enforcement_preview_xlsx"):
        assert client.get(f"{_url(name, s.campaign)}?{query}").status_code < 500
    run_list = reverse("access_audit:enforcement_run_list")
    assert client.get(f"{run_list}?{query}").status_code < 500


# --- the menu ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["training_admin", "quality_tech_officer", "general_business_officer", "superuser"]
)
def test_a04_the_runs_are_in_the_menu_of_those_who_see_them(client, world, who):
    user = {
        "training_admin": world.training_admin,
        "quality_tech_officer": officer(Role.QUALITY_TECH_OFFICER),
        "general_business_officer": officer(Role.GENERAL_BUSINESS_OFFICER),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }[who]
    client.force_login(user)
    url = reverse("access_audit:enforcement_run_list")
    assert f'href="{url}"' in client.get(reverse("dashboard")).content.decode()
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "who", ["lab_a_staff", "branch_n_reviewer", "body_x_admin", "inspector", "evaluator"]
)
def test_a04_the_runs_are_not_in_the_menu_of_others(client, world, who):
    client.force_login(getattr(world, who))
    url = reverse("access_audit:enforcement_run_list")
    assert f'href="{url}"' not in client.get(reverse("dashboard")).content.decode()
    assert client.get(url).status_code == 403


def test_a04_the_menu_entry_is_in_chinese_first_and_english_on_request(client, world):
    client.force_login(world.training_admin)
    assert "截止执行记录" in client.get(reverse("dashboard")).content.decode()
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enforcement runs" in page
