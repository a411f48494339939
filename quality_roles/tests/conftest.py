"""A certification body with its governance and staff, on top of the shared ``world``."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from directory.constants import Education, Role
from directory.models import CertificationBody, Person, User
from directory.tests.factories import PersonFactory
from quality_roles.constants import TitleLevel
from quality_roles.models import BodyStaff
from quality_roles.services.bodies import body_governance_set, body_staff_add

from .factories import LONG_AGO, account_for
from .fixtures_certificates import certified  # noqa: F401 - a fixture (Q-05)


@dataclass
class Body:
    """Body X of ``world``: its administrator, legal representative and actual controller,
    and staff: two members of top management eligible as director, two people eligible as
    leads, each with a portal account in the role they are meant for."""

    body: CertificationBody
    admin: User
    legal_representative: Person
    actual_controller: Person
    candidate: BodyStaff  # top management, eligible
    other_candidate: BodyStaff
    lead_a: BodyStaff
    lead_b: BodyStaff
    candidate_account: User
    other_candidate_account: User
    lead_a_account: User
    lead_b_account: User


@pytest.fixture(autouse=True)
def _english():
    """The services' refusals read in English in these tests (zh-hans is tested apart)."""
    with translation.override("en"):
        yield


def _person(body, name, education=Education.BACHELOR):
    return PersonFactory(name=name, lab=None, body=body, education=education)


@pytest.fixture
def body(world) -> Body:
    x, admin = world.body_x, world.body_x_admin
    legal = _person(x, "钱法人")
    controller = _person(x, "孔控人")
    body_governance_set(
        body=x, actor=admin, legal_representative=legal, actual_controller=controller
    )

    def staff(name, *, education=Education.BACHELOR, top=False, **fields):
        return body_staff_add(
            body=x,
            person=_person(x, name, education),
            actor=admin,
            position="副总经理" if top else "认证部经理",
            full_time_work_since=LONG_AGO,
            professional_work_since=LONG_AGO,
            title_level=TitleLevel.SENIOR if top else TitleLevel.INTERMEDIATE,
            is_top_management=top,
            **fields,
        )

    candidate = staff("赵总监", education=Education.POSTGRADUATE, top=True)
    other = staff("吴副总", top=True)
    lead_a = staff("孙负责")
    lead_b = staff("周负责", education=Education.POSTGRADUATE)
    return Body(
        body=x,
        admin=admin,
        legal_representative=legal,
        actual_controller=controller,
        candidate=candidate,
        other_candidate=other,
        lead_a=lead_a,
        lead_b=lead_b,
        candidate_account=account_for(candidate, Role.QUALITY_DIRECTOR),
        other_candidate_account=account_for(other, Role.QUALITY_DIRECTOR),
        lead_a_account=account_for(lead_a, Role.PROJECT_QUALITY_LEAD),
        lead_b_account=account_for(lead_b, Role.PROJECT_QUALITY_LEAD),
    )
