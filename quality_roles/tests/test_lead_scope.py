"""A certificate's responsible lead answers for its project or category (Q-05, Q-09): checked
in one place (``quality_roles.scopes``) by assigning, by the hand-over when a lead ends, and by
the import; the assign screen offers only the leads who answer for the certificate."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from quality_roles.constants import LeadAppointmentState as L
from quality_roles.models import Certificate, LeadAppointment
from quality_roles.scopes import LeadScope
from quality_roles.services import appointments as svc
from quality_roles.services.bodies import certification_project_create, product_category_create
from quality_roles.services.certificates import certificate_assign_lead
from quality_roles.services.imports import certificates_import

from .factories import BodyStaffFactory, CertificateFactory

pytestmark = pytest.mark.django_db


@dataclass
class Lighting:
    """Body X of ``certified`` with a lighting category: its project CQC-LT, 郑负责 who
    answers for the whole category, a certificate of the project and one of the category."""

    lead_c: LeadAppointment
    of_project: Certificate
    of_category: Certificate


def _lead(c, name, **responsibilities) -> LeadAppointment:
    staff = BodyStaffFactory(body=c.b.body, person__name=name)
    lead = svc.lead_appointment_nominate(
        body=c.b.body, staff=staff, actor=c.b.candidate_account, **responsibilities
    )
    return svc.lead_appointment_activate(appointment=lead, actor=c.b.admin)


@pytest.fixture
def lighting(certified) -> Lighting:
    c = certified
    category = product_category_create(body=c.b.body, actor=c.b.admin, code="LT", name="照明电器")
    project = certification_project_create(
        body=c.b.body, actor=c.b.admin, code="CQC-LT", name="照明", category=category
    )
    lead_c = _lead(c, "郑负责", product_categories=[category])
    of_project = CertificateFactory(body=c.b.body, number="X-L1", project=project)
    of_category = CertificateFactory(body=c.b.body, number="X-L2", project=None, category=category)
    return Lighting(lead_c, of_project, of_category)


def test_a_lead_answers_for_the_projects_and_the_projects_of_the_categories_named(
    certified, lighting
):
    # rule Q-05: by project, by the project's category, by the certificate's category
    c, lt = certified, lighting
    of_a, of_c = LeadScope.of(c.lead_a), LeadScope.of(lt.lead_c)
    assert of_a.answers_for(project=c.project, category=None)
    assert not of_a.answers_for(project=lt.of_project.project, category=None)
    assert not of_a.answers_for(project=None, category=lt.of_category.category)
    assert of_c.answers_for(project=lt.of_project.project, category=None)
    assert of_c.answers_for(project=None, category=lt.of_category.category)
    assert not of_c.answers_for(project=c.project, category=None)
    # The SQL form says the same of every certificate of the body.
    for scope in (of_a, of_c):
        in_sql = set(Certificate.objects.filter(body=c.b.body).filter(scope.q()))
        in_python = {
            x
            for x in Certificate.objects.filter(body=c.b.body)
            if scope.answers_for(project=x.project, category=x.category)
        }
        assert in_sql == in_python and in_sql


def test_assigning_a_lead_who_does_not_answer_for_the_certificate_is_refused(certified, lighting):
    # rule Q-05: refused with the rule named, the lead named, nothing stored
    c, lt = certified, lighting
    for certificate in (lt.of_project, lt.of_category):
        with pytest.raises(ValidationError, match="Q-05") as refused:
            certificate_assign_lead(certificate=certificate, lead=c.lead_a, actor=c.b.admin)
        assert "孙负责 is not responsible for" in str(refused.value)
        assert refused.value.error_dict.keys() == {"lead"}
        certificate.refresh_from_db()
        assert certificate.responsible_lead is None and certificate.history.count() == 1
    with pytest.raises(ValidationError, match="Q-05"):
        certificate_assign_lead(certificate=c.loose, lead=lt.lead_c, actor=c.b.admin)
    c.loose.refresh_from_db()
    assert c.loose.responsible_lead is None


def test_a_lead_of_the_category_is_assigned_its_projects_certificates(certified, lighting):
    # rule Q-05: the positive cases, by the project's category and by the category
    c, lt = certified, lighting
    for certificate in (lt.of_project, lt.of_category):
        certificate_assign_lead(certificate=certificate, lead=lt.lead_c, actor=c.b.admin)
        certificate.refresh_from_db()
        assert certificate.responsible_lead == lt.lead_c
    certificate_assign_lead(certificate=c.loose, lead=c.lead_b, actor=c.b.candidate_account)
    c.loose.refresh_from_db()
    assert c.loose.responsible_lead == c.lead_b


def test_the_assign_screen_offers_only_the_leads_who_answer_for_the_certificate(
    certified, lighting, client
):
    # rule Q-05: the choices are cut; a forged choice is still refused by the service
    c, lt = certified, lighting
    client.force_login(c.b.candidate_account)
    url = reverse("quality_roles:certificate_lead", args=[lt.of_project.pk])
    page = client.get(url).content.decode()
    assert "郑负责" in page and "孙负责" not in page and "周负责" not in page
    page = client.get(reverse("quality_roles:certificate_lead", args=[c.loose.pk])).content.decode()
    assert "孙负责" in page and "周负责" in page and "郑负责" not in page
    forged = client.post(url, {"lead": c.lead_a.pk})
    assert forged.status_code == 400
    lt.of_project.refresh_from_db()
    assert lt.of_project.responsible_lead is None
    assert client.post(url, {"lead": lt.lead_c.pk}).status_code == 302
    lt.of_project.refresh_from_db()
    assert lt.of_project.responsible_lead == lt.lead_c


def test_the_assign_screen_keeps_a_current_lead_who_no_longer_answers_for_it(
    certified, lighting, client
):
    # rule Q-05: a lead set before the check stays a choice, so saving never drops it unasked
    c, lt = certified, lighting
    Certificate.objects.filter(pk=lt.of_project.pk).update(responsible_lead=c.lead_a)
    client.force_login(c.b.candidate_account)
    url = reverse("quality_roles:certificate_lead", args=[lt.of_project.pk])
    page = client.get(url).content.decode()
    assert "孙负责（现负责人，但不负责本证书的认证项目或产品类别）" in page
    assert client.post(url, {"lead": c.lead_a.pk, "comment": "核对"}).status_code == 302
    lt.of_project.refresh_from_db()
    assert lt.of_project.responsible_lead == c.lead_a


def test_the_hand_over_is_refused_naming_the_certificates_the_successor_does_not_answer_for(
    certified, lighting
):
    # rule Q-05: ending 郑负责 with 孙负责 (CCC-HA only) as successor: nothing changes
    c, lt = certified, lighting
    for certificate in (lt.of_project, lt.of_category):
        certificate_assign_lead(certificate=certificate, lead=lt.lead_c, actor=c.b.admin)
    with pytest.raises(ValidationError, match="Q-05") as refused:
        svc.lead_appointment_end(
            appointment=lt.lead_c, actor=c.b.admin, reason="调岗", successor=c.lead_a
        )
    message = str(refused.value)
    assert "孙负责" in message and "X-L1, X-L2" in message
    assert refused.value.error_dict.keys() == {"successor"}
    lt.lead_c.refresh_from_db()
    assert lt.lead_c.state == L.ACTIVE and lt.lead_c.successor is None
    assert set(Certificate.objects.filter(responsible_lead=lt.lead_c)) == {
        lt.of_project,
        lt.of_category,
    }


def test_the_hand_over_names_only_the_certificates_outside_the_successor_s_scope(
    certified, lighting
):
    # rule Q-05: a successor of the project but not of the category is refused for X-L2 only
    c, lt = certified, lighting
    for certificate in (lt.of_project, lt.of_category):
        certificate_assign_lead(certificate=certificate, lead=lt.lead_c, actor=c.b.admin)
    of_project_only = _lead(c, "王负责", projects=[lt.of_project.project])
    with pytest.raises(ValidationError, match="Q-05") as refused:
        svc.lead_appointment_end(
            appointment=lt.lead_c, actor=c.b.admin, reason="调岗", successor=of_project_only
        )
    assert "certificate X-L2:" in str(refused.value) and "X-L1" not in str(refused.value)


def test_a_long_hand_over_refusal_names_ten_certificates_and_counts_the_rest(certified, lighting):
    # rule Q-05: the refusal stays readable; still nothing changes
    c, lt = certified, lighting
    for n in range(12):
        CertificateFactory(
            body=c.b.body,
            number=f"X-M{n:02d}",
            project=lt.of_project.project,
            responsible_lead=lt.lead_c,
        )
    with pytest.raises(ValidationError, match="Q-05") as refused:
        svc.lead_appointment_end(
            appointment=lt.lead_c, actor=c.b.admin, reason="调岗", successor=c.lead_a
        )
    message = str(refused.value)
    assert "X-M00" in message and "X-M09" in message and "X-M10" not in message
    assert "and 2 more" in message
    assert Certificate.objects.filter(responsible_lead=lt.lead_c).count() == 12


def test_the_hand_over_goes_to_a_successor_who_answers_for_every_certificate(
    certified, lighting, client
):
    # rule Q-05: the positive case, through the end screen, in one step
    c, lt = certified, lighting
    for certificate in (lt.of_project, lt.of_category):
        certificate_assign_lead(certificate=certificate, lead=lt.lead_c, actor=c.b.admin)
    successor = _lead(c, "王负责", product_categories=[lt.of_category.category])
    client.force_login(c.b.candidate_account)
    url = reverse("quality_roles:lead_end", args=[lt.lead_c.pk])
    refused = client.post(url, {"reason": "调岗", "successor": c.lead_b.pk})
    assert refused.status_code == 400 and "Q-05" in refused.content.decode()
    done = client.post(url, {"reason": "调岗", "successor": successor.pk})
    assert done.status_code == 302
    lt.lead_c.refresh_from_db()
    assert lt.lead_c.state == L.ENDED and lt.lead_c.successor == successor
    assert set(Certificate.objects.filter(responsible_lead=successor)) == {
        lt.of_project,
        lt.of_category,
    }


def _row(row, number, code, lead) -> dict:
    return {
        "row": row,
        "number": number,
        "product": "LED 筒灯",
        "project": code,
        "state": "valid",
        "lead": lead.staff.person.id_number if lead else "",
    }


def test_an_imported_row_whose_lead_does_not_answer_for_its_project_is_a_row_error(
    certified, lighting
):
    # rule Q-05: the row names the lead and the project; all rows or none
    c, lt = certified, lighting
    rows = [
        _row(2, "I-1", "CCC-HA", c.lead_a),
        _row(3, "I-2", "CQC-LT", c.lead_a),
        _row(4, "I-3", "LT", c.lead_b),
        _row(5, "I-4", "CCC-HA", lt.lead_c),
    ]
    report = certificates_import(body=c.b.body, rows=rows, actor=c.b.admin, dry_run=True)
    errors = {r.row: " ".join(r.errors) for r in report.rows}
    assert errors[2] == ""
    assert "Q-05" in errors[3] and "孙负责 is not responsible for CQC-LT" in errors[3]
    assert "Q-05" in errors[4] and "周负责 is not responsible for LT" in errors[4]
    assert "Q-05" in errors[5] and "郑负责 is not responsible for CCC-HA" in errors[5]
    with pytest.raises(ValidationError, match="3 rows have problems"):
        certificates_import(body=c.b.body, rows=rows, actor=c.b.admin, dry_run=False)
    assert not Certificate.objects.filter(number__startswith="I-").exists()


def test_imported_rows_whose_lead_answers_for_them_are_imported(certified, lighting):
    # rule Q-05: by project, by the project's category, by the category, and without a lead
    c, lt = certified, lighting
    rows = [
        _row(2, "I-1", "CCC-HA", c.lead_a),
        _row(3, "I-2", "CQC-LT", lt.lead_c),
        _row(4, "I-3", "LT", lt.lead_c),
        _row(5, "I-4", "LT", None),
    ]
    report = certificates_import(body=c.b.body, rows=rows, actor=c.b.admin, dry_run=False)
    assert report.imported == 4
    leads = dict(
        Certificate.objects.filter(number__startswith="I-").values_list(
            "number", "responsible_lead"
        )
    )
    assert leads == {"I-1": c.lead_a.pk, "I-2": lt.lead_c.pk, "I-3": lt.lead_c.pk, "I-4": None}
