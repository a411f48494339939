"""Employment numbers under real concurrency on PostgreSQL (P-02)."""

import pytest

from directory import services
from directory.models import EmploymentNumberCounter, Person
from directory.tests.factories import PersonFactory, TestingLabFactory
from directory.tests.threads import run_together

# serialized_rollback like the browser tests: a flush without it re-creates the content types
# under new keys, and the next test restoring the serialized ones then collides with them.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_simultaneous_first_hires_of_different_people_get_different_numbers():  # rule P-02
    lab = TestingLabFactory()
    people = [PersonFactory(lab=lab) for _ in range(12)]
    numbers = run_together(
        [
            (lambda p=p: services.person_assign_employment_number(person=p, actor=None))
            for p in people
        ]
    )
    assert len(set(numbers)) == len(people)
    stored = set(Person.objects.values_list("employment_number", flat=True))
    assert stored == set(numbers)
    assert EmploymentNumberCounter.objects.get().last_value == len(people)


def test_simultaneous_first_hires_of_one_person_give_one_number():  # rule P-02
    person = PersonFactory()
    numbers = run_together(
        [
            (
                lambda: services.person_assign_employment_number(
                    person=Person.objects.get(pk=person.pk), actor=None
                )
            )
            for _ in range(8)
        ]
    )
    assert len(set(numbers)) == 1
    person.refresh_from_db()
    assert person.employment_number == numbers[0]
    assert EmploymentNumberCounter.objects.get().last_value == 1
