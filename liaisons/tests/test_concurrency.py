"""Two people acting on one application at the same moment, on real PostgreSQL (L-07)."""

import pytest
from django.core.exceptions import ValidationError
from django_fsm_log.models import StateLog

from directory.constants import CertificationFieldCode, Role
from directory.models import CertificationField
from directory.tests.factories import UserFactory
from directory.tests.threads import run_together
from liaisons.constants import ApplicationState
from liaisons.models import LiaisonApplication, LiaisonQualification
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_return,
    liaison_application_submit,
)
from liaisons.services.hiring import liaison_application_hire, liaison_applications_hire
from liaisons.tests.factories import TrainingEnrolmentFactory, ready_application

# serialized_rollback like the browser tests: a flush without it re-creates the content types
# under new keys, and the next test restoring the serialized ones then collides with them.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _run_together(calls):
    """``run_together``, a ValidationError (the loser's refusal) returned as a result."""
    return run_together(calls, returned=(ValidationError,))


@pytest.fixture(autouse=True)
def certification_fields(db):
    """Transactional tests flush the tables, the ten fields of the data migration too."""
    for position, code in enumerate(CertificationFieldCode.values, start=1):
        CertificationField.objects.update_or_create(code=code, defaults={"position": position})


def _fresh(pk):
    return LiaisonApplication.objects.get(pk=pk)


def test_two_reviewers_at_once_exactly_one_succeeds(certification_fields, world):
    # rule L-07
    second_reviewer = UserFactory(
        username="branch_n_2", role=Role.BRANCH_REVIEWER, branch=world.branch_n
    )
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    pk = application.pk
    # One passes the application on while the other returns it: they cannot both happen.
    results = _run_together(
        [
            lambda: liaison_application_return(
                application=_fresh(pk), actor=world.branch_n_reviewer, reason="缺少盖章"
            ),
            lambda: liaison_application_pass(application=_fresh(pk), actor=second_reviewer),
        ]
    )
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1
    assert errors[0].code == "stale_state"
    assert _fresh(pk).state in (ApplicationState.RETURNED, ApplicationState.PASSED)
    # Submitted, accepted, and one of the two: not both.
    assert StateLog.objects.for_(_fresh(pk)).count() == 3


def test_two_hires_of_one_application_at_once_create_one_qualification(certification_fields, world):
    # rule L-07, rule P-02
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    liaison_application_pass(application=application, actor=world.branch_n_reviewer)
    TrainingEnrolmentFactory(person=application.person, passed=True)
    second_admin = UserFactory(username="training_2", role=Role.TRAINING_ADMIN)
    pk = application.pk
    results = _run_together(
        [
            lambda: liaison_application_hire(application=_fresh(pk), actor=world.training_admin),
            lambda: liaison_application_hire(application=_fresh(pk), actor=second_admin),
        ]
    )
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert LiaisonQualification.objects.filter(application_id=pk).count() == 1


def test_two_decisions_over_the_same_applicants_at_once_hire_each_once(certification_fields, world):
    # rule L-07, rule P-02: overlapping decisions of two training admins, and a single hire of
    # another applicant beside them: each applicant hired once, every number drawn once
    from directory.models import Person
    from directory.tests.factories import PersonFactory
    from liaisons.tests.factories import LiaisonApplicationFactory

    def passed(lab):
        application = LiaisonApplicationFactory(lab=lab, person=PersonFactory(lab=lab), passed=True)
        TrainingEnrolmentFactory(person=application.person, passed=True)
        return application.pk

    shared = [passed(world.lab_a), passed(world.lab_b)]
    only_first, only_second, alone = passed(world.lab_a), passed(world.lab_b), passed(world.lab_a)
    second_admin = UserFactory(username="training_2", role=Role.TRAINING_ADMIN)

    def decide(pks, actor):
        return lambda: liaison_applications_hire(
            applications=[_fresh(pk) for pk in pks], actor=actor
        )

    results = _run_together(
        [
            decide([*shared, only_first], world.training_admin),
            decide([only_second, *shared], second_admin),
            decide([alone], second_admin),
        ]
    )
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1
    assert {e.code for e in errors[0].error_list} == {"stale_state"}
    assert results[2] and not isinstance(results[2], ValidationError)
    hired = set(
        LiaisonApplication.objects.filter(state=ApplicationState.HIRED).values_list("pk", flat=True)
    )
    winner = (
        [*shared, only_first]
        if isinstance(results[1], ValidationError)
        else [
            only_second,
            *shared,
        ]
    )
    assert hired == {*winner, alone}
    for pk in hired:
        assert LiaisonQualification.objects.filter(application_id=pk).count() == 1
    numbers = list(
        Person.objects.exclude(employment_number=None).values_list("employment_number", flat=True)
    )
    assert len(numbers) == len(set(numbers)) == len(hired)


def test_three_starts_for_one_new_person_give_one_application_and_two_clear_refusals(
    certification_fields, world
):
    # rule P-01, L-07, issue 9 item 5: was one 201 and two 500s (the unique ID number and the
    # one open application per person and lab, each violated by the losers).
    from rest_framework.test import APIClient

    from directory.models import Person
    from directory.tests.factories import PersonFactory

    number = PersonFactory.build().id_number
    payload = {"id_number": number, "name": "并发", "fields": ["CCC"]}

    def start():
        api = APIClient()
        api.credentials(HTTP_ACCEPT_LANGUAGE="en")
        api.force_authenticate(world.lab_a_staff)
        response = api.post("/api/liaisons/applications/", payload, format="json")
        return response.status_code, response.json()

    results = _run_together([start, start, start])

    assert sorted(status for status, _body in results) == [201, 400, 400]
    for status, body in results:
        if status == 400:
            assert "already has an application in progress" in str(body)
    assert Person.objects.filter(id_number=number).count() == 1
    assert LiaisonApplication.objects.filter(person__id_number=number).count() == 1


def test_decisions_hiring_different_people_at_once_draw_distinct_numbers(
    certification_fields, world
):
    # rule P-02, issue 11: the real hire, not only the numbering function its tests called.
    # Two decisions and two first hires outside any decision, all at the same moment: every
    # person gets one number, no number twice, and the counter moved once per number.
    from directory.models import EmploymentNumberCounter, Person
    from directory.services import person_assign_employment_number
    from directory.tests.factories import PersonFactory
    from liaisons.tests.factories import LiaisonApplicationFactory

    def passed(lab):
        application = LiaisonApplicationFactory(lab=lab, person=PersonFactory(lab=lab), passed=True)
        TrainingEnrolmentFactory(person=application.person, passed=True)
        return application.pk

    first = [passed(world.lab_a) for _ in range(3)]
    second = [passed(world.lab_b) for _ in range(3)]
    others = [PersonFactory(lab=world.lab_a) for _ in range(2)]
    second_admin = UserFactory(username="training_2", role=Role.TRAINING_ADMIN)

    def decide(pks, actor):
        return lambda: liaison_applications_hire(
            applications=[_fresh(pk) for pk in pks], actor=actor
        )

    def assign(person):
        return lambda: person_assign_employment_number(
            person=Person.objects.get(pk=person.pk), actor=None
        )

    results = _run_together(
        [
            decide(first, world.training_admin),
            decide(second, second_admin),
            *(assign(person) for person in others),
        ]
    )
    assert not [r for r in results if isinstance(r, ValidationError)]
    numbers = list(
        Person.objects.exclude(employment_number=None).values_list("employment_number", flat=True)
    )
    assert len(numbers) == len(set(numbers)) == len(first) + len(second) + len(others)
    assert EmploymentNumberCounter.objects.get().last_value == len(numbers)
    assert {Person.objects.get(pk=p.pk).employment_number for p in others} == set(results[2:])
