"""The screens and the API of advice, accountability and the regulator (Q-11, Q-12, Q-13):
the public results page, the lists' filters and downloads, a suspension's effect on the
screens, the read-only API and its scope."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from directory.tests.factories import UserFactory
from quality_roles.constants import AdviceAnswer, AssessmentResult
from quality_roles.models import BodyStaff, DirectorAssessment
from quality_roles.services.advice import advice_answer_record, advice_give
from quality_roles.services.assessments import assessment_publish, assessment_record

from .oversight import directed, today  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _assess(d, inspector, result=AssessmentResult.PASSED, publish=True):
    extra = {}
    if result == AssessmentResult.FAILED:
        extra = {"findings": "未抽查", "actions": "整改", "deadline": today()}
    assessment = assessment_record(
        director=d.director, actor=inspector, result=result, assessed_on=today(), **extra
    )
    if publish:
        assessment_publish(assessment=assessment, actor=inspector)
    return assessment


def test_the_public_page_shows_published_results_alone(client, directed, world):  # noqa: F811
    # rule Q-13: published on a public page: name, body and result, no sign-in
    shown = _assess(directed, world.inspector, AssessmentResult.FAILED)
    _assess(directed, world.inspector, publish=False)
    page = client.get(reverse("quality_roles:assessment_results"))
    assert page.status_code == 200
    assert list(page.context["assessments"]) == [shown]
    text = page.content.decode()
    person = directed.b.candidate.person
    assert person.name in text and directed.b.body.name in text
    assert person.id_number not in text and person.id_number[-6:] not in text
    assert "未抽查" not in text  # the findings stay with the regulator and the body


def test_the_public_page_is_paginated(client, directed, world):  # noqa: F811
    # rule Q-13
    DirectorAssessment.objects.bulk_create(
        DirectorAssessment(
            body=directed.b.body,
            director=directed.director,
            inspector=world.inspector,
            assessed_on=today(),
            result="passed",
            published_at=timezone.now(),
        )
        for _ in range(51)
    )
    first = client.get(reverse("quality_roles:assessment_results"))
    second = client.get(reverse("quality_roles:assessment_results") + "?page=2")
    assert len(first.context["assessments"]) == 50 and len(second.context["assessments"]) == 1
    assert client.get(reverse("quality_roles:assessment_results") + "?page=x").status_code == 404


def test_the_director_page_shows_the_duty_done(client, directed, world):  # noqa: F811
    # rule Q-11: recorded, shown on the director's page and in the assessments
    d = directed
    advice = advice_give(body=d.b.body, actor=d.b.candidate_account, subject="停检", text="建议")
    advice_answer_record(
        advice=advice, actor=d.b.admin, answer=AdviceAnswer.REJECTED, answered_on=today()
    )
    client.force_login(world.inspector)
    page = client.get(reverse("quality_roles:director_detail", args=[d.director.pk]))
    assert b'data-testid="duty-done"' in page.content
    listing = client.get(reverse("quality_roles:advice_list") + "?duty_done=true")
    assert list(listing.context["advice_list"]) == [advice]
    assert (
        client.get(reverse("quality_roles:advice_list") + "?duty_done=false")
        .context["advice_list"]
        .count()
        == 0
    )


def test_the_advice_download_neutralises_formulas(client, directed):  # noqa: F811
    # rule Q-11, issue 9: CSV cells never start a formula
    d = directed
    advice_give(
        body=d.b.body, actor=d.b.candidate_account, subject='=HYPERLINK("http://x")', text="t"
    )
    client.force_login(d.b.admin)
    response = client.get(reverse("quality_roles:advice_export", args=["csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    xlsx = client.get(reverse("quality_roles:cases_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("quality_roles:cases_export", args=["pdf"])).status_code == 404


def test_opening_a_case_on_screen_suspends_the_director(client, directed):  # noqa: F811
    # rule Q-12: through the screen, then the director's own screens refuse
    d = directed
    client.force_login(d.b.admin)
    response = client.post(
        reverse("quality_roles:case_open", args=[d.b.body.pk]),
        {"staff": d.b.candidate.pk, "ground": "negligence", "description": "记录不实"},
    )
    assert response.status_code == 302
    assert BodyStaff.objects.get(pk=d.b.candidate.pk).permissions_suspended
    case_page = client.get(response.url)
    assert b'data-testid="suspended"' in case_page.content
    client.force_login(d.b.candidate_account)
    url = reverse("quality_roles:advice_give", args=[d.b.body.pk])
    assert client.post(url, {"subject": "s", "text": "t"}).status_code == 403


def test_a_failed_assessment_on_screen_opens_its_rectification(client, directed, world):  # noqa: F811
    # rule Q-13: recorded by the inspector, the rectification shown and followed
    d = directed
    client.force_login(world.inspector)
    url = reverse("quality_roles:assessment_record", args=[d.director.pk])
    refused = client.post(url, {"result": "failed", "assessed_on": today().isoformat()})
    assert refused.status_code == 400 and b"Q-13" in refused.content
    done = client.post(
        url,
        {
            "result": "failed",
            "assessed_on": today().isoformat(),
            "findings": "未开展抽查",
            "actions": "制定计划",
            "deadline": today().isoformat(),
        },
    )
    assert done.status_code == 302
    page = client.get(done.url)
    assert b'data-testid="rectification"' in page.content
    assert page.context["orders"][0]["order"].state == "open"


def test_the_screens_read_in_chinese(client, directed, world):  # noqa: F811
    # rule Q-13: zh-hans first
    client.force_login(world.inspector)
    with translation.override("zh-hans"):
        page = client.get(reverse("quality_roles:assessments_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "认证质量总监考核".encode() in page.content


# --- the API ------------------------------------------------------------------------------


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_the_api_lets_inspectors_read_every_body(client, directed, world):  # noqa: F811
    # rule Q-13: read-only, every body for inspectors
    assessment = _assess(directed, world.inspector, AssessmentResult.FAILED)
    client.force_login(world.inspector)
    base = "/api/v1/quality-roles/"
    assert _ids(client.get(base + "bodies/")) == {world.body_x.pk, world.body_y.pk}
    assert _ids(client.get(base + "directors/")) == {directed.director.pk}
    assert _ids(client.get(base + "leads/")) == {directed.lead.pk}
    row = client.get(base + f"assessments/{assessment.pk}/").json()
    assert row["result"] == "failed" and row["rectification_states"] == ["open"]
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(base + "assessments/").status_code == 405
    assert client.delete(base + f"bodies/{world.body_x.pk}/").status_code == 405


def test_the_api_is_scoped_to_the_callers_body(client, directed, world):  # noqa: F811
    # rule Q-13: body users see their own body only; others nothing
    base = "/api/v1/quality-roles/"
    client.force_login(world.body_y_admin)
    assert _ids(client.get(base + "bodies/")) == {world.body_y.pk}
    assert _ids(client.get(base + "directors/")) == set()
    assert client.get(base + f"directors/{directed.director.pk}/").status_code == 404
    client.force_login(world.lab_a_staff)
    assert _ids(client.get(base + "bodies/")) == set()
    client.force_login(UserFactory(username="trainer", role="training_admin"))
    assert _ids(client.get(base + "leads/")) == set()
    client.logout()
    assert client.get(base + "bodies/").status_code in (401, 403)


def test_the_api_is_in_the_schema(client):
    # rule Q-13
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/v1/quality-roles/assessments/" in paths
    assert set(paths["/api/v1/quality-roles/assessments/"]) == {"get"}
