"""Q-10: a project's lead evaluates its external labs and proposes pausing or ending a
cooperation, or resuming a paused one; the director approves or refuses it; a lead cannot
approve."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from cqcportal.timeline import timeline_for
from quality_roles.constants import (
    CooperationState,
    LabEvaluationResult,
    ProposalAction,
    ProposalState,
)
from quality_roles.models import LabCooperation
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


# --- resuming a paused cooperation (Q-10) -----------------------------------------------------


def _paused(duties, cooperation):  # noqa: F811
    proposal = _propose(cooperation, duties.lead_user, ProposalAction.PAUSE)
    external_labs.cooperation_proposal_decide(
        proposal=proposal, actor=duties.director_user, approve=True, comment="同意暂停"
    )
    cooperation.refresh_from_db()
    assert cooperation.state == CooperationState.PAUSED
    return cooperation


def _propose_resumption(cooperation, actor):
    return external_labs.cooperation_resumption_propose(
        cooperation=cooperation, actor=actor, reason="比对试验复测合格，整改已验证"
    )


def test_q10_the_lead_proposes_resuming_and_only_the_director_approves(duties, cooperation):  # noqa: F811
    cooperation = _paused(duties, cooperation)
    proposal = _propose_resumption(cooperation, duties.lead_user)
    assert proposal.action == ProposalAction.RESUME and proposal.state == ProposalState.PROPOSED
    assert proposal.lead == duties.lead and proposal.proposer == duties.lead.staff
    # A lead cannot approve what the director must; nor the administrator, an inspector or
    # another body's director.
    for actor in (duties.lead_user, duties.admin, duties.inspector, duties.other_director_user):
        with pytest.raises(PermissionDenied, match="Q-10"):
            external_labs.cooperation_proposal_decide(proposal=proposal, actor=actor, approve=True)
    cooperation.refresh_from_db()
    assert cooperation.state == CooperationState.PAUSED
    proposal = external_labs.cooperation_proposal_decide(
        proposal=proposal, actor=duties.director_user, approve=True, comment="同意恢复"
    )
    cooperation.refresh_from_db()
    assert proposal.state == ProposalState.APPROVED and proposal.director == duties.director
    assert cooperation.state == CooperationState.ACTIVE
    # Through the state machine: logged as a transition, shown on the timeline, in history.
    log = StateLog.objects.for_(cooperation).order_by("-pk").first()
    assert (log.transition, log.source_state, log.state) == ("resume", "paused", "active")
    assert log.by == duties.director_user
    assert any("Paused → Active" in entry.what for entry in timeline_for(cooperation))
    assert cooperation.history.first().state == CooperationState.ACTIVE


def test_q10_the_director_may_propose_a_resumption_others_may_not(duties, cooperation):  # noqa: F811
    cooperation = _paused(duties, cooperation)
    for actor in (duties.admin, duties.inspector, duties.other_director_user):
        with pytest.raises(PermissionDenied, match="Q-10"):
            _propose_resumption(cooperation, actor)
    proposal = _propose_resumption(cooperation, duties.director_user)
    assert proposal.lead is None and proposal.proposing_director == duties.director
    assert proposal.proposer == duties.director.staff
    external_labs.cooperation_proposal_decide(
        proposal=proposal, actor=duties.director_user, approve=False, comment="整改未验证"
    )
    cooperation.refresh_from_db()
    assert cooperation.state == CooperationState.PAUSED


def test_q10_only_a_paused_cooperation_is_resumed_an_ended_one_stays_ended(duties, cooperation):  # noqa: F811
    with pytest.raises(ValidationError, match="Q-10"):
        _propose_resumption(cooperation, duties.lead_user)  # active
    # Through the lead's general step too.
    with pytest.raises(ValidationError, match="Q-10"):
        _propose(cooperation, duties.lead_user, ProposalAction.RESUME)
    ending = _propose(cooperation, duties.lead_user, ProposalAction.END)
    external_labs.cooperation_proposal_decide(
        proposal=ending, actor=duties.director_user, approve=True
    )
    cooperation.refresh_from_db()
    assert cooperation.state == CooperationState.ENDED
    for actor in (duties.lead_user, duties.director_user):
        with pytest.raises(ValidationError, match="Q-10"):
            _propose_resumption(cooperation, actor)
    assert not cooperation.proposals.filter(action=ProposalAction.RESUME).exists()


def test_q10_a_resumption_approved_after_the_cooperation_ended_is_refused(duties, cooperation):  # noqa: F811
    # One proposal at a time is before the director, so the cooperation cannot end under an
    # open resumption; if it did (an administrator's repair), approving says so in words.
    cooperation = _paused(duties, cooperation)
    proposal = _propose_resumption(cooperation, duties.lead_user)
    with pytest.raises(ValidationError):
        _propose(cooperation, duties.lead_user, ProposalAction.END)
    LabCooperation.objects.filter(pk=cooperation.pk).update(state=CooperationState.ENDED)
    with pytest.raises(ValidationError, match="now"):
        external_labs.cooperation_proposal_decide(
            proposal=proposal, actor=duties.director_user, approve=True
        )
    cooperation.refresh_from_db()
    assert cooperation.state == CooperationState.ENDED
