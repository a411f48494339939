"""The quality roles' screens: who sees which body, who may take which step, and the steps
through the forms (Q-01, Q-02, Q-09, Q-13)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from quality_roles.constants import DirectorAppointmentState as S
from quality_roles.models import DirectorAppointment, LeadAppointment
from quality_roles.services.bodies import certification_project_create

from .test_director_appointments import appoint

pytestmark = pytest.mark.django_db

ZH, EN = "zh-hans", "en"


def _get(client, url, language=EN):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def _post(client, url, data, language=EN):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)


def test_the_body_page_shows_its_director_and_leads(client, body):
    # rule Q-01
    b = body
    appoint(b, b.candidate)
    client.force_login(b.admin)
    page = _get(client, reverse("quality_roles:body_detail", args=[b.body.pk])).content.decode()
    assert "赵总监" in page and 'data-testid="director"' in page
    assert "钱法人" in page  # the legal representative
    chinese = _get(client, reverse("quality_roles:body_detail", args=[b.body.pk]), ZH)
    assert "认证质量总监" in chinese.content.decode()


def test_a_body_without_director_says_so(client, body):
    # rule Q-01
    client.force_login(body.admin)
    page = _get(client, reverse("quality_roles:body_detail", args=[body.body.pk])).content
    assert b'data-testid="no-director"' in page


def test_body_a_cannot_see_body_b(client, body, world):
    # rule Q-01: a body's staff see their own body only; 404 as for what does not exist
    director = appoint(body, body.candidate)
    client.force_login(world.body_y_admin)
    for url in (
        reverse("quality_roles:body_detail", args=[body.body.pk]),
        reverse("quality_roles:director_detail", args=[director.pk]),
        reverse("quality_roles:director_end", args=[director.pk]),
    ):
        assert _get(client, url).status_code == 404
    listed = _get(client, reverse("quality_roles:body_list")).content.decode()
    assert body.body.name not in listed and world.body_y.name in listed


def test_inspectors_read_every_body_and_write_nothing(client, body, world):
    # rule Q-13: the regulator's inspectors read every body, and write nothing but assessments
    director = appoint(body, body.candidate)
    client.force_login(world.inspector)
    for pk in (body.body.pk, world.body_y.pk):
        assert _get(client, reverse("quality_roles:body_detail", args=[pk])).status_code == 200
    detail = _get(client, reverse("quality_roles:director_detail", args=[director.pk]))
    assert detail.status_code == 200 and not detail.context["steps"]
    end = reverse("quality_roles:director_end", args=[director.pk])
    assert _post(client, end, {"reason": "检查"}).status_code == 403
    nominate = reverse("quality_roles:director_nominate", args=[body.body.pk])
    assert _post(client, nominate, {"staff": body.other_candidate.pk}).status_code == 403
    governance = reverse("quality_roles:governance_edit", args=[body.body.pk])
    assert _get(client, governance).status_code == 403
    director.refresh_from_db()
    assert director.state == S.ACTIVE


def test_the_administrator_takes_the_director_through_every_step(client, body):
    # rule Q-02, rule Q-06: nominated, authorised (who is recorded), filed, in office
    b = body
    client.force_login(b.admin)
    today = timezone.localdate().isoformat()
    response = _post(
        client,
        reverse("quality_roles:director_nominate", args=[b.body.pk]),
        {"staff": b.candidate.pk, "note": "董事会决议"},
    )
    appointment = DirectorAppointment.objects.get()
    assert response.url == reverse("quality_roles:director_detail", args=[appointment.pk])
    for step, data in (
        ("authorise", {"capacity": "legal_representative", "authorised_on": today}),
        ("file", {"filed_on": today, "reference": "BA-2026-0001"}),
        ("activate", {}),
    ):
        url = reverse(f"quality_roles:director_{step}", args=[appointment.pk])
        assert _post(client, url, data).status_code == 302, step
    page = _get(client, reverse("quality_roles:director_detail", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.state == S.ACTIVE
    content = page.content.decode()
    assert "钱法人" in content and "BA-2026-0001" in content
    # The timeline shows each step with who took it.
    assert len([e for e in page.context["timeline"] if "→" in e.what]) == 3


def test_a_refusal_shows_on_the_form_with_its_rule(client, body):
    # rule Q-02: a nominee outside top management
    client.force_login(body.admin)
    response = _post(
        client,
        reverse("quality_roles:director_nominate", args=[body.body.pk]),
        {"staff": body.lead_a.pk},
    )
    assert response.status_code == 400
    assert "Q-02: the quality director must be a member" in response.content.decode()
    assert not DirectorAppointment.objects.exists()


def test_the_director_nominates_a_lead_and_a_lead_cannot(client, body):
    # rule Q-09: the director nominates the leads; a lead cannot do what the director must
    b = body
    appoint(b, b.candidate)
    project = certification_project_create(body=b.body, actor=b.admin, code="CCC-L", name="照明")
    url = reverse("quality_roles:lead_nominate", args=[b.body.pk])
    data = {"staff": b.lead_b.pk, "projects": [project.pk]}
    client.force_login(b.lead_a_account)
    assert _get(client, url).status_code == 403
    assert _post(client, url, data).status_code == 403
    client.force_login(b.admin)
    assert _post(client, url, data).status_code == 403
    assert not LeadAppointment.objects.exists()
    client.force_login(b.candidate_account)
    assert _post(client, url, data).status_code == 302
    lead = LeadAppointment.objects.get()
    # The body's administrator appoints; the lead page shows whom the lead reports to.
    client.force_login(b.admin)
    activate = reverse("quality_roles:lead_activate", args=[lead.pk])
    assert _post(client, activate, {}).status_code == 302
    page = _get(client, reverse("quality_roles:lead_detail", args=[lead.pk])).content.decode()
    assert "赵总监" in page and "照明" in page


def test_the_menu_and_the_dashboard_lead_to_the_body(client, body):
    b = body
    appoint(b, b.candidate)
    client.force_login(b.candidate_account)
    dashboard = _get(client, reverse("dashboard"))
    cards = {card.title: card for card in dashboard.context["cards"]}
    assert cards[f"Quality roles of {b.body.name}"].note == (
        "Quality director: 赵总监. 0 project quality leads in office."
    )
    assert cards["Filings due with the regulator (Q-06)"].count == 0
    assert reverse("quality_roles:body_list") in dashboard.content.decode()
