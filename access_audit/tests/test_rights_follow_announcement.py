"""liaisons announces a qualification's change; access_audit listens (issue 11, A-01).

The login rights follow the qualifications through ``liaisons.signals.qualifications_changed``,
sent once per service call after all of its writes, inside its transaction.
"""

import pytest
from django.utils import timezone

from access_audit.constants import LoginRightState
from access_audit.models import LoginRight
from directory.constants import CertificationFieldCode as F
from liaisons.constants import QualificationState
from liaisons.models import LiaisonQualification
from liaisons.services.hiring import liaison_application_hire
from liaisons.services.qualifications import qualification_change_state
from liaisons.signals import qualifications_changed
from liaisons.tests.factories import LiaisonQualificationFactory
from liaisons.tests.test_transfer import _liaison_of_lab_a, _passed_at_lab_b

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every announcement, with the person's qualifications as they stood when it was sent."""
    calls = []

    def listen(sender, *, qualifications, actor, **kwargs):
        person_ids = {q.person_id for q in qualifications}
        calls.append(
            {
                "qualifications": qualifications,
                "actor": actor,
                "states": sorted(
                    LiaisonQualification.objects.filter(person_id__in=person_ids).values_list(
                        "lab_id", "state"
                    )
                ),
            }
        )

    qualifications_changed.connect(listen, dispatch_uid="test-heard")
    yield calls
    qualifications_changed.disconnect(dispatch_uid="test-heard")


def test_a_transfer_is_announced_once_with_the_new_qualification_written(
    world, django_capture_on_commit_callbacks, heard
):
    # rule A-01, rule L-12, issue 11: one announcement for the hire, sent once the new
    # qualification exists, naming the ended and the new one; the right stays.
    old = _liaison_of_lab_a(world)
    application = _passed_at_lab_b(world, django_capture_on_commit_callbacks)
    heard.clear()

    new = liaison_application_hire(application=application, actor=world.training_admin)

    assert len(heard) == 1
    (call,) = heard
    assert {q.pk for q in call["qualifications"]} == {old.pk, new.pk}
    assert call["actor"] == world.training_admin
    assert call["states"] == sorted(
        [
            (world.lab_a.pk, QualificationState.CANCELLED),
            (world.lab_b.pk, QualificationState.ACTIVE),
        ]
    )
    assert LoginRight.objects.get(person=world.person_a).state == LoginRightState.ACTIVE


def test_a_suspension_is_announced_once_and_the_right_follows(world, heard):
    # rule A-01, issue 11
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    LoginRight.objects.create(person=world.person_a, username="cbs-jia", granted_at=timezone.now())

    qualification_change_state(
        qualification=qualification, action="suspend", actor=world.training_admin, reason="查"
    )

    assert [[q.pk for q in call["qualifications"]] for call in heard] == [[qualification.pk]]
    right = LoginRight.objects.get(person=world.person_a)
    assert right.state == LoginRightState.SUSPENDED and right.rule == "A-01"


def test_the_rights_follow_through_the_announcement_alone(world):
    # rule A-01, issue 11: without access_audit's receiver, liaisons touches no login right
    # (it does not know access_audit); connected again in access_audit's ready(), they follow.
    from access_audit.receivers import connect, rights_follow_qualifications

    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, fields=[F.CCC]
    )
    LoginRight.objects.create(person=world.person_a, username="cbs-jia", granted_at=timezone.now())
    assert qualifications_changed.disconnect(
        rights_follow_qualifications, dispatch_uid="access_audit.rights_follow_qualifications"
    )
    try:
        qualification_change_state(
            qualification=qualification, action="suspend", actor=world.training_admin, reason="查"
        )
    finally:
        connect()
    assert LoginRight.objects.get(person=world.person_a).state == LoginRightState.ACTIVE


def test_a_failing_listener_undoes_the_whole_service(world):
    # issue 11: the announcement is sent inside the service's transaction; rights that cannot
    # follow leave the qualification as it was (rule A-01).
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)

    def fail(sender, **kwargs):
        raise RuntimeError("the audit is down")

    qualifications_changed.connect(fail, dispatch_uid="test-fail")
    try:
        with pytest.raises(RuntimeError):
            qualification_change_state(
                qualification=qualification,
                action="revoke",
                actor=world.training_admin,
                reason="查",
            )
    finally:
        qualifications_changed.disconnect(dispatch_uid="test-fail")
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.ACTIVE
