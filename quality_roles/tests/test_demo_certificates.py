"""The demo's certificates (Q-05): the first body's imported with one uncovered; and its
external labs (Q-10): one cooperation paused."""

import pytest
from django.core.management import call_command

from directory.models import User
from quality_roles import coverage, permissions
from quality_roles.constants import CooperationState, ProposalState
from quality_roles.models import Certificate, LabCooperation

pytestmark = pytest.mark.django_db


def test_the_demo_holds_certificates_with_one_uncovered():
    # rule Q-05: the director's dashboard has something to show
    call_command("seed_demo")
    count = Certificate.objects.count()
    call_command("seed_demo")
    assert Certificate.objects.count() == count == 7
    uncovered = Certificate.objects.filter(pk__in=coverage.uncovered(Certificate.objects.all()))
    assert [c.number for c in uncovered] == ["CQC26001200343"]


def test_the_demo_holds_a_paused_cooperation_its_lead_may_propose_to_resume():
    # rule Q-10: a cooperation paused on the lead's proposal, waiting for a resumption
    call_command("seed_demo")
    call_command("seed_demo")
    paused = LabCooperation.objects.get(state=CooperationState.PAUSED)
    assert LabCooperation.objects.filter(state=CooperationState.ACTIVE).count() == 1
    assert paused.proposals.get().state == ProposalState.APPROVED
    lead = User.objects.get(username="lead")
    assert permissions.can_propose_resumption(lead, paused)
