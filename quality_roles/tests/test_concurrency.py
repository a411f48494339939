"""Two people acting on one body at the same moment, on real PostgreSQL (Q-01, Q-10): every
step takes the body's row first, so the second waits and sees the first."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from directory.tests.threads import run_together
from quality_roles.constants import CooperationState, ProposalAction, ProposalState
from quality_roles.constants import DirectorAppointmentState as S
from quality_roles.models import CooperationProposal, DirectorAppointment
from quality_roles.services import appointments as svc
from quality_roles.services import external_labs

from .duties import duties  # noqa: F401 - the fixture
from .factories import DirectorAppointmentFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_directors_taking_office_at_once_leave_one_in_office(body):
    # rule Q-01: the second to take office succeeds the first; never two, never none
    b = body
    first = DirectorAppointmentFactory(body=b.body, staff=b.candidate, filed=True)
    second = DirectorAppointmentFactory(body=b.body, staff=b.other_candidate, filed=True)
    # The factory's filing dates are long past; the steps are checked against today.
    today = timezone.localdate()
    results = run_together(
        [
            lambda pk=appointment.pk: svc.director_appointment_activate(
                appointment=DirectorAppointment.objects.get(pk=pk),
                actor=b.admin,
                starts_on=today,
            )
            for appointment in (first, second)
        ],
        returned=(ValidationError,),
    )
    assert not [r for r in results if isinstance(r, Exception)]
    states = dict(DirectorAppointment.objects.values_list("pk", "state"))
    assert sorted(states.values()) == [S.ACTIVE, S.ENDED]
    ended = DirectorAppointment.objects.get(state=S.ENDED)
    assert ended.successor_id == DirectorAppointment.objects.get(state=S.ACTIVE).pk


def test_one_person_nominated_twice_at_once_is_nominated_once(body):
    # rule Q-01: one nomination under way per person
    b = body
    results = run_together(
        [lambda: svc.director_appointment_nominate(body=b.body, staff=b.candidate, actor=b.admin)]
        * 2,
        returned=(ValidationError,),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1
    assert DirectorAppointment.objects.filter(staff=b.candidate).count() == 1


def test_two_approvals_of_one_resumption_at_once_leave_one_transition(duties):  # noqa: F811
    # rule Q-10: the second approval waits for the first and finds the proposal decided;
    # the cooperation goes from paused back to active once, logged once
    d = duties
    lab = external_labs.external_lab_register(body=d.body, actor=d.admin, name="外部检测所")
    cooperation = external_labs.lab_cooperation_start(lab=lab, actor=d.admin, project=d.project)
    pause = external_labs.cooperation_proposal_submit(
        cooperation=cooperation, actor=d.lead_user, action=ProposalAction.PAUSE, reason="偏差"
    )
    external_labs.cooperation_proposal_decide(proposal=pause, actor=d.director_user, approve=True)
    proposal = external_labs.cooperation_resumption_propose(
        cooperation=cooperation, actor=d.lead_user, reason="复测合格"
    )
    results = run_together(
        [
            lambda: external_labs.cooperation_proposal_decide(
                proposal=CooperationProposal.objects.get(pk=proposal.pk),
                actor=d.director_user,
                approve=True,
            )
        ]
        * 2,
        returned=(ValidationError,),
    )
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1
    cooperation.refresh_from_db()
    assert cooperation.state == CooperationState.ACTIVE
    resumed = StateLog.objects.for_(cooperation).filter(transition="resume")
    assert resumed.count() == 1
    assert CooperationProposal.objects.get(pk=proposal.pk).state == ProposalState.APPROVED
