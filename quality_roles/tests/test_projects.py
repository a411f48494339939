"""The certification projects' screens: who sees and keeps them (Q-09, Q-13), what a
project's page shows (its leads (Q-09), coverage (Q-05), labs (Q-10), a pause (Q-08)), the
list's filters, query count and download."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from directory import registry
from quality_roles.constants import MeasureKind, ProjectState
from quality_roles.models import CertificationProject
from quality_roles.services.appointments import lead_appointment_end
from quality_roles.services.bodies import (
    certification_project_create,
    certification_project_update,
    product_category_create,
)
from quality_roles.services.external_labs import external_lab_register, lab_cooperation_start
from quality_roles.services.powers import director_measure_take

from .factories import CertificateFactory, CertificationProjectFactory

pytestmark = pytest.mark.django_db

LIST = reverse("quality_roles:project_list")


def _detail(project):
    return reverse("quality_roles:project_detail", args=[project.pk])


def _edit(project):
    return reverse("quality_roles:project_edit", args=[project.pk])


def _create(body):
    return reverse("quality_roles:project_create", args=[body.pk])


def _codes(response):
    return sorted(p.code for p in response.context["rows"])


# --- scope ----------------------------------------------------------------------------------


def test_a_body_sees_and_keeps_its_own_projects_and_never_another_bodys(certified, client, world):
    # rule Q-09: a body's projects are its own; another body's answer 404 (Q-13 scope)
    c = certified
    foreign = CertificationProjectFactory(body=world.body_y, code="Y-1", name="乙项目")
    client.force_login(c.b.admin)
    assert _codes(client.get(LIST)) == ["CCC-HA"]
    assert client.get(_detail(foreign)).status_code == 404
    for url in (_edit(foreign), _create(world.body_y)):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"code": "HACK", "name": "x"}).status_code == 404, url
    foreign.refresh_from_db()
    assert (foreign.code, foreign.name) == ("Y-1", "乙项目")
    assert not CertificationProject.objects.filter(code="HACK").exists()
    export = client.get(reverse("quality_roles:project_export_csv")).content.decode("utf-8-sig")
    assert "CCC-HA" in export and "Y-1" not in export
    # Body Y's administrator, the other way round.
    client.force_login(world.body_y_admin)
    assert _codes(client.get(LIST)) == ["Y-1"]
    assert client.get(_detail(c.project)).status_code == 404


def test_inspectors_read_every_bodys_projects_and_change_none(certified, client, world):
    # rule Q-13: inspectors read every body and write nothing but assessments
    c = certified
    foreign = CertificationProjectFactory(body=world.body_y, code="Y-1")
    client.force_login(world.inspector)
    assert _codes(client.get(LIST)) == ["CCC-HA", "Y-1"]
    page = client.get(_detail(c.project))
    assert page.status_code == 200
    assert _edit(c.project).encode() not in page.content
    assert _create(c.b.body).encode() not in client.get(LIST).content
    for url in (_edit(c.project), _edit(foreign), _create(c.b.body)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"code": "INSP", "name": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        certification_project_create(body=c.b.body, actor=world.inspector, code="INSP", name="x")
    with pytest.raises(PermissionDenied):
        certification_project_update(
            project=c.project, actor=world.inspector, code="INSP", name="x", category=None
        )
    assert not CertificationProject.objects.filter(code="INSP").exists()


def test_a_lead_reads_the_projects_but_creates_and_changes_none(certified, client):
    # rule Q-09: the administrator or the director keeps the projects a lead answers for
    c = certified
    client.force_login(c.b.lead_a_account)
    assert client.get(_detail(c.project)).status_code == 200
    assert client.get(_create(c.b.body)).status_code == 403
    assert client.post(_create(c.b.body), {"code": "LEAD", "name": "x"}).status_code == 403
    assert client.post(_edit(c.project), {"code": "LEAD", "name": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        certification_project_create(body=c.b.body, actor=c.b.lead_a_account, code="LEAD", name="x")
    assert not CertificationProject.objects.filter(code="LEAD").exists()
    c.project.refresh_from_db()
    assert c.project.code == "CCC-HA"


def test_the_administrator_creates_and_the_director_changes_a_project(certified, client):
    # rule Q-09: either keeps the body's projects; every change is in the timeline
    c = certified
    category = product_category_create(body=c.b.body, actor=c.b.admin, code="LT", name="照明")
    client.force_login(c.b.admin)
    response = client.post(
        _create(c.b.body), {"code": " CCC-LT ", "name": "照明电器", "category": category.pk}
    )
    project = CertificationProject.objects.get(body=c.b.body, code="CCC-LT")
    assert response.status_code == 302 and response["Location"] == _detail(project)
    assert (project.name, project.category, project.state) == ("照明电器", category, "active")
    client.force_login(c.b.candidate_account)
    response = client.post(_edit(project), {"code": "CCC-LT", "name": "照明电器产品"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "照明电器产品" and project.category is None
    assert project.history.count() == 2
    assert [r.history_user for r in project.history.order_by("history_date")] == [
        c.b.admin,
        c.b.candidate_account,
    ]
    page = client.get(_detail(project)).content.decode()
    assert "照明电器产品" in page and _edit(project) in page


def test_bad_input_is_a_form_error_and_nothing_is_stored(certified, client, world):
    # rule Q-09: a project's code names it once in its body, its text within its limits
    c = certified
    client.force_login(c.b.admin)
    before = CertificationProject.objects.count()
    too_long = client.post(_create(c.b.body), {"code": "NEW", "name": "名" * 201})
    assert too_long.status_code == 400 and "name" in too_long.context["form"].errors
    long_code = client.post(_create(c.b.body), {"code": "C" * 41, "name": "x"})
    assert long_code.status_code == 400 and "code" in long_code.context["form"].errors
    for code in ("CCC-HA", "ccc-ha", " CCC-HA "):
        duplicate = client.post(_create(c.b.body), {"code": code, "name": "重复"})
        assert duplicate.status_code == 400, code
        assert "code" in duplicate.context["form"].errors, code
    empty = client.post(_create(c.b.body), {"code": "  ", "name": "x"})
    assert empty.status_code == 400
    assert CertificationProject.objects.count() == before
    # A change to another project's code is refused the same way.
    other = certification_project_create(body=c.b.body, actor=c.b.admin, code="OTHER", name="o")
    response = client.post(_edit(other), {"code": "CCC-HA", "name": "o"})
    assert response.status_code == 400 and "code" in response.context["form"].errors
    other.refresh_from_db()
    assert other.code == "OTHER"
    # Another body may use the same code; a category of another body is refused.
    foreign_category = product_category_create(
        body=world.body_y, actor=world.body_y_admin, code="YC", name="乙"
    )
    certification_project_create(
        body=world.body_y, actor=world.body_y_admin, code="CCC-HA", name="y"
    )
    with pytest.raises(Exception, match="category"):
        certification_project_update(
            project=other, actor=c.b.admin, code="OTHER", name="o", category=foreign_category
        )
    response = client.post(
        _edit(other), {"code": "OTHER", "name": "o", "category": foreign_category.pk}
    )
    assert response.status_code == 400 and "category" in response.context["form"].errors


# --- the project's page ---------------------------------------------------------------------


def test_the_page_shows_leads_coverage_labs_and_a_pause(certified, client):
    # rules: what answers for the project and what was done to it
    c = certified
    lead_appointment_end(appointment=c.lead_b, actor=c.b.admin, reason="调岗", leave_uncovered=True)
    lab = external_lab_register(body=c.b.body, actor=c.b.admin, name="华测检测")
    lab_cooperation_start(lab=lab, actor=c.b.admin, project=c.project)
    client.force_login(c.b.candidate_account)
    page = client.get(_detail(c.project))
    context = page.context
    assert [(lead, lead.state) for lead in context["leads"]] == [
        (c.lead_a, "active"),
        (c.lead_b, "ended"),
    ]
    assert all(lead.by_project for lead in context["leads"])
    text = page.content.decode()
    assert text.count('data-testid="lead-in-office"') == 1
    # Five certificates; X-00 and X-B1 (its lead ended) are uncovered, as coverage says.
    assert (context["certificate_count"], context["valid_count"]) == (5, 4)
    assert context["uncovered_count"] == 2
    assert "华测检测" in text
    pause_link = reverse("quality_roles:measure_create", args=[c.b.body.pk])
    assert pause_link in text
    measure = director_measure_take(
        body=c.b.body,
        actor=c.b.candidate_account,
        kind=MeasureKind.PAUSE_PROJECT,
        project=c.project,
        reason="抽查发现问题",
    )
    page = client.get(_detail(c.project))
    text = page.content.decode()
    assert page.context["project"].state == ProjectState.PAUSED
    assert reverse("quality_roles:measure_detail", args=[measure.pk]) in text
    assert pause_link not in text  # already paused; lifting is on the measure's page
    assert page.context["timeline"]  # the pause is in the project's history


def test_a_lead_of_the_category_answers_for_the_project_too(certified, client):
    # rule Q-09: a lead may be responsible for a whole product category
    c = certified
    category = product_category_create(body=c.b.body, actor=c.b.admin, code="LT", name="照明")
    project = certification_project_create(
        body=c.b.body, actor=c.b.admin, code="CCC-LT", name="照明", category=category
    )
    c.lead_a.product_categories.add(category)
    client.force_login(c.b.admin)
    (lead,) = client.get(_detail(project)).context["leads"]
    assert lead == c.lead_a and not lead.by_project
    row = next(p for p in client.get(LIST).context["rows"] if p.pk == project.pk)
    assert row.active_lead_count == 1


def test_the_certificate_and_the_lead_link_to_the_project(certified, client):
    # rules
    c = certified
    client.force_login(c.b.admin)
    certificate = reverse("quality_roles:certificate_detail", args=[c.of_a[0].pk])
    lead = reverse("quality_roles:lead_detail", args=[c.lead_a.pk])
    for url in (certificate, lead):
        assert _detail(c.project) in client.get(url).content.decode(), url


# --- the list -------------------------------------------------------------------------------


def test_the_list_filters_by_text_category_state_and_coverage(certified, client):
    # rules
    c = certified
    category = product_category_create(body=c.b.body, actor=c.b.admin, code="LT", name="照明")
    certification_project_create(
        body=c.b.body, actor=c.b.admin, code="CCC-LT", name="灯具", category=category
    )
    director_measure_take(
        body=c.b.body,
        actor=c.b.candidate_account,
        kind=MeasureKind.PAUSE_PROJECT,
        project=c.project,
        reason="r",
    )
    client.force_login(c.b.admin)
    assert _codes(client.get(LIST, {"q": "灯"})) == ["CCC-LT"]
    assert _codes(client.get(LIST, {"category": category.pk})) == ["CCC-LT"]
    assert _codes(client.get(LIST, {"state": "paused"})) == ["CCC-HA"]
    assert _codes(client.get(LIST, {"uncovered": "true"})) == ["CCC-HA"]
    assert _codes(client.get(LIST, {"uncovered": "false"})) == ["CCC-LT"]
    row = next(p for p in client.get(LIST).context["rows"] if p.code == "CCC-HA")
    assert (row.certificate_count, row.uncovered_count, row.active_lead_count) == (5, 1, 2)
    # A malformed filter answers the page, not an error.
    bad = {"category": "x", "state": "nope", "q": "9" * 500, "body": "-1"}
    assert client.get(LIST, bad).status_code == 200


@pytest.mark.parametrize("size", [2, 40])
def test_the_list_costs_the_same_queries_whatever_its_size(
    certified, client, django_assert_max_num_queries, size
):
    # rule Q-05: counts of certificates and coverage come with the page's one query
    c = certified
    for project in CertificationProjectFactory.create_batch(size, body=c.b.body):
        CertificateFactory.create_batch(2, body=c.b.body, project=project)
        c.lead_a.projects.add(project)
    client.force_login(c.b.candidate_account)
    client.get(LIST)  # the session and the translations are warm
    with django_assert_max_num_queries(QUERIES_PER_PAGE):
        assert client.get(LIST).status_code == 200


#: Session, user, the count, the page's rows (counts included), the user's body and the
#: director's appointment (the create link), the signed-in person (the page's frame) and the
#: two filters' choices (categories, bodies): none of them grows with the list.
QUERIES_PER_PAGE = 10


def test_the_export_neutralises_formulas(certified, client):
    # rule Q-05: the list as a file; a name typed as a formula is text
    c = certified
    certification_project_create(
        body=c.b.body, actor=c.b.admin, code="F1", name='=HYPERLINK("http://x")'
    )
    client.force_login(c.b.admin)
    response = client.get(reverse("quality_roles:project_export_csv"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    formula = next(row for row in rows if row[1] == "F1")
    assert formula[2] == '\'=HYPERLINK("http://x")'
    ha = next(row for row in rows if row[1] == "CCC-HA")
    assert ha[6:9] == ["5", "1", "2"]
    xlsx = client.get(reverse("quality_roles:project_export_xlsx"))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_the_menu_offers_the_projects_in_chinese_first(certified):
    # rule Q-09: body staff and inspectors find the projects from the menu
    c = certified
    for user in (c.b.admin, c.b.lead_a_account, c.b.candidate_account):
        entries = {e.url_name: e for e in registry.menu_entries(user)}
        assert "quality_roles:project_list" in entries
    label = entries["quality_roles:project_list"].label
    with translation.override("zh-hans"):
        assert str(label) == "认证项目"
    with translation.override("en"):
        assert str(label) == "Certification projects"


def test_the_pages_read_in_chinese(certified, client):
    # rule Q-09: the screens in Chinese first
    c = certified
    client.force_login(c.b.admin)
    with translation.override("zh-hans"):
        detail = client.get(_detail(c.project), HTTP_ACCEPT_LANGUAGE="zh-hans")
        listing = client.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans")
        form = client.get(_edit(c.project), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = detail.content.decode()
    assert "认证项目质量负责人（Q-09）" in text and "外部检验检测机构（Q-10）" in text
    assert "Project quality leads" not in text and "in office" not in text
    assert "在任项目质量负责人" in listing.content.decode()
    assert "修改认证项目" in form.content.decode()
