"""Rules the services enforce themselves, whoever calls them (issue 11): a view only presents.

Each of these was refused only by a screen (a hidden button, a missing form) or not at all.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from liaisons.constants import DepartureOutcome, QualificationState
from liaisons.models import Departure, LiaisonApplication, LiaisonQualification
from liaisons.services.hiring import liaison_application_hire
from liaisons.services.preparation import liaison_application_start
from liaisons.services.qualifications import departure_confirm, qualification_change_state
from liaisons.tests.factories import LiaisonQualificationFactory

pytestmark = pytest.mark.django_db


def _revoked_legacy(world):
    return LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, legacy=True, state=QualificationState.REVOKED
    )


def test_the_migration_service_refuses_a_revoked_legacy_qualification(world):
    # rule L-13, issue 11: only the legacy list's hidden button refused it; the service
    # started the migration of a qualification the training centre had revoked.
    legacy = _revoked_legacy(world)
    with pytest.raises(ValidationError) as raised:
        liaison_application_start(
            lab=world.lab_a,
            actor=world.lab_a_staff,
            id_number=world.person_a.id_number,
            name=world.person_a.name,
            fields=["CCC"],
            legacy_qualification=legacy,
        )
    assert raised.value.code == "L-13"
    assert "L-13" in " ".join(raised.value.messages)
    assert not LiaisonApplication.objects.filter(legacy_qualification=legacy).exists()


def test_a_migration_started_then_revoked_is_not_hired(world):
    # rule L-13, issue 11: revoked between the start and the decision, it is not migrated.
    from liaisons.tests.factories import LiaisonApplicationFactory, TrainingEnrolmentFactory

    legacy = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, legacy=True)
    application = LiaisonApplicationFactory(
        lab=world.lab_a,
        person=world.person_a,
        passed=True,
        is_migration=True,
        legacy_qualification=legacy,
    )
    TrainingEnrolmentFactory(person=world.person_a, passed=True)
    qualification_change_state(
        qualification=legacy, action="revoke", actor=world.training_admin, reason="不合格"
    )
    with pytest.raises(ValidationError) as raised:
        liaison_application_hire(application=application, actor=world.training_admin)
    assert "L-13" in " ".join(raised.value.messages)
    legacy.refresh_from_db()
    assert legacy.migrated_at is None and legacy.state == QualificationState.REVOKED
    assert not LiaisonQualification.objects.filter(application=application).exists()


def _leave(qualification, world, outcome):
    return departure_confirm(
        qualification=qualification,
        actor=world.lab_a_staff,
        reason="retirement",
        left_on=datetime.date(2026, 1, 10),
        outcome=outcome,
    )


def test_a_second_departure_of_one_qualification_is_refused_by_the_service(world):
    # rule L-12, issue 11: only the hidden form refused it; a second call turned the lab's
    # "suspended" into "cancelled" and recorded the liaison leaving twice.
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    _leave(qualification, world, DepartureOutcome.SUSPEND)
    with pytest.raises(ValidationError) as raised:
        _leave(qualification, world, DepartureOutcome.CANCEL)
    assert raised.value.code == "L-12"
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.SUSPENDED
    assert Departure.objects.filter(qualification=qualification).count() == 1


def test_a_liaison_reinstated_after_leaving_may_leave_again(world):
    # rule L-12: a reinstatement closes the departure; the next one is a new one.
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    _leave(qualification, world, DepartureOutcome.SUSPEND)
    qualification_change_state(
        qualification=qualification, action="reinstate", actor=world.training_admin, reason="返岗"
    )
    _leave(qualification, world, DepartureOutcome.CANCEL)
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.CANCELLED
    assert Departure.objects.filter(qualification=qualification).count() == 2


def test_a_suspended_liaison_who_never_left_may_still_leave(world):
    # rule L-12
    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, suspended=True
    )
    _leave(qualification, world, DepartureOutcome.CANCEL)
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.CANCELLED


@pytest.mark.parametrize("action", ["suspend", "revoke", "cancel"])
def test_another_labs_staff_cannot_change_a_qualifications_state(world, action):
    # rule L-10, rule L-12, issue 11: called with lab B's staff on lab A's liaison, the
    # service revoked it.
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    for actor in (world.lab_b_staff, world.lab_a_staff, world.branch_n_reviewer):
        with pytest.raises(PermissionDenied):
            qualification_change_state(
                qualification=qualification, action=action, actor=actor, reason="不再任职"
            )
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.ACTIVE
    assert not StateLog.objects.for_(qualification).exists()


def test_the_training_centre_and_the_system_still_change_a_qualifications_state(world):
    # rule L-10: the training centre decides; a deadline job acts as the system (no actor).
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    qualification_change_state(
        qualification=qualification, action="suspend", actor=world.training_admin, reason="评价差"
    )
    qualification_change_state(
        qualification=qualification, action="revoke", actor=None, reason="逾期"
    )
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.REVOKED
    assert StateLog.objects.for_(qualification).count() == 2


def test_the_hire_numbers_people_by_the_one_numbering_function(world, monkeypatch):
    # rule P-02, issue 11: the hire drew its numbers inline, so the tests of
    # person_assign_employment_number proved nothing of the hire's numbering.
    from directory import services as directory_services
    from liaisons.tests.factories import LiaisonApplicationFactory, TrainingEnrolmentFactory

    calls = []
    real = directory_services.employment_numbers_assign

    def spy(*, people):
        calls.append([person.pk for person in people])
        return real(people=people)

    monkeypatch.setattr(directory_services, "employment_numbers_assign", spy)
    application = LiaisonApplicationFactory(lab=world.lab_a, person=world.person_a, passed=True)
    TrainingEnrolmentFactory(person=world.person_a, passed=True)
    liaison_application_hire(application=application, actor=world.training_admin)
    directory_services.person_assign_employment_number(person=world.person_b, actor=None)

    assert calls == [[world.person_a.pk], [world.person_b.pk]]
    world.person_a.refresh_from_db()
    world.person_b.refresh_from_db()
    assert world.person_a.employment_number and world.person_b.employment_number
    assert world.person_a.employment_number != world.person_b.employment_number
