"""Q-10: a project's lead evaluates its external labs and proposes pausing or ending a
cooperation; the director approves or refuses it; a lead cannot approve."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quality_roles.constants import (
    CooperationState,
    LabEvaluationResult,
    ProposalAction,
    ProposalState,
)
from quality_roles.services import external_labs

from .duties import duties  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperation(duties):  # noqa: F811
    lab = external_labs.external_lab_register(
        body=duties.body, actor=duties.admin, name="某某检测技术有限公司"
    )
    return external_labs.lab_cooperation_start(lab=lab, actor=duties.admin, project=duties.project)


def _propose(cooperation, actor, action=ProposalAction.PAUSE):
    return external_labs.cooperation_proposal_submit(
        cooperation=cooperation, actor=actor, action=action, reason="比对试验结果偏差超限"
    )


def test_q10_the_projects_lead_evaluates_the_lab(duties, cooperation):  # noqa: F811
    evaluation = external_labs.lab_evaluation_record(
        cooperation=cooperation,
        actor=duties.lead_user,
        evaluated_on=timezone.localdate(),
        result=LabEvaluationResult.NEEDS_IMPROVEMENT,
        findings="报告签发延迟",
    )
    assert evaluation.lead == duties.lead
    for actor in (duties.director_user, duties.admin, duties.inspector):
        with pytest.raises(PermissionDenied, match="Q-10"):
            external_labs.lab_evaluation_record(
                cooperation=cooperation,
                actor=actor,
                evaluated_on=timezone.localdate(),
                result=LabEvaluationResult.SATISFACTORY,
            )


def test_q10_a_lead_cannot_approve_the_director_does(duties, cooperation):  # noqa: F811
    proposal = _propose(cooperation, duties.lead_user)
    for actor in (duties.lead_user, duties.admin, duties.inspector, duties.other_director_user):
        with pytest.raises(PermissionDenied, match="Q-10"):
            external_labs.cooperation_proposal_decide(proposal=proposal, actor=actor, approve=True)
    cooperation.refresh_from_db()
    assert cooperation.state == CooperationState.ACTIVE
    proposal = external_labs.cooperation_proposal_decide(
        proposal=proposal, actor=duties.director_user, approve=True, comment="同意暂停"
    )
    cooperation.refresh_from_db()
    assert proposal.state == ProposalState.APPROVED and proposal.director == duties.director
    assert cooperation.state == CooperationState.PAUSED


def test_q10_the_director_refuses_with_a_reason(duties, cooperation):  # noqa: F811
    proposal = _propose(cooperation, duties.lead_user, ProposalAction.END)
    with pytest.raises(ValidationError):
        external_labs.cooperation_proposal_decide(
            proposal=proposal, actor=duties.director_user, approve=False, comment=""
        )
    proposal = external_labs.cooperation_proposal_decide(
        proposal=proposal, actor=duties.director_user, approve=False, comment="先限期整改"
    )
    cooperation.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED
    assert cooperation.state == CooperationState.ACTIVE


def test_q10_one_open_proposal_per_cooperation(duties, cooperation):  # noqa: F811
    _propose(cooperation, duties.lead_user)
    with pytest.raises(ValidationError):
        _propose(cooperation, duties.lead_user, ProposalAction.END)
