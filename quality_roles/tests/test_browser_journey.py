"""The quality roles in a real browser (issue 13), through the screens alone: a body appoints
its quality director step by step, the director nominates two project quality leads and the
body appoints them, certificates are imported and assigned, one lead's appointment ends and
the coverage warning appears, and a lead's incident report is escalated when overdue.

Playwright driving Debian's Chromium with the fixtures of ``tests/browser.py`` (never
downloads a browser; skips without /usr/bin/chromium). Tasks run eagerly in the live server,
which shares the test database.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.tests.factories import PASSWORD
from quality_roles.constants import CertificateState, DirectorAppointmentState, IncidentState
from quality_roles.constants import LeadAppointmentState as LeadState
from quality_roles.models import Certificate, DirectorAppointment, IncidentReport, LeadAppointment
from quality_roles.services.bodies import certification_project_create
from quality_roles.tasks import escalate_overdue_incidents
from tests.browser import BROWSER_MARKS, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = BROWSER_MARKS

PROJECT = "CCC-HA"


@pytest.fixture
def journey(body):
    """Body X of ``world`` with its governance and four eligible staff (``body``), and one
    certification project its leads will answer for."""
    certification_project_create(body=body.body, actor=body.admin, code=PROJECT, name="家用电器")
    return body


def _card(page, heading: str):
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=heading))


def _csv(b) -> bytes:
    """The body's certificate list, with Chinese headings, as a body exports it: two
    certificates of lead A, one of lead B, one without a lead, one expired without a lead."""
    lead_a, lead_b = b.lead_a.person.id_number, b.lead_b.person.id_number
    rows = [
        "证书编号,产品,认证项目,状态,项目质量负责人身份证号",
        f"X-2026-001,电饭锅,{PROJECT},有效,{lead_a}",
        f"X-2026-002,电水壶,{PROJECT},有效,{lead_a}",
        f"X-2026-003,微波炉,{PROJECT},有效,{lead_b}",
        f"X-2026-004,电风扇,{PROJECT},有效,",
        f"X-2019-001,电熨斗,{PROJECT},过期,",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8-sig")


def test_a_body_appoints_imports_ends_a_lead_and_an_incident_is_escalated(
    as_user, live_server, journey
):
    # rule Q-01, rule Q-02, rule Q-05, rule Q-07, rule Q-09
    b = journey
    today = timezone.localdate().isoformat()
    body_url = reverse("quality_roles:body_detail", args=[b.body.pk])

    # --- The administrator nominates the director and records each step. ---
    admin = as_user(b.admin.username, PASSWORD)
    admin.get_by_role("navigation", name="主导航").get_by_role("link", name="认证质量岗位").click()
    admin.get_by_role("link", name=b.body.name).click()
    expect(admin.get_by_test_id("no-director")).to_be_visible()
    admin.get_by_role("link", name="提名认证质量总监").click()
    admin.get_by_label("被提名人").select_option(label=f"{b.candidate.person.name} · 副总经理")
    admin.get_by_role("button", name="提名").click()
    appointment = DirectorAppointment.objects.get(body=b.body)
    expect(admin).to_have_url(
        f"{live_server.url}{reverse('quality_roles:director_detail', args=[appointment.pk])}"
    )

    step = admin.get_by_test_id("step-authorise")
    step.get_by_label("授权人").select_option(label="法定代表人")
    step.get_by_label("授权日期").fill(today)
    step.get_by_role("button", name="登记授权").click()
    step = admin.get_by_test_id("step-file")
    step.get_by_label("报备日期").fill(today)
    step.get_by_label("监管部门受理编号").fill("CNCA-QD-2026-0001")
    step.get_by_role("button", name="登记报备").click()
    admin.get_by_test_id("step-activate").get_by_role("button", name="到任").click()
    appointment.refresh_from_db()
    assert appointment.state == DirectorAppointmentState.ACTIVE
    admin.goto(body_url)
    expect(admin.get_by_test_id("director")).to_contain_text(b.candidate.person.name)
    # The administrator does not nominate leads: the director does.
    expect(admin.get_by_role("link", name="提名认证项目质量负责人")).to_have_count(0)

    # --- The director nominates two leads for the project ... ---
    director = as_user(b.candidate_account.username, PASSWORD)
    director.goto(body_url)
    for staff in (b.lead_a, b.lead_b):
        director.get_by_role("link", name="提名认证项目质量负责人").click()
        director.get_by_label("被提名人").select_option(
            label=f"{staff.person.name} · {staff.position}"
        )
        director.get_by_label(f"{PROJECT} 家用电器").check()
        director.get_by_role("button", name="提名").click()
        expect(director.locator("main")).to_contain_text("由机构任命")
        director.goto(body_url)
    leads = {lead.staff_id: lead for lead in LeadAppointment.objects.filter(body=b.body)}
    lead_a, lead_b = leads[b.lead_a.pk], leads[b.lead_b.pk]
    assert {lead.state for lead in leads.values()} == {LeadState.NOMINATED}

    # ... and the body appoints them: a nominee is not a lead until then.
    for lead in (lead_a, lead_b):
        admin.goto(reverse("quality_roles:lead_detail", args=[lead.pk]))
        admin.get_by_test_id("step-activate").get_by_role("button", name="任命").click()
        expect(admin.get_by_test_id("appointment-state")).to_have_text("在任")
    admin.goto(body_url)
    expect(admin.get_by_test_id("leads").locator("tbody tr")).to_have_count(2)
    screenshot(admin, "quality-1-body-with-director-and-leads.png")

    # --- The administrator imports the certificate list: preview, then confirm. ---
    admin.get_by_role("navigation", name="主导航").get_by_role("link", name="证书").click()
    admin.get_by_role("link", name="导入证书").click()
    admin.get_by_label("证书清单（CSV 或 XLSX）").set_input_files(
        files=[{"name": "证书清单.csv", "mimeType": "text/csv", "buffer": _csv(b)}]
    )
    admin.get_by_role("button", name="预览").click()
    expect(admin.get_by_test_id("import-preview").locator("tbody tr")).to_have_count(5)
    expect(admin.get_by_test_id("import-uncovered")).to_contain_text("1")
    assert not Certificate.objects.filter(body=b.body).exists()  # the preview stores nothing
    admin.get_by_role("button", name="导入这些证书").click()
    assert Certificate.objects.filter(body=b.body).count() == 5
    # The import lands on the uncovered certificates: the one without a lead, not the expired.
    uncovered = admin.get_by_test_id("certificates").locator("tbody tr")
    expect(uncovered).to_have_count(1)
    expect(uncovered).to_contain_text("X-2026-004")
    expect(uncovered.get_by_test_id("uncovered")).to_be_visible()

    # The director sees it on the dashboard and assigns lead B to it.
    director.goto("/")
    card = _card(director, "无在任项目质量负责人的证书（Q-05）")
    expect(card).to_contain_text("X-2026-004")
    card.get_by_role("link", name="X-2026-004 · 电风扇").click()
    expect(director.get_by_test_id("uncovered")).to_be_visible()
    director.get_by_role("link", name="指定项目质量负责人").click()
    director.get_by_label("负责的项目质量负责人").select_option(label=b.lead_b.person.name)
    director.locator("main form").get_by_role("button").first.click()
    expect(director.get_by_test_id("responsible-lead")).to_contain_text(b.lead_b.person.name)
    expect(director.get_by_test_id("uncovered")).to_have_count(0)
    director.goto(body_url)
    expect(director.get_by_test_id("uncovered-count")).to_have_text("0")

    # --- Lead A's appointment ends: the page lists what it would uncover first. ---
    admin.goto(reverse("quality_roles:lead_detail", args=[lead_a.pk]))
    warning = admin.get_by_test_id("would-uncover")
    expect(warning).to_contain_text("X-2026-001")
    expect(warning).to_contain_text("X-2026-002")
    expect(warning).not_to_contain_text("X-2026-003")
    danger = admin.get_by_test_id("danger-end")
    danger.locator("summary").click()
    danger.get_by_label("原因").fill("调任集团其他岗位")
    danger.get_by_role("button", name="终止任职").click()
    # Neither a successor nor the tick: refused with the rule named, nothing changed.
    expect(admin.locator("main")).to_contain_text("Q-05")
    lead_a.refresh_from_db()
    assert lead_a.state == LeadState.ACTIVE
    expect(admin.get_by_test_id("would-uncover")).to_contain_text("X-2026-001")
    admin.get_by_label("不指定继任者直接终止：这些证书暂时无人负责").check()
    admin.get_by_label("原因").fill("调任集团其他岗位")
    admin.locator("main form").get_by_role("button", name="终止任职").click()
    lead_a.refresh_from_db()
    assert lead_a.state == LeadState.ENDED
    left = set(
        Certificate.objects.filter(body=b.body, responsible_lead=lead_a).values_list(
            "number", flat=True
        )
    )
    assert left == {"X-2026-001", "X-2026-002"}

    # The same two certificates show as uncovered on the card, the body page and the list.
    director.goto("/")
    card = _card(director, "无在任项目质量负责人的证书（Q-05）")
    expect(card).to_contain_text("X-2026-001")
    expect(card).to_contain_text("X-2026-002")
    expect(card).not_to_contain_text("X-2026-003")
    director.goto(body_url)
    expect(director.get_by_test_id("uncovered-count")).to_have_text("2")
    expect(director.get_by_test_id("leads").locator("tbody tr")).to_have_count(1)
    director.goto("/quality-roles/certificates/?coverage=uncovered")
    rows = director.get_by_test_id("certificates").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.get_by_test_id("uncovered")).to_have_count(2)
    screenshot(director, "quality-2-uncovered-after-lead-ended.png")

    # --- Lead B reports a major event; it reaches the director at once. ---
    lead_page = as_user(b.lead_b_account.username, PASSWORD)
    lead_page.goto(body_url)
    lead_page.get_by_test_id("report-incident").click()
    lead_page.get_by_label("类型").select_option(label="认证质量重大问题")
    lead_page.get_by_label("标题").fill("微波炉抽检发现门体泄漏超标")
    lead_page.get_by_label("获知时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    lead_page.get_by_label("证书", exact=True).fill("X-2026-003")
    lead_page.get_by_role("button", name="报告认证质量总监").click()
    incident = IncidentReport.objects.get(body=b.body)
    assert incident.state == IncidentState.OPEN and incident.reached_director_at is not None
    expect(lead_page.get_by_test_id("clock-left")).to_be_visible()

    # 25 hours pass without the report to the regulator: every stored time moves back.
    past = datetime.timedelta(hours=25)
    incident.learned_at -= past
    incident.due_at -= past
    incident.reached_director_at -= past
    if incident.director_notified_at:
        incident.director_notified_at -= past
    IncidentReport.objects.filter(pk=incident.pk).update(
        learned_at=incident.learned_at,
        due_at=incident.due_at,
        reached_director_at=incident.reached_director_at,
        director_notified_at=incident.director_notified_at,
        created_at=incident.created_at - past,
    )
    # The hourly job escalates it once; the next run finds nothing new.
    assert escalate_overdue_incidents() == 1
    assert escalate_overdue_incidents() == 0

    director.goto(incident.get_absolute_url())
    expect(director.get_by_test_id("incident-state")).to_contain_text("尚未向监管部门报告")
    expect(director.get_by_test_id("clock-overdue")).to_contain_text("已超时")
    expect(director.get_by_test_id("escalated")).to_contain_text("已升级")
    screenshot(director, "quality-3-incident-escalated.png")

    # Once in English: the same facts, in English.
    director.get_by_test_id("lang-en").click()
    expect(director.locator("html")).to_have_attribute("lang", "en")
    expect(director.get_by_test_id("clock-overdue")).to_contain_text("Overdue by")
    expect(director.get_by_test_id("escalated")).to_contain_text("escalated")
    director.goto(body_url)
    expect(director.get_by_test_id("uncovered-count")).to_have_text("2")
    expect(director.locator("main")).to_contain_text("Certificates without a lead in office (Q-05)")
    screenshot(director, "quality-4-body-en.png")
    assert Certificate.objects.filter(state=CertificateState.VALID, body=b.body).count() == 4
