"""The whole check campaign in a real browser (issue 12): the training centre opens it, a lab
confirms some of its people (with the keyboard) and marks one as left, the deadline job runs,
and the CQC-wide departments see the revoked accounts and the evidence pack (A-03..A-06).

Playwright (sync API) driving Debian's Chromium, as ``tests/browser.py`` sets up: never
downloads a browser, skips when /usr/bin/chromium is missing. The live server runs in this
process and shares the test database (``transaction=True``, ``serialized_rollback=True``);
tasks run eagerly in it (test settings), so the evidence pack is built when the run commits.
"""

import datetime

import pytest
from django.core.management import call_command

from access_audit.constants import Confirmation, LoginRightState, RunKind, RunState, china_today
from access_audit.models import AuditCampaign, CampaignEntry, EnforcementRun
from access_audit.services import campaign_confirmation
from access_audit.tests.campaign_helpers import account, hired
from directory.demo import seed_directory
from directory.models import TestingLab, User
from directory.tests.factories import PersonFactory
from liaisons.constants import QualificationState
from liaisons.models import LiaisonQualification
from tests.browser import BROWSER_MARKS, screenshot, tab_to

expect = pytest.importorskip("playwright.sync_api").expect

BEIJING = "北京电器安全检测实验室"  # lab.beijing's lab in the demo directory
SHANGHAI = "上海电子电器检测所"  # lab.shanghai's
#: The Beijing lab's hired liaisons with an account: three confirmed with the keyboard, one
#: marked as left, one left unconfirmed (its right is revoked at the deadline, A-04).
WORKS = ["赵一鸣", "钱二丽", "孙三强"]
LEAVES = "李四海"
FORGOTTEN = "周五洲"
#: Shanghai's: three confirmed by its lab, one not (revoked too).
SHANGHAI_PEOPLE = ["吴六平", "郑七星", "冯八方", "陈九龙"]
CAMPAIGN = "2026年度业务系统登录权限核查"

pytestmark = BROWSER_MARKS


@pytest.fixture
def people():
    """The demo directory (its users sign in with the demo password) and the labs' people."""
    seed_directory()
    beijing, shanghai = TestingLab.objects.get(name=BEIJING), TestingLab.objects.get(name=SHANGHAI)
    rights = {}
    for lab, names, prefix in (
        (beijing, [*WORKS, LEAVES, FORGOTTEN], "bj"),
        (shanghai, SHANGHAI_PEOPLE, "sh"),
    ):
        for index, name in enumerate(names):
            person = hired(lab, PersonFactory(lab=lab, name=name)).person
            rights[name] = account(person, lab=lab, username=f"{prefix}.user{index}")
    return rights


def test_campaign_from_opening_to_the_evidence_pack(as_user, live_server, people):
    # rule A-03, rule A-04, rule A-05, rule A-06
    today = china_today()
    deadline = today + datetime.timedelta(days=30)

    def signed_in(username):
        page = as_user(username)
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    # The training centre creates the campaign as a draft and opens it.
    training = signed_in("training")
    training.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="登录权限核查"
    ).click()
    training.get_by_test_id("campaign-create").click()
    training.get_by_label("名称").fill(CAMPAIGN)
    training.get_by_label("迁移截止日（L-13）").fill(
        (today + datetime.timedelta(days=20)).isoformat()
    )
    training.get_by_label("确认截止日（A-04）").fill(deadline.isoformat())
    training.get_by_role("button", name="创建核查草稿").click()
    campaign = AuditCampaign.objects.get(name=CAMPAIGN)
    expect(training).to_have_url(f"{live_server.url}/audit/campaigns/{campaign.pk}/")
    expect(training.get_by_test_id("campaign-state")).to_have_text("草稿")
    training.get_by_test_id("campaign-open").click()
    expect(training.get_by_test_id("campaign-state")).to_have_text("进行中")
    expect(training.locator("main")).to_contain_text("核查已启动")
    # Nine hired liaisons with an active right: all case 1, none confirmed yet.
    expect(training.get_by_test_id("case-1")).to_have_text("9")
    expect(training.get_by_test_id("progress")).to_contain_text("9")
    screenshot(training, "campaign-1-opened.png")

    # Shanghai's lab confirms three of its four people (through the service: not this story).
    shanghai = User.objects.get(username="lab.shanghai")
    confirmed = CampaignEntry.objects.filter(
        campaign=campaign, right__in=[people[name] for name in SHANGHAI_PEOPLE[:3]]
    )
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=shanghai,
        seen={entry.pk: entry.confirmation for entry in confirmed},
        confirmation=Confirmation.WORKS,
    )

    # The Beijing lab finds its confirmation page from the campaign's page.
    lab = signed_in("lab.beijing")
    lab.goto(f"/audit/campaigns/{campaign.pk}/")
    lab.get_by_test_id("confirm-links").get_by_role("link", name=BEIJING).click()
    expect(lab.get_by_role("heading", level=1)).to_contain_text(f"确认 {BEIJING} 的人员")
    expect(lab.get_by_test_id("confirm-table").locator("tbody tr")).to_have_count(5)
    expect(lab.get_by_test_id("confirm-table")).not_to_contain_text(SHANGHAI_PEOPLE[0])

    # With the keyboard alone: Tab to each box, Space to check it, the confirmation chosen
    # and the comment typed, Enter on the button.
    entry_ids = {
        name: CampaignEntry.objects.get(campaign=campaign, right=people[name]).pk for name in WORKS
    }
    for name in WORKS:
        tab_to(lab, f"entry-{entry_ids[name]}")
        lab.keyboard.press("Space")
        expect(lab.get_by_label(name, exact=True)).to_be_checked()
    works = lab.get_by_label("仍从事联络员工作")
    tab_to(lab, works.get_attribute("id"))
    lab.keyboard.press("Space")
    expect(works).to_be_checked()
    lab.keyboard.press("Tab")
    expect(lab.get_by_label("意见")).to_be_focused()
    lab.keyboard.type("三人均在岗")
    lab.keyboard.press("Tab")
    expect(lab.get_by_test_id("confirm-submit")).to_be_focused()
    lab.keyboard.press("Enter")
    expect(lab.locator("main")).to_contain_text("已将 3 人确认为“仍从事联络员工作”。")

    # One person has left (a transfer), with a comment; the right is suspended at once.
    lab.get_by_label(LEAVES, exact=True).check()
    lab.get_by_label("已离开：工作调动").check()
    lab.get_by_label("意见").fill("2026年11月调往上海分中心")
    lab.get_by_test_id("confirm-submit").click()
    expect(lab.locator("main")).to_contain_text("已将 1 人确认为“已离开：工作调动”。")
    table = lab.get_by_test_id("confirm-table")
    expect(table.locator("tr").filter(has_text=LEAVES)).to_contain_text("已离开：工作调动")
    expect(table.locator("tr").filter(has_text=FORGOTTEN)).to_contain_text("尚未确认")
    expect(lab.get_by_role("heading", level=1).locator(".badge")).to_have_text("1")
    screenshot(lab, "campaign-2-lab-confirmed.png")
    people[LEAVES].refresh_from_db()
    assert people[LEAVES].state == LoginRightState.SUSPENDED
    qualification = LiaisonQualification.objects.get(person=people[LEAVES].person)
    assert qualification.state == QualificationState.SUSPENDED

    # The deadline job runs the day after the confirmation deadline, as the daily
    # task would; the evidence pack is built on the run's commit (eager tasks).
    call_command("enforce_deadlines", as_of=(deadline + datetime.timedelta(days=1)).isoformat())
    run = EnforcementRun.objects.get(campaign=campaign, kind=RunKind.CONFIRMATION)
    assert run.state == RunState.DONE and run.counts["changed"] == 2
    assert run.evidence.count() == 4 and run.manifest_sha256
    for name in (FORGOTTEN, SHANGHAI_PEOPLE[3]):
        people[name].refresh_from_db()
        assert people[name].state == LoginRightState.REVOKED and people[name].rule == "A-04"
    for name in [*WORKS, *SHANGHAI_PEOPLE[:3]]:
        people[name].refresh_from_db()
        assert people[name].state == LoginRightState.ACTIVE

    # The training centre sees the campaign enforced and the run done.
    training.goto(f"/audit/campaigns/{campaign.pk}/")
    expect(training.get_by_test_id("campaign-state")).to_have_text("已执行")
    training.goto("/audit/enforcement/runs/")
    row = training.get_by_test_id("run-list").locator("tr").filter(has_text="确认截止日（A-04）")
    expect(row).to_contain_text(CAMPAIGN)
    expect(row.locator("td").nth(4)).to_have_text("2")

    # The general business dept sees the revoked accounts and the evidence pack.
    business = signed_in("generalbiz")
    business.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="已收回的登录权限"
    ).click()
    row = business.get_by_test_id("evidence-runs").locator("tr").filter(has_text="确认截止日")
    expect(row.locator("td").nth(3)).to_have_text("2")
    row.get_by_role("link", name=CAMPAIGN).click()
    expect(business).to_have_url(f"{live_server.url}/audit/evidence/runs/{run.pk}/")
    revocations = business.get_by_test_id("revocations")
    expect(revocations.locator("tbody tr")).to_have_count(2)
    expect(revocations).to_contain_text(FORGOTTEN)
    expect(revocations).to_contain_text(SHANGHAI_PEOPLE[3])
    for name in [*WORKS, LEAVES]:
        expect(revocations).not_to_contain_text(name)
    pack = business.get_by_test_id("evidence-pack")
    expect(pack.get_by_test_id("pack-incomplete")).to_have_count(0)
    expect(pack.get_by_test_id("evidence-file")).to_have_count(4)
    expect(pack.get_by_test_id("manifest-sha256")).to_have_text(run.manifest_sha256)
    screenshot(business, "campaign-3-evidence-pack.png")

    # The report is downloaded as a user does, then fetched with the same session to read
    # the response itself.
    report = pack.get_by_role("link", name=f"enforcement-{run.pk}-report.pdf")
    with business.expect_download() as download_info:
        report.click()
    assert download_info.value.suggested_filename == f"enforcement-{run.pk}-report.pdf"
    response = business.request.get(report.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    manifest = business.request.get(
        pack.get_by_role("link", name=f"enforcement-{run.pk}-manifest.sha256").get_attribute("href")
    )
    assert manifest.status == 200 and manifest.headers["content-type"].startswith("text/plain")

    business.get_by_test_id("verify").click()
    expect(business.get_by_test_id("verification")).to_contain_text("完好")

    # Once in English: the same page, its headings in English.
    business.get_by_test_id("lang-en").click()
    expect(business.locator("html")).to_have_attribute("lang", "en")
    expect(business.get_by_role("heading", name="Evidence pack")).to_be_visible()
    expect(business.locator("h1")).to_contain_text("Confirmation deadline (A-04)")
    screenshot(business, "campaign-4-evidence-pack-en.png")

    # The Beijing lab sees its own revoked account and no other lab's, and no pack.
    lab.goto(f"/audit/evidence/runs/{run.pk}/")
    own = lab.get_by_test_id("revocations")
    expect(own.locator("tbody tr")).to_have_count(1)
    expect(own).to_contain_text(FORGOTTEN)
    expect(own).not_to_contain_text(SHANGHAI_PEOPLE[3])
    expect(lab.get_by_test_id("evidence-pack")).to_have_count(0)
