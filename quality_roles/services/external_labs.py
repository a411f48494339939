"""External testing labs a body's projects work with (Q-10): the body registers them, a
project's lead evaluates them and proposes pausing or ending a cooperation, or resuming a
paused one (which the director may also propose), the director approves or refuses the
proposal with a reason. A lead never decides one; an ended cooperation stays ended."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import CertificationBody, User

from .. import permissions
from ..constants import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, ProposalAction
from ..constants import CooperationState as C
from ..models import (
    CertificationProject,
    CooperationProposal,
    ExternalLab,
    LabCooperation,
    LabEvaluation,
)
from .common import (
    limited,
    lock_body,
    not_in_future,
    require,
    require_state,
    required_reason,
)


def _q10(message: str) -> str:
    return _("%(rule)s: %(message)s") % {"rule": "Q-10", "message": message}


@transaction.atomic
def external_lab_register(
    *,
    body: CertificationBody,
    actor: User,
    name: str,
    uscc: str = "",
    accreditation_number: str = "",
) -> ExternalLab:
    """The body records an external testing lab its projects work with."""
    require(
        permissions.can_manage_external_labs(actor, body),
        _q10(_("the body's administrator or quality director registers external labs.")),
    )
    body = lock_body(body.pk)
    lab = ExternalLab(
        body=body,
        name=limited(name, field="name", limit=NAME_MAX_LENGTH),
        uscc=(uscc or "").strip(),
        accreditation_number=(accreditation_number or "").strip(),
    )
    lab.full_clean()
    lab._history_user = actor
    lab.save()
    return lab


@transaction.atomic
def lab_cooperation_start(
    *,
    lab: ExternalLab,
    actor: User,
    project: CertificationProject,
    since: datetime.date | None = None,
) -> LabCooperation:
    """The body records that a project works with the lab."""
    require(
        permissions.can_manage_external_labs(actor, lab.body),
        _q10(_("the body's administrator or quality director records a cooperation.")),
    )
    body = lock_body(lab.body_id)
    if project.body_id != body.pk:
        raise ValidationError({"project": _("Choose a project of this certification body.")})
    if since is not None:
        not_in_future(since, field="since")
    if LabCooperation.objects.filter(lab=lab, project=project).exists():
        raise ValidationError({"project": _("This project already works with this lab.")})
    cooperation = LabCooperation(body=body, lab=lab, project=project, since=since)
    cooperation._history_user = actor
    cooperation.save()
    return cooperation


def _lead_of(actor: User, cooperation: LabCooperation):
    lead = permissions.lead_for_project(actor, cooperation.project)
    require(
        lead is not None,
        _q10(_("the project quality lead responsible for the project evaluates its labs.")),
    )
    return lead


@transaction.atomic
def lab_evaluation_record(
    *,
    cooperation: LabCooperation,
    actor: User,
    evaluated_on: datetime.date,
    result: str,
    findings: str = "",
) -> LabEvaluation:
    """Q-10: the lead of the project evaluates the lab it works with."""
    lead = _lead_of(actor, cooperation)
    lock_body(cooperation.body_id)
    not_in_future(evaluated_on, field="evaluated_on")
    evaluation = LabEvaluation(
        cooperation=cooperation,
        lead=lead,
        evaluated_on=evaluated_on,
        result=result,
        findings=limited(findings, field="findings", limit=TEXT_MAX_LENGTH),
        created_by=actor,
    )
    evaluation.full_clean()
    evaluation._history_user = actor
    evaluation.save()
    return evaluation


#: What may be proposed from each state of the cooperation. Ending is final: an ended
#: cooperation is neither paused nor resumed.
PROPOSABLE_FROM = {
    ProposalAction.PAUSE: [C.ACTIVE],
    ProposalAction.END: [C.ACTIVE, C.PAUSED],
    ProposalAction.RESUME: [C.PAUSED],
}


@transaction.atomic
def cooperation_proposal_submit(
    *,
    cooperation: LabCooperation,
    actor: User,
    action: str,
    reason: str,
    evaluation: LabEvaluation | None = None,
) -> CooperationProposal:
    """Q-10: the lead proposes pausing or ending the cooperation (or resuming it, see
    ``cooperation_resumption_propose``); the director decides."""
    if action == ProposalAction.RESUME:
        return cooperation_resumption_propose(
            cooperation=cooperation, actor=actor, reason=reason, evaluation=evaluation
        )
    lead = _lead_of(actor, cooperation)
    return _proposal_save(
        cooperation=cooperation,
        actor=actor,
        action=action,
        reason=reason,
        evaluation=evaluation,
        lead=lead,
    )


@transaction.atomic
def cooperation_resumption_propose(
    *,
    cooperation: LabCooperation,
    actor: User,
    reason: str,
    evaluation: LabEvaluation | None = None,
) -> CooperationProposal:
    """Q-10: the project's lead, or the body's director in office, proposes resuming a paused
    cooperation; the director decides, as for a pause."""
    lead = permissions.lead_for_project(actor, cooperation.project)
    director = None if lead is not None else permissions.active_director_of(actor, cooperation.body)
    require(
        lead is not None or director is not None,
        _q10(
            _(
                "the project quality lead responsible for the project or the body's quality "
                "director in office proposes resuming a cooperation."
            )
        ),
    )
    return _proposal_save(
        cooperation=cooperation,
        actor=actor,
        action=ProposalAction.RESUME,
        reason=reason,
        evaluation=evaluation,
        lead=lead,
        proposing_director=director,
    )


def _proposal_save(
    *,
    cooperation: LabCooperation,
    actor: User,
    action: str,
    reason: str,
    evaluation: LabEvaluation | None,
    lead=None,
    proposing_director=None,
) -> CooperationProposal:
    """The proposal, once its proposer is known: the cooperation's state is checked under
    the lock, and one proposal at a time is before the director."""
    lock_body(cooperation.body_id)
    cooperation = LabCooperation.objects.select_for_update().get(pk=cooperation.pk)
    if cooperation.state not in PROPOSABLE_FROM.get(action, []):
        if action == ProposalAction.RESUME:
            message = _q10(
                _(
                    "only a paused cooperation can be resumed; this one is “%(state)s” (an "
                    "ended cooperation stays ended)."
                )
                % {"state": cooperation.get_state_display()}
            )
        else:
            message = _("The cooperation is “%(state)s”: this cannot be proposed.") % {
                "state": cooperation.get_state_display()
            }
        raise ValidationError({"action": message})
    if evaluation is not None and evaluation.cooperation_id != cooperation.pk:
        raise ValidationError({"evaluation": _("Choose an evaluation of this cooperation.")})
    proposal = CooperationProposal(
        cooperation=cooperation,
        evaluation=evaluation,
        lead=lead,
        proposing_director=proposing_director,
        action=action,
        reason=limited(required_reason(reason, field="reason"), limit=TEXT_MAX_LENGTH),
    )
    proposal._history_user = actor
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise ValidationError(
            _("A proposal on this cooperation is already before the director.")
        ) from None
    return proposal


def _lock_proposal(proposal: CooperationProposal) -> CooperationProposal:
    lock_body(proposal.cooperation.body_id)
    return (
        CooperationProposal.objects.select_for_update(of=("self",))
        .select_related("cooperation")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def cooperation_proposal_decide(
    *, proposal: CooperationProposal, actor: User, approve: bool, comment: str = ""
) -> CooperationProposal:
    """Q-10: the director approves the proposal (the cooperation is paused, ended or resumed
    at once, through its state machine) or refuses it, with a reason."""
    require(
        permissions.can_decide_cooperation_proposal(actor, proposal),
        _q10(_("only the quality director in office approves or refuses this proposal.")),
    )
    director = permissions.active_director_of(actor, proposal.cooperation.body)
    proposal = _lock_proposal(proposal)
    now = timezone.now()
    if approve:
        require_state(proposal, proposal.approve, _("approved"))
        comment = limited(comment)
        cooperation = LabCooperation.objects.select_for_update().get(pk=proposal.cooperation_id)
        step = {
            ProposalAction.PAUSE: cooperation.pause,
            ProposalAction.END: cooperation.end,
            ProposalAction.RESUME: cooperation.resume,
        }[proposal.action]
        require_state(cooperation, step, _("changed"))
        step(at=now, by=actor, description=comment or proposal.reason[:500])
        cooperation._history_user = actor
        cooperation.save()
        proposal.approve(at=now, by=actor, director=director, comment=comment, description=comment)
    else:
        require_state(proposal, proposal.reject, _("refused"))
        comment = required_reason(comment, field="comment")
        proposal.reject(at=now, by=actor, director=director, comment=comment, description=comment)
    proposal._history_user = actor
    proposal.save()
    return proposal
