"""The regulator's assessments of directors (Q-13): recorded by inspectors, published, a
failed one opening a rectification followed to its closure."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quality_roles.constants import AssessmentResult, RectificationSource, RectificationState
from quality_roles.selectors import published_assessments
from quality_roles.services.assessments import (
    assessment_publish,
    assessment_record,
    assessment_rectification_check,
    assessment_rectification_report,
)

from .oversight import directed, today  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def failed(d, inspector):
    return assessment_record(
        director=d.director,
        actor=inspector,
        result=AssessmentResult.FAILED,
        assessed_on=today(),
        findings="未按规定开展项目抽查",
        actions="制定抽查计划并实施",
        deadline=today() + datetime.timedelta(days=30),
    )


def test_a_failed_assessment_opens_a_rectification_followed_to_closure(directed, world):  # noqa: F811
    # rule Q-13: a failed assessment requires rectification, tracked to its closure
    assessment = failed(directed, world.inspector)
    order = assessment.rectification_orders.get()
    assert order.source == RectificationSource.ASSESSMENT and order.body == directed.b.body
    assert order.state == RectificationState.OPEN
    with pytest.raises(PermissionDenied):  # the inspector checks, the body reports
        assessment_rectification_report(order=order, actor=world.inspector, report="x")
    assessment_rectification_report(
        order=order, actor=directed.b.candidate_account, report="抽查计划已实施"
    )
    with pytest.raises(PermissionDenied):
        assessment_rectification_check(
            order=order, actor=directed.b.admin, effective=True, check="x"
        )
    assessment_rectification_check(
        order=order, actor=world.inspector, effective=False, check="记录不全"
    )
    order.refresh_from_db()
    assert order.state == RectificationState.OPEN
    assessment_rectification_report(order=order, actor=directed.b.admin, report="补全记录")
    assessment_rectification_check(order=order, actor=world.inspector, effective=True, check="有效")
    order.refresh_from_db()
    assert order.state == RectificationState.CLOSED and order.closed_at is not None


def test_a_failed_assessment_without_the_rectification_is_refused(directed, world):  # noqa: F811
    # rule Q-13
    with pytest.raises(ValidationError) as error:
        assessment_record(
            director=directed.director,
            actor=world.inspector,
            result=AssessmentResult.FAILED,
            assessed_on=today(),
            findings="问题",
        )
    assert any(message.startswith("Q-13:") for message in error.value.messages)
    assert not directed.director.assessments.exists()


def test_a_passed_assessment_is_published_once(directed, world):  # noqa: F811
    # rule Q-13: results are recorded and published
    assessment = assessment_record(
        director=directed.director,
        actor=world.inspector,
        result=AssessmentResult.PASSED,
        assessed_on=today(),
    )
    assert not assessment.rectification_orders.exists()
    assert not published_assessments().exists()
    assessment_publish(assessment=assessment, actor=world.inspector)
    assert list(published_assessments()) == [assessment]
    with pytest.raises(ValidationError):
        assessment_publish(assessment=assessment, actor=world.inspector)


def test_only_inspectors_record_and_publish(directed, world):  # noqa: F811
    # rule Q-13: the body does not assess its own director
    for actor in (directed.b.admin, directed.b.candidate_account, world.body_y_admin):
        with pytest.raises(PermissionDenied):
            assessment_record(
                director=directed.director,
                actor=actor,
                result=AssessmentResult.PASSED,
                assessed_on=today(),
            )
    assessment = failed(directed, world.inspector)
    with pytest.raises(PermissionDenied):
        assessment_publish(assessment=assessment, actor=directed.b.admin)
