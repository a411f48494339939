"""Fixtures of the login-right tests: the two departments' officers and qualified liaisons."""

from dataclasses import dataclass

import pytest

from directory.constants import Role
from directory.models import Person, User
from directory.tests.factories import UserFactory
from liaisons.models import LiaisonQualification
from liaisons.tests.factories import LiaisonQualificationFactory


@dataclass
class Departments:
    quality_tech: User
    general_business: User


@pytest.fixture
def departments(db) -> Departments:
    return Departments(
        quality_tech=UserFactory(username="qualitytech", role=Role.QUALITY_TECH_OFFICER),
        general_business=UserFactory(username="generalbiz", role=Role.GENERAL_BUSINESS_OFFICER),
    )


def hire(person: Person, *, lab=None, **kwargs) -> LiaisonQualification:
    """An active liaison qualification of ``person`` at their lab: they count as hired (A-01)."""
    return LiaisonQualificationFactory(person=person, lab=lab or person.lab, **kwargs)


@pytest.fixture
def hired(world) -> tuple[LiaisonQualification, LiaisonQualification]:
    """Person A hired by lab A, person B by lab B."""
    return hire(world.person_a), hire(world.person_b)


def change_qualification(qualification, action: str, actor, reason: str = "查") -> None:
    """The liaison service that changes a qualification's state (suspend, reinstate, revoke,
    cancel), wherever liaisons keeps it."""
    try:
        from liaisons.services.qualifications import qualification_change_state
    except ImportError:  # before liaisons.services was split by part (issue 11)
        from liaisons.services import qualification_change_state
    qualification_change_state(
        qualification=qualification, action=action, actor=actor, reason=reason
    )
