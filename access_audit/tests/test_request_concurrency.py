"""Two people acting on login rights at the same moment, on real PostgreSQL (A-01, A-02).

Each call runs in its own thread and connection, released together (``run_together``): the
row locks decide, and the loser is told in words, never a 500 or a second account.
"""

import pytest
from django.core.exceptions import ValidationError
from django_fsm_log.models import StateLog

from access_audit.constants import LoginRightState, RightRequestState
from access_audit.models import LoginRight, LoginRightRequest, RightChange
from access_audit.services import requests as services
from access_audit.tests.conftest import change_qualification, hire
from directory.constants import CertificationFieldCode, Role
from directory.models import CertificationField
from directory.tests.factories import PersonFactory, UserFactory
from directory.tests.threads import run_together

# serialized_rollback like the other concurrency tests: a flush without it re-creates the
# content types under new keys, and the next test restoring the serialized ones collides.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def certification_fields(db):
    """Transactional tests flush the tables, the ten fields of the data migration too."""
    for position, code in enumerate(CertificationFieldCode.values, start=1):
        CertificationField.objects.update_or_create(code=code, defaults={"position": position})


def _together(calls):
    return run_together(calls, returned=(ValidationError,))


def _fresh(pk):
    return LoginRightRequest.objects.get(pk=pk)


def _codes(results) -> list[str]:
    codes = []
    for result in results:
        if isinstance(result, ValidationError):
            if hasattr(result, "error_dict"):
                codes += [e.code for errors in result.error_dict.values() for e in errors]
            else:
                codes += [e.code for e in result.error_list]
    return codes


@pytest.fixture
def officers(db):
    return (
        UserFactory(username="qualitytech", role=Role.QUALITY_TECH_OFFICER),
        UserFactory(username="generalbiz", role=Role.GENERAL_BUSINESS_OFFICER),
        UserFactory(username="generalbiz_2", role=Role.GENERAL_BUSINESS_OFFICER),
    )


def _accepted(world, officers, person, username):
    quality_tech = officers[0]
    request = services.login_right_request_submit(
        person=person, username=username, actor=world.lab_a_staff
    )
    return services.login_right_request_accept(request=request, actor=quality_tech).pk


def test_two_grants_of_one_request_at_once_make_one_account(world, officers):
    # rule A-02: two general business officers grant the same request at the same moment
    hire(world.person_a)
    pk = _accepted(world, officers, world.person_a, "cbs-jia")
    results = _together(
        [
            lambda: services.login_right_request_grant(request=_fresh(pk), actor=officers[1]),
            lambda: services.login_right_request_grant(request=_fresh(pk), actor=officers[2]),
        ]
    )
    assert _codes(results) == ["stale_state"]
    assert _fresh(pk).state == RightRequestState.GRANTED
    right = LoginRight.objects.get()
    assert right.state == LoginRightState.ACTIVE
    assert RightChange.objects.filter(right=right).count() == 1
    assert StateLog.objects.for_(_fresh(pk)).filter(transition="grant").count() == 1


def test_two_grants_of_one_username_for_two_people_at_once_make_one_account(world, officers):
    # rule A-02: the username is one person's account; the second grant is refused in words
    other = PersonFactory(lab=world.lab_a)
    hire(world.person_a)
    hire(other)
    first = _accepted(world, officers, world.person_a, "cbs-shared")
    second = _accepted(world, officers, other, "CBS-shared")
    results = _together(
        [
            lambda: services.login_right_request_grant(request=_fresh(first), actor=officers[1]),
            lambda: services.login_right_request_grant(request=_fresh(second), actor=officers[2]),
        ]
    )
    assert _codes(results) == ["username_taken"]
    assert LoginRight.objects.count() == 1
    states = sorted(_fresh(pk).state for pk in (first, second))
    assert states == sorted([RightRequestState.GRANTED, RightRequestState.ACCEPTED])


def test_two_submissions_for_one_person_at_once_open_one_request(world):
    # rule A-02: one open request per person
    hire(world.person_a)
    second_staff = UserFactory(username="lab_a_2", role=Role.LAB_STAFF, lab=world.lab_a)
    results = _together(
        [
            lambda: services.login_right_request_submit(
                person=world.person_a, username="cbs-1", actor=world.lab_a_staff
            ),
            lambda: services.login_right_request_submit(
                person=world.person_a, username="cbs-2", actor=second_staff
            ),
        ]
    )
    assert _codes(results) == ["request_open"]
    assert LoginRightRequest.objects.filter(person=world.person_a).count() == 1


def test_a_grant_and_a_suspension_at_once_never_leave_an_active_right(world, officers):
    # rule A-01: whichever goes first, no active right beside a suspended qualification
    qualification = hire(world.person_a)
    pk = _accepted(world, officers, world.person_a, "cbs-jia")
    results = _together(
        [
            lambda: services.login_right_request_grant(request=_fresh(pk), actor=officers[1]),
            lambda: change_qualification(qualification, "suspend", world.training_admin),
        ]
    )
    assert set(_codes(results)) <= {"not_qualified"}
    qualification.refresh_from_db()
    assert qualification.state == "suspended"
    assert not LoginRight.objects.filter(state=LoginRightState.ACTIVE).exists()
