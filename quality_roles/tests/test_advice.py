"""The director's written advice and management's answer (Q-11)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqcportal.timeline import timeline_for
from quality_roles.constants import AdviceAnswer, AdviceState
from quality_roles.selectors import duty_done_advice
from quality_roles.services.advice import advice_answer_record, advice_give

from .oversight import directed, today  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _advice(d):
    return advice_give(
        body=d.b.body,
        actor=d.b.candidate_account,
        subject="增加见证检验频次",
        text="建议对家用电器项目的工厂检查增加见证检验。",
        given_on=today() - datetime.timedelta(days=3),
    )


def test_advice_rejected_without_a_reason_marks_the_duty_done(directed):  # noqa: F811
    # rule Q-11: the advice, the answer and its date are recorded; a rejection without a
    # reason marks the director as having done the duty.
    advice = _advice(directed)
    assert advice.state == AdviceState.GIVEN and advice.director == directed.director
    advice_answer_record(
        advice=advice,
        actor=directed.b.admin,
        answer=AdviceAnswer.REJECTED,
        answered_on=today(),
        answer_text="暂不采纳",
    )
    advice.refresh_from_db()
    assert advice.state == AdviceState.ANSWERED and advice.answered_on == today()
    assert advice.duty_deemed_done
    assert list(duty_done_advice(directed.director)) == [advice]
    assert any("done the duty" in entry.comment for entry in timeline_for(advice))


def test_advice_rejected_with_a_reason_or_accepted_is_not_the_duty_done(directed):  # noqa: F811
    # rule Q-11
    rejected, accepted = _advice(directed), _advice(directed)
    advice_answer_record(
        advice=rejected,
        actor=directed.b.admin,
        answer=AdviceAnswer.REJECTED,
        answered_on=today(),
        rejection_reason="检验资源已覆盖，见质量会议纪要",
    )
    advice_answer_record(
        advice=accepted,
        actor=directed.b.admin,
        answer=AdviceAnswer.ACCEPTED,
        answered_on=today(),
        rejection_reason="ignored",
    )
    rejected.refresh_from_db()
    accepted.refresh_from_db()
    assert not rejected.duty_deemed_done and not accepted.duty_deemed_done
    assert accepted.rejection_reason == ""
    assert not duty_done_advice(directed.director).exists()


def test_only_the_director_gives_advice_and_only_the_body_answers(directed, world):  # noqa: F811
    # rule Q-11: the director writes, management answers; nobody else does either
    for actor in (directed.b.admin, directed.b.lead_a_account, world.inspector):
        with pytest.raises(PermissionDenied):
            advice_give(body=directed.b.body, actor=actor, subject="x", text="y")
    advice = _advice(directed)
    for actor in (directed.b.candidate_account, world.inspector, world.body_y_admin):
        with pytest.raises(PermissionDenied):
            advice_answer_record(
                advice=advice, actor=actor, answer=AdviceAnswer.ACCEPTED, answered_on=today()
            )


def test_the_answer_cannot_come_before_the_advice_nor_twice(directed):  # noqa: F811
    # rule Q-11: the dates are the record
    advice = _advice(directed)
    with pytest.raises(ValidationError) as error:
        advice_answer_record(
            advice=advice,
            actor=directed.b.admin,
            answer=AdviceAnswer.ACCEPTED,
            answered_on=advice.given_on - datetime.timedelta(days=1),
        )
    assert "answered_on" in error.value.error_dict
    advice_answer_record(
        advice=advice, actor=directed.b.admin, answer=AdviceAnswer.ACCEPTED, answered_on=today()
    )
    with pytest.raises(ValidationError):
        advice_answer_record(
            advice=advice, actor=directed.b.admin, answer=AdviceAnswer.REJECTED, answered_on=today()
        )
