"""A-01: a qualification suspended, revoked or cancelled suspends the person's active login
rights at once, with the rule, the reason and a row in the business system's feed; a
reinstated qualification does not bring them back (A-02, A-06: only a granted request does)."""

import pytest
from django_fsm_log.models import StateLog

from access_audit.constants import LoginRightState
from access_audit.models import RightChange
from access_audit.tests.conftest import change_qualification, hire
from access_audit.tests.factories import LoginRightFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["suspend", "revoke", "cancel"])
def test_a_qualification_that_ends_suspends_the_right_at_once(world, action):
    # rule A-01
    qualification = hire(world.person_a)
    right = LoginRightFactory(person=world.person_a)
    change_qualification(qualification, action, world.training_admin, reason="连续三次差评")
    right.refresh_from_db()
    assert right.state == LoginRightState.SUSPENDED
    assert right.rule == "A-01"
    assert right.revoke_reason == "连续三次差评"
    assert right.suspended_at is not None
    assert right.revoked_at is None  # suspended, not revoked: the record says which
    (change,) = RightChange.objects.filter(right=right)
    assert (change.state, change.rule) == (LoginRightState.SUSPENDED, "A-01")
    log = StateLog.objects.for_(right).get()
    assert (log.source_state, log.state) == (LoginRightState.ACTIVE, LoginRightState.SUSPENDED)
    assert log.by == world.training_admin
    assert right.history.first().history_user == world.training_admin


def test_a_reinstated_qualification_does_not_bring_the_right_back(world):
    # rule A-01, rule A-06: the right comes back only through a granted request
    qualification = hire(world.person_a)
    right = LoginRightFactory(person=world.person_a)
    change_qualification(qualification, "suspend", world.training_admin)
    change_qualification(qualification, "reinstate", world.training_admin)
    qualification.refresh_from_db()
    right.refresh_from_db()
    assert qualification.state == "active"
    assert right.state == LoginRightState.SUSPENDED
    assert RightChange.objects.filter(right=right).count() == 1


def test_every_active_right_of_the_person_follows_and_nobody_elses(world):
    # rule A-01
    qualification = hire(world.person_a)
    first = LoginRightFactory(person=world.person_a)
    second = LoginRightFactory(person=world.person_a)
    revoked = LoginRightFactory(person=world.person_a, revoked=True)
    hire(world.person_b)
    other = LoginRightFactory(person=world.person_b)
    change_qualification(qualification, "revoke", world.training_admin)
    states = {r.pk: r.state for r in (first, second, revoked, other) if not r.refresh_from_db()}
    assert states == {
        first.pk: LoginRightState.SUSPENDED,
        second.pk: LoginRightState.SUSPENDED,
        revoked.pk: LoginRightState.REVOKED,  # already ended: left as it was
        other.pk: LoginRightState.ACTIVE,
    }
    assert set(RightChange.objects.values_list("right_id", flat=True)) == {first.pk, second.pk}


def test_a_suspended_right_stays_suspended_when_the_qualification_is_revoked_later(world):
    # rule A-01: one suspension, one feed row; the revocation of the qualification adds none
    qualification = hire(world.person_a)
    right = LoginRightFactory(person=world.person_a)
    change_qualification(qualification, "suspend", world.training_admin)
    change_qualification(qualification, "revoke", world.training_admin)
    right.refresh_from_db()
    assert right.state == LoginRightState.SUSPENDED
    assert RightChange.objects.filter(right=right).count() == 1
