"""The screens of incidents, the director's powers and external labs (Q-07, Q-08, Q-10):
every page in Chinese and English, the clock on the page, the forms through the services,
the lists' filters and exports, body A not seeing body B, inspectors reading and writing
nothing here."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quality_roles.constants import CertificateState, IncidentKind, MeasureKind
from quality_roles.models import CooperationProposal, IncidentReport
from quality_roles.services import external_labs, incidents, powers

from .duties import duties  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

ZH, EN = "zh-hans", "en"


@pytest.fixture
def records(duties):  # noqa: F811
    d = duties
    incident = incidents.incident_report_record(
        body=d.body,
        actor=d.lead_user,
        kind=IncidentKind.PUBLIC_OPINION,
        title='=HYPERLINK("http://x")',
        learned_at=timezone.now() - datetime.timedelta(hours=2),
    )
    check = powers.spot_check_record(
        body=d.body,
        actor=d.director_user,
        project=d.project,
        checked_on=timezone.localdate(),
        findings="记录不全",
    )
    order = powers.rectification_order_issue(
        spot_check=check,
        actor=d.director_user,
        problem="记录不全",
        actions="补全",
        owner=d.lead.staff,
        deadline=timezone.localdate(),
    )
    measure = powers.director_measure_take(
        body=d.body,
        actor=d.director_user,
        kind=MeasureKind.SUSPEND_ACTIVITIES,
        scope="新申请受理",
        reason="专项整改",
    )
    lab = external_labs.external_lab_register(body=d.body, actor=d.admin, name="外部检测所")
    cooperation = external_labs.lab_cooperation_start(lab=lab, actor=d.admin, project=d.project)
    proposal = external_labs.cooperation_proposal_submit(
        cooperation=cooperation, actor=d.lead_user, action="end", reason="资质过期"
    )
    return {
        "incident_detail": incident,
        "spot_check_detail": check,
        "rectification_detail": order,
        "measure_detail": measure,
        "external_lab_detail": lab,
        "cooperation_detail": cooperation,
        "proposal_detail": proposal,
    }


LISTS = [
    "incident",
    "spot_check",
    "rectification",
    "measure",
    "cooperation",
    "proposal",
]


def test_every_page_answers_in_both_languages(client, duties, records):  # noqa: F811
    for user in (duties.director_user, duties.lead_user, duties.admin, duties.inspector):
        client.force_login(user)
        urls = [reverse(f"quality_roles:{name}_list") for name in LISTS]
        urls += [reverse(f"quality_roles:{name}", args=[o.pk]) for name, o in records.items()]
        urls.append(reverse("quality_roles:body_detail", args=[duties.body.pk]))
        for url in urls:
            for language in (ZH, EN):
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code == 200, (user.username, url)
    client.force_login(duties.director_user)
    page = client.get(
        reverse("quality_roles:incident_list"), HTTP_ACCEPT_LANGUAGE=ZH
    ).content.decode()
    assert "事件报告" in page


def test_q07_the_clock_is_on_the_page_and_the_list(client, duties, records):  # noqa: F811
    client.force_login(duties.director_user)
    incident = records["incident_detail"]
    page = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=EN).content.decode()
    assert 'data-testid="clock-left"' in page and "21 h" in page
    due = timezone.localtime(incident.due_at, datetime.timezone(datetime.timedelta(hours=8)))
    assert due.strftime("%Y-%m-%d %H:%M") in page
    listed = client.get(reverse("quality_roles:incident_list")).content.decode()
    assert 'data-testid="clock-left"' in listed
    IncidentReport.objects.filter(pk=incident.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=EN).content.decode()
    assert 'data-testid="clock-overdue"' in page
    overdue = client.get(reverse("quality_roles:incident_list") + "?clock=overdue")
    assert incident.title in overdue.content.decode() or "HYPERLINK" in overdue.content.decode()


def test_q07_a_lead_reports_through_the_form_and_the_director_sees_it(client, duties):  # noqa: F811
    client.force_login(duties.lead_user)
    url = reverse("quality_roles:incident_create", args=[duties.body.pk])
    response = client.post(
        url,
        {
            "kind": IncidentKind.QUALITY_PROBLEM,
            "title": "批量证书检测报告造假",
            "learned_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    incident = IncidentReport.objects.get(title="批量证书检测报告造假")
    assert incident.reporting_lead == duties.lead
    client.force_login(duties.director_user)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "批量证书检测报告造假" in dashboard
    # A field too long answers 400 with the form, never 5xx.
    client.force_login(duties.lead_user)
    assert client.post(url, {"kind": "x", "title": "t" * 5000}).status_code == 400


def test_q08_suspending_a_certificate_through_the_form(client, duties):  # noqa: F811
    client.force_login(duties.director_user)
    response = client.post(
        reverse("quality_roles:measure_create", args=[duties.body.pk]),
        {
            "kind": MeasureKind.SUSPEND_CERTIFICATE,
            "certificate": duties.certificate.number,
            "reason": "获证产品发生重大质量事故",
        },
    )
    assert response.status_code == 302
    duties.certificate.refresh_from_db()
    assert duties.certificate.state == CertificateState.SUSPENDED
    page = client.get(response["Location"]).content.decode()
    assert duties.certificate.number in page and "state--suspended" in page


def test_q08_a_lead_admin_and_inspector_are_refused_the_powers(client, duties, records):  # noqa: F811
    for user in (duties.lead_user, duties.admin, duties.inspector):
        client.force_login(user)
        for name in ("spot_check_create", "measure_create"):
            url = reverse(f"quality_roles:{name}", args=[duties.body.pk])
            assert client.get(url).status_code == 403
            assert client.post(url, {"reason": "x"}).status_code == 403
        lift = reverse("quality_roles:measure_lift", args=[records["measure_detail"].pk])
        assert client.post(lift, {"reason": "x"}).status_code == 403


def test_q10_a_lead_cannot_decide_through_the_screen(client, duties, records):  # noqa: F811
    proposal = records["proposal_detail"]
    url = reverse("quality_roles:proposal_decide", args=[proposal.pk])
    for user in (duties.lead_user, duties.admin, duties.inspector):
        client.force_login(user)
        assert client.post(url, {"approve": "approve"}).status_code == 403
    client.force_login(duties.director_user)
    assert client.post(url, {"approve": "refuse", "comment": ""}).status_code == 400
    assert client.post(url, {"approve": "approve", "comment": "同意"}).status_code == 302
    assert CooperationProposal.objects.get(pk=proposal.pk).state == "approved"


def test_body_b_sees_nothing_of_body_a(client, duties, records, world):  # noqa: F811
    client.force_login(duties.other_director_user)
    for name, obj in records.items():
        assert client.get(reverse(f"quality_roles:{name}", args=[obj.pk])).status_code == 404
    for name in LISTS:
        page = client.get(reverse(f"quality_roles:{name}_list")).content.decode()
        assert duties.body.name not in page


def test_the_lists_export_csv_and_xlsx_without_live_formulas(client, duties, records):  # noqa: F811
    client.force_login(duties.inspector)
    for name in LISTS:
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse(f"quality_roles:{name}_export_{fmt}"))
            assert response.status_code == 200, (name, fmt)
    csv = client.get(reverse("quality_roles:incident_export_csv") + "?kind=public_opinion")
    text = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    filtered = client.get(reverse("quality_roles:incident_export_csv") + "?kind=quality_problem")
    assert "HYPERLINK" not in filtered.content.decode("utf-8-sig")


def test_q10_resuming_a_paused_cooperation_through_the_screens(client, duties, records):  # noqa: F811
    cooperation = records["cooperation_detail"]
    page_url = cooperation.get_absolute_url()
    resume_url = reverse("quality_roles:resumption_create", args=[cooperation.pk])
    client.force_login(duties.director_user)
    client.post(
        reverse("quality_roles:proposal_decide", args=[records["proposal_detail"].pk]),
        {"approve": "refuse", "comment": "先整改"},
    )
    # Active: no one is offered a resumption, and the screen says why.
    client.force_login(duties.lead_user)
    assert 'data-testid="propose-resumption"' not in client.get(page_url).content.decode()
    refused = client.post(resume_url, {"reason": "恢复"}, HTTP_ACCEPT_LANGUAGE=EN)
    assert refused.status_code == 400 and "Q-10" in refused.content.decode()
    pause = external_labs.cooperation_proposal_submit(
        cooperation=cooperation, actor=duties.lead_user, action="pause", reason="偏差超限"
    )
    external_labs.cooperation_proposal_decide(
        proposal=pause, actor=duties.director_user, approve=True
    )
    # Paused: the button for the lead and the director, for no one else.
    for user, shown in (
        (duties.lead_user, True),
        (duties.director_user, True),
        (duties.admin, False),
        (duties.inspector, False),
    ):
        client.force_login(user)
        page = client.get(page_url, HTTP_ACCEPT_LANGUAGE=ZH).content.decode()
        assert ('data-testid="propose-resumption"' in page) is shown, user.username
        if shown:
            assert "建议恢复合作" in page
        else:
            assert client.get(resume_url).status_code == 403
            assert client.post(resume_url, {"reason": "恢复"}).status_code == 403
    # Another body's director: 404 on the screen as on the page.
    client.force_login(duties.other_director_user)
    assert client.get(resume_url).status_code == 404
    client.force_login(duties.lead_user)
    assert client.post(resume_url, {"reason": "复测合格"}).status_code == 302
    proposal = CooperationProposal.objects.get(cooperation=cooperation, state="proposed")
    assert proposal.action == "resume"
    decide_url = reverse("quality_roles:proposal_decide", args=[proposal.pk])
    assert client.post(decide_url, {"approve": "approve"}).status_code == 403
    client.force_login(duties.other_director_user)
    assert client.post(decide_url, {"approve": "approve"}).status_code == 404
    client.force_login(duties.director_user)
    detail = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=ZH).content.decode()
    assert "恢复合作" in detail and decide_url in detail
    assert client.post(decide_url, {"approve": "approve", "comment": "同意"}).status_code == 302
    cooperation.refresh_from_db()
    assert cooperation.state == "active"
    listed = client.get(reverse("quality_roles:proposal_list") + "?action=resume")
    assert proposal.get_absolute_url() in listed.content.decode()
    # The inspectors read it, without a way to decide it.
    client.force_login(duties.inspector)
    detail = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=EN).content.decode()
    assert "Resume the cooperation" in detail and decide_url not in detail


def test_q10_an_ended_cooperation_offers_no_proposal(client, duties, records):  # noqa: F811
    # rule Q-10: ending is final, so its page offers neither a pause or end nor a resumption
    cooperation = records["cooperation_detail"]
    client.force_login(duties.lead_user)
    assert (
        'data-testid="propose-pause-or-end"'
        in client.get(cooperation.get_absolute_url()).content.decode()
    )
    external_labs.cooperation_proposal_decide(
        proposal=records["proposal_detail"],
        actor=duties.director_user,
        approve=False,
        comment="先整改",
    )
    end = external_labs.cooperation_proposal_submit(
        cooperation=cooperation, actor=duties.lead_user, action="end", reason="资质被撤销"
    )
    external_labs.cooperation_proposal_decide(
        proposal=end, actor=duties.director_user, approve=True
    )
    for user in (duties.lead_user, duties.director_user):
        client.force_login(user)
        page = client.get(cooperation.get_absolute_url()).content.decode()
        assert 'data-testid="propose-pause-or-end"' not in page
        assert 'data-testid="propose-resumption"' not in page
