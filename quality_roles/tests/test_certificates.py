"""Certificates and coverage (Q-05): what is uncovered, the director's lists, assigning a
certificate's lead, and ending a lead's appointment with or without a successor."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cqcportal.timeline import timeline_for
from directory.dashboard import cards_for
from quality_roles import coverage
from quality_roles.constants import LeadAppointmentState as L
from quality_roles.models import Certificate
from quality_roles.services import appointments as svc
from quality_roles.services.certificates import certificate_assign_lead

from .factories import CertificateFactory, LeadAppointmentFactory

pytestmark = pytest.mark.django_db


def test_coverage_is_every_valid_certificate_with_a_lead_in_office(certified, world):
    # rule Q-05: no lead, or a lead no longer in office, is uncovered; expired ones are not
    c = certified
    ended = LeadAppointmentFactory(body=c.b.body, nominated_under=c.director, ended=True)
    old = CertificateFactory(body=c.b.body, project=c.project, responsible_lead=ended)
    CertificateFactory(body=world.body_y, responsible_lead=None)
    assert set(coverage.uncovered_certificates(body=c.b.body)) == {c.loose, old}
    assert coverage.is_uncovered(c.loose) and not coverage.is_uncovered(c.of_a[0])
    assert set(coverage.would_uncover(c.lead_a)) == set(c.of_a)
    # The compiled count is the same definition (the dashboard's and the body page's).
    assert coverage.uncovered_count(body=c.b.body) == 2
    assert coverage.uncovered_count(body=world.body_y) == 1


def test_the_director_sees_the_uncovered_certificates_on_the_dashboard_and_body_page(
    certified, client
):
    # rule Q-05: the count card and the body's page list what is uncovered
    c = certified
    card = next(
        x for x in cards_for(c.b.candidate_account) if "Q-05" in x.title and x.count is not None
    )
    assert card.count == 1 and card.items[0][0].startswith("X-00")
    client.force_login(c.b.candidate_account)
    page = client.get(reverse("quality_roles:body_detail", args=[c.b.body.pk])).content.decode()
    assert 'data-testid="uncovered-count">1<' in page and "X-00" in page
    listed = client.get(reverse("quality_roles:certificate_list"), {"coverage": "uncovered"})
    assert [x.number for x in listed.context["certificates"]] == ["X-00"]
    chinese = client.get(
        reverse("quality_roles:certificate_list"),
        {"coverage": "uncovered"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "证书编号" in chinese and "无负责人（Q-05）" in chinese


def test_ending_a_lead_shows_what_it_would_uncover_and_asks_for_the_successor(certified, client):
    # rule Q-05: the end screen lists the lead's certificates before the end is done
    c = certified
    client.force_login(c.b.candidate_account)
    url = reverse("quality_roles:lead_end", args=[c.lead_a.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="would-uncover"' in page and "X-A1" in page and "X-A2" in page
    assert 'name="successor"' in page and "周负责" in page
    # Without a successor and without confirming, nothing is done and Q-05 is named.
    refused = client.post(url, {"reason": "调岗"})
    assert refused.status_code == 400 and "Q-05" in refused.content.decode()
    c.lead_a.refresh_from_db()
    assert c.lead_a.state == L.ACTIVE
    done = client.post(url, {"reason": "调岗", "successor": c.lead_b.pk})
    assert done.status_code == 302
    c.lead_a.refresh_from_db()
    assert c.lead_a.state == L.ENDED and c.lead_a.successor == c.lead_b
    assert set(Certificate.objects.filter(responsible_lead=c.lead_b)) == {*c.of_a, *c.of_b}
    assert set(coverage.uncovered_certificates(body=c.b.body)) == {c.loose}
    # Each certificate's timeline says who handed it over.
    entry = timeline_for(c.of_a[0])[0]
    assert "Q-05" in entry.comment and entry.changes[0][2].startswith("周负责")


def test_the_successor_must_be_a_lead_in_office_of_the_same_body(certified, world):
    # rule Q-05: refused with the rule named; nothing changes
    c = certified
    foreign = LeadAppointmentFactory(body=world.body_y, active=True)
    nominated = LeadAppointmentFactory(body=c.b.body, nominated_under=c.director)
    for successor in (foreign, nominated, c.lead_a):
        with pytest.raises(ValidationError) as refused:
            svc.lead_appointment_end(
                appointment=c.lead_a, actor=c.b.admin, reason="离职", successor=successor
            )
        assert "Q-05" in str(refused.value)
    c.lead_a.refresh_from_db()
    assert c.lead_a.state == L.ACTIVE
    assert set(Certificate.objects.filter(responsible_lead=c.lead_a)) == set(c.of_a)


def test_a_lead_may_be_ended_leaving_the_certificates_uncovered_when_confirmed(certified):
    # rule Q-05: they show up as uncovered at once
    c = certified
    svc.lead_appointment_end(
        appointment=c.lead_b, actor=c.b.admin, reason="离职", leave_uncovered=True
    )
    assert set(coverage.uncovered_certificates(body=c.b.body)) == {c.loose, *c.of_b}


def test_the_director_or_the_administrator_assigns_a_lead_and_a_lead_cannot(certified, world):
    # rule Q-05: the responsible lead is a lead in office of the body
    c = certified
    certificate_assign_lead(certificate=c.loose, lead=c.lead_a, actor=c.b.candidate_account)
    assert coverage.uncovered_certificates(body=c.b.body).count() == 0
    certificate_assign_lead(certificate=c.loose, lead=c.lead_b, actor=c.b.admin, comment="分工")
    c.loose.refresh_from_db()
    assert c.loose.responsible_lead == c.lead_b
    with pytest.raises(PermissionDenied):
        certificate_assign_lead(certificate=c.loose, lead=c.lead_a, actor=c.b.lead_a_account)
    with pytest.raises(PermissionDenied):
        certificate_assign_lead(certificate=c.loose, lead=c.lead_a, actor=world.body_y_admin)
    with pytest.raises(PermissionDenied):
        certificate_assign_lead(certificate=c.loose, lead=c.lead_a, actor=world.inspector)
    foreign = LeadAppointmentFactory(body=world.body_y, active=True)
    with pytest.raises(ValidationError, match="Q-05"):
        certificate_assign_lead(certificate=c.loose, lead=foreign, actor=c.b.admin)
    c.loose.refresh_from_db()
    assert c.loose.responsible_lead == c.lead_b


def test_the_assign_screen_is_the_director_s_not_the_lead_s(certified, client):
    # rule Q-05
    c = certified
    url = reverse("quality_roles:certificate_lead", args=[c.loose.pk])
    client.force_login(c.b.lead_a_account)
    assert client.get(url).status_code == 403
    assert client.post(url, {"lead": c.lead_a.pk}).status_code == 403
    client.force_login(c.b.candidate_account)
    assert client.post(url, {"lead": c.lead_a.pk}).status_code == 302
    c.loose.refresh_from_db()
    assert c.loose.responsible_lead == c.lead_a


def test_body_staff_see_their_body_and_inspectors_every_body_read_only(certified, client, world):
    # rule Q-05: the list and the page are scoped; the assign link is the body's only
    c = certified
    CertificateFactory(body=world.body_y, number="Y-1")
    list_url = reverse("quality_roles:certificate_list")
    client.force_login(world.body_y_admin)
    assert [x.number for x in client.get(list_url).context["certificates"]] == ["Y-1"]
    detail = reverse("quality_roles:certificate_detail", args=[c.loose.pk])
    assert client.get(detail).status_code == 404
    client.force_login(world.inspector)
    assert client.get(list_url).context["paginator"].count == 6
    page = client.get(detail).content.decode()
    assert (
        "X-00" in page and reverse("quality_roles:certificate_lead", args=[c.loose.pk]) not in page
    )
    assert client.get(reverse("quality_roles:certificate_import")).status_code == 403


def test_the_list_filters_by_state_lead_project_and_coverage(certified, client):
    # rule Q-05
    c = certified
    client.force_login(c.b.admin)
    url = reverse("quality_roles:certificate_list")

    def numbers(**query):
        return sorted(x.number for x in client.get(url, query).context["certificates"])

    assert numbers(lead=c.lead_a.pk) == ["X-A1", "X-A2"]
    assert numbers(state="expired") == ["X-EX"]
    assert numbers(project=c.project.pk, coverage="covered") == ["X-A1", "X-A2", "X-B1", "X-EX"]
    assert numbers(number="X-A") == ["X-A1", "X-A2"]
    # A malformed filter answers the page, not an error.
    assert client.get(url, {"lead": "x", "state": "nope", "number": "9" * 500}).status_code == 200


@pytest.mark.parametrize("size", [3, 60])
def test_the_list_costs_the_same_queries_whatever_its_size(
    certified, client, django_assert_num_queries, size
):
    # rule Q-05: the director's list, page 1, with every filter's choices
    c = certified
    CertificateFactory.create_batch(
        size, body=c.b.body, project=c.project, responsible_lead=c.lead_b
    )
    client.force_login(c.b.candidate_account)
    url = reverse("quality_roles:certificate_list")
    client.get(url)  # the session and the translations are warm
    with django_assert_num_queries(QUERIES_PER_PAGE):
        assert client.get(url).status_code == 200


#: Session, user, the count, the page's rows (all they show joined), the user's body and the
#: director's appointment (the import link), the signed-in person (the page's frame) and the
#: three filters' choices: none of them grows with the list (bench/quality_coverage.py).
QUERIES_PER_PAGE = 10


def test_the_export_neutralises_formulas(certified, client):
    # rule Q-05: the list as a file; a product typed as a formula is text
    c = certified
    CertificateFactory(
        body=c.b.body, number="X-F", project=c.project, product='=HYPERLINK("http://x")'
    )
    client.force_login(c.b.admin)
    response = client.get(
        reverse("quality_roles:certificate_export_csv"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    formula = next(row for row in rows if row[0] == "X-F")
    assert formula[2] == '\'=HYPERLINK("http://x")'
    loose = next(row for row in rows if row[0] == "X-00")
    assert loose[8] == "uncovered"
    xlsx = client.get(reverse("quality_roles:certificate_export_xlsx"))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
