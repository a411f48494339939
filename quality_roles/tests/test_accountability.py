"""Accountability (Q-12): permissions suspended first, with a real effect in the portal;
investigation, measures, closure; no measure for a duty performed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from quality_roles import permissions
from quality_roles.constants import (
    AccountabilityGround,
    AccountabilityMeasureKind,
    AdviceAnswer,
    CaseState,
)
from quality_roles.models import BodyStaff
from quality_roles.services import appointments as appointment_svc
from quality_roles.services.accountability import (
    accountability_case_close,
    accountability_case_investigate,
    accountability_case_open,
    accountability_measure_decide,
    accountability_permissions_restore,
)
from quality_roles.services.advice import advice_answer_record, advice_give

from .oversight import directed, today  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _open(d, staff, **duties):
    return accountability_case_open(
        body=d.b.body,
        staff=staff,
        actor=d.b.admin,
        ground=AccountabilityGround.NEGLIGENCE,
        description="工厂检查记录与实际不符",
        **duties,
    )


def _suspended(staff) -> bool:
    return BodyStaff.objects.get(pk=staff.pk).permissions_suspended


def test_opening_a_case_suspends_the_person_first(directed):  # noqa: F811
    # rule Q-12: work permissions are suspended before the investigation
    case = _open(directed, directed.b.lead_a)
    assert case.state == CaseState.OPEN
    assert _suspended(directed.b.lead_a)
    assert case.permissions_suspended_at <= case.opened_at


def test_a_suspended_director_can_no_longer_act(directed, client):  # noqa: F811
    # rule Q-12: a real effect in the portal: the suspended director nominates no lead,
    # gives no advice, and the screens answer 403.
    b = directed.b
    assert permissions.can_nominate_lead(b.candidate_account, b.body)
    _open(directed, b.candidate)
    assert permissions.active_director_of(b.candidate_account, b.body) is None
    with pytest.raises(PermissionDenied):
        appointment_svc.lead_appointment_nominate(
            body=b.body, staff=b.lead_b, actor=b.candidate_account, projects=[directed.project]
        )
    with pytest.raises(PermissionDenied):
        advice_give(body=b.body, actor=b.candidate_account, subject="x", text="y")
    client.force_login(b.candidate_account)
    assert client.get(reverse("quality_roles:lead_nominate", args=[b.body.pk])).status_code == 403
    assert client.get(reverse("quality_roles:advice_give", args=[b.body.pk])).status_code == 403


def test_a_suspended_lead_acts_in_no_lead_role(directed):  # noqa: F811
    # rule Q-12: reports and evaluations go through ``active_lead_of``, which a suspended
    # lead no longer passes.
    b = directed.b
    assert permissions.active_lead_of(b.lead_a_account, b.body) == directed.lead
    _open(directed, b.lead_a)
    assert permissions.active_lead_of(b.lead_a_account, b.body) is None


def test_a_suspended_administrator_can_no_longer_manage_the_body(directed):  # noqa: F811
    # rule Q-12: the one check covers every role of the body, the administrator's too
    b = directed.b
    b.admin.refresh_from_db()
    b.other_candidate.person.user = b.admin
    b.other_candidate.person.save(update_fields=["user"])
    _open(directed, b.other_candidate)
    assert not permissions.can_manage_body(b.admin, b.body)


def test_a_warning_then_closure_restores_the_permissions(directed):  # noqa: F811
    # rule Q-12: investigated, a measure decided, closed; a warning gives the post back
    b = directed.b
    case = _open(directed, b.lead_a)
    with pytest.raises(ValidationError):  # no measure before the investigation
        accountability_measure_decide(case=case, actor=b.admin, kind="warning")
    accountability_case_investigate(case=case, actor=b.admin, investigation="记录补正迟延")
    measure = accountability_measure_decide(
        case=case, actor=b.admin, kind=AccountabilityMeasureKind.WARNING, detail="书面警告"
    )
    assert measure.decided_on == today()
    accountability_case_close(case=case, actor=b.admin, note="警告后恢复")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.permissions_restored_at is not None
    assert not _suspended(b.lead_a)
    assert permissions.active_lead_of(b.lead_a_account, b.body) == directed.lead


@pytest.mark.parametrize("kind", ["suspension", "removal", "dismissal", "transfer", "demotion"])
def test_a_measure_out_of_the_post_keeps_the_permissions_suspended(directed, kind):  # noqa: F811
    # rule Q-12: closure restores the permissions only where the measure allows
    b = directed.b
    case = _open(directed, b.lead_a)
    accountability_case_investigate(case=case, actor=b.admin, investigation="属实")
    accountability_measure_decide(case=case, actor=b.admin, kind=kind)
    accountability_case_close(case=case, actor=b.admin, note="结案")
    case.refresh_from_db()
    assert case.permissions_restored_at is None and _suspended(b.lead_a)
    if kind == "suspension":
        accountability_permissions_restore(case=case, actor=b.admin, reason="停职期满")
        assert not _suspended(b.lead_a)


def test_no_measure_against_the_director_for_advice_given(directed):  # noqa: F811
    # rule Q-12 (art. 16), rule Q-11: advice rejected without reason, then a case about it
    b = directed.b
    advice = advice_give(body=b.body, actor=b.candidate_account, subject="暂停项目", text="建议")
    advice_answer_record(
        advice=advice, actor=b.admin, answer=AdviceAnswer.REJECTED, answered_on=today()
    )
    case = _open(directed, b.candidate, duty_advice=advice)
    accountability_case_investigate(case=case, actor=b.admin, investigation="提出建议属履职")
    with pytest.raises(ValidationError) as error:
        accountability_measure_decide(case=case, actor=b.admin, kind="demotion")
    assert any(message.startswith("Q-12:") for message in error.value.messages)
    assert not case.measures.exists()
    accountability_case_close(case=case, actor=b.admin, note="履职行为，不予追责")
    assert not _suspended(b.candidate)


def test_a_case_names_only_a_duty_the_person_performed(directed):  # noqa: F811
    # rule Q-12: the duty link must be the person's own
    b = directed.b
    advice = advice_give(body=b.body, actor=b.candidate_account, subject="s", text="t")
    with pytest.raises(ValidationError) as error:
        _open(directed, b.lead_a, duty_advice=advice)
    assert "duty_advice" in error.value.error_dict
    assert not _suspended(b.lead_a)


def test_only_the_body_handles_its_cases(directed, world):  # noqa: F811
    # rule Q-12, rule Q-13: not the director, not another body, not an inspector
    b = directed.b
    for actor in (b.candidate_account, world.body_y_admin, world.inspector):
        with pytest.raises(PermissionDenied):
            accountability_case_open(
                body=b.body, staff=b.lead_a, actor=actor, ground="other", description="x"
            )
    assert not _suspended(b.lead_a)
