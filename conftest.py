"""Fixtures shared by every test: two of each organisation, so scope can be tested; the
browser tests' Playwright fixtures come from the ``tests.browser`` plugin."""

from dataclasses import dataclass

import pytest

from directory.constants import CertificationFieldCode as F
from directory.constants import Role
from directory.models import BranchCentre, CertificationBody, Person, TestingLab, User
from directory.tests.factories import (
    BranchCentreFactory,
    CertificationBodyFactory,
    DepartmentFactory,
    PersonFactory,
    TestingLabFactory,
    UserFactory,
)

pytest_plugins = ["tests.browser"]


@dataclass
class World:
    """Branch N holds lab A; branch S holds lab B. Body X and body Y. A user of each."""

    branch_n: BranchCentre
    branch_s: BranchCentre
    lab_a: TestingLab
    lab_b: TestingLab
    body_x: CertificationBody
    body_y: CertificationBody
    person_a: Person
    person_b: Person
    person_x: Person
    person_y: Person
    lab_a_staff: User
    lab_b_staff: User
    branch_n_reviewer: User
    branch_s_reviewer: User
    body_x_admin: User
    body_y_admin: User
    training_admin: User
    evaluator: User
    inspector: User


@pytest.fixture
def world(db) -> World:
    branch_n = BranchCentreFactory(code="N", name="北方分中心")
    branch_s = BranchCentreFactory(code="S", name="南方分中心")
    lab_a = TestingLabFactory(name="实验室A", branch=branch_n, business_scope=[F.CCC, F.ROHS])
    lab_b = TestingLabFactory(name="实验室B", branch=branch_s, business_scope=[F.CCC, F.CB])
    body_x = CertificationBodyFactory(name="认证机构X")
    body_y = CertificationBodyFactory(name="认证机构Y")
    department = DepartmentFactory(code="EE", name="电子电器产品部")
    return World(
        branch_n=branch_n,
        branch_s=branch_s,
        lab_a=lab_a,
        lab_b=lab_b,
        body_x=body_x,
        body_y=body_y,
        person_a=PersonFactory(name="甲", lab=lab_a),
        person_b=PersonFactory(name="乙", lab=lab_b),
        person_x=PersonFactory(name="丙", lab=None, body=body_x),
        person_y=PersonFactory(name="丁", lab=None, body=body_y),
        lab_a_staff=UserFactory(username="lab_a", role=Role.LAB_STAFF, lab=lab_a),
        lab_b_staff=UserFactory(username="lab_b", role=Role.LAB_STAFF, lab=lab_b),
        branch_n_reviewer=UserFactory(
            username="branch_n", role=Role.BRANCH_REVIEWER, branch=branch_n
        ),
        branch_s_reviewer=UserFactory(
            username="branch_s", role=Role.BRANCH_REVIEWER, branch=branch_s
        ),
        body_x_admin=UserFactory(username="body_x", role=Role.BODY_ADMIN, body=body_x),
        body_y_admin=UserFactory(username="body_y", role=Role.BODY_ADMIN, body=body_y),
        training_admin=UserFactory(username="training", role=Role.TRAINING_ADMIN),
        evaluator=UserFactory(
            username="evaluator", role=Role.DEPARTMENT_EVALUATOR, department=department
        ),
        inspector=UserFactory(username="inspector", role=Role.REGULATOR_INSPECTOR),
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need real PostgreSQL transactions; skip them on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
