"""The factories make what their traits say, as real data has it (issue 11)."""

import pytest
from django.utils import timezone

from access_audit.constants import LoginRightState
from access_audit.tests.factories import LoginRightFactory
from liaisons import rules
from liaisons.constants import (
    ApplicationState,
    AssessmentItemKind,
    ChangeRequestState,
    EvaluationRating,
    MaterialKind,
)
from liaisons.tests.factories import (
    PDF_BYTES,
    ChangeRequestFactory,
    EvaluationFactory,
    LiaisonApplicationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "trait, state",
    [
        ("submitted", ApplicationState.SUBMITTED),
        ("with_branch", ApplicationState.WITH_BRANCH),
        ("passed", ApplicationState.PASSED),
        ("returned", ApplicationState.RETURNED),
        ("hired", ApplicationState.HIRED),
        ("rejected", ApplicationState.REJECTED),
        ("withdrawn", ApplicationState.WITHDRAWN),
    ],
)
def test_a_trait_per_application_state(world, trait, state):
    application = LiaisonApplicationFactory(lab=world.lab_a, **{trait: True})
    application.refresh_from_db()
    assert application.state == state
    assert not application.materials.exists()  # without complete=True, a bare row
    if state in (ApplicationState.HIRED, ApplicationState.REJECTED):
        assert application.decided_at is not None
    if state == ApplicationState.REJECTED:
        assert application.reason  # rule L-07: a rejection has a reason


def test_a_complete_passed_application_holds_its_materials_and_record(world):
    # rule L-02, rule L-04: five materials, three prescribed items and one per field, each
    # evaluated and signed; the submission's own check (L-01..L-05) finds nothing missing.
    application = LiaisonApplicationFactory(
        lab=world.lab_a, person=world.person_a, passed=True, complete=True, fields=["CCC", "ROHS"]
    )
    assert application.state == ApplicationState.PASSED
    assert application.applicant_name == world.person_a.name
    materials = list(application.materials.all())
    assert sorted(m.kind for m in materials) == sorted(MaterialKind.values)
    for material in materials:
        with material.file.open("rb") as stored:
            assert stored.read() == PDF_BYTES
    entries = list(application.assessment_entries.order_by("position"))
    assert [e.kind for e in entries] == [AssessmentItemKind.PRESCRIBED] * 3 + [
        AssessmentItemKind.FIELD
    ] * 2
    assert [e.field_id for e in entries[3:]] == ["CCC", "ROHS"]
    assert all(e.evaluation and e.signatory for e in entries)
    assert application.declaration_accepted
    assert not rules.application_problems(application, today=timezone.localdate())


@pytest.mark.parametrize(
    "trait, state",
    [
        ({}, ChangeRequestState.SUBMITTED),
        ({"forwarded": True}, ChangeRequestState.FORWARDED),
        ({"approved": True}, ChangeRequestState.APPROVED),
        ({"rejected": True}, ChangeRequestState.REJECTED),
    ],
)
def test_a_trait_per_change_request_state(world, trait, state):
    request = ChangeRequestFactory(person=world.person_a, **trait)
    request.refresh_from_db()
    assert request.state == state
    assert request.branch == world.branch_n  # routed to the person's lab's branch (P-03)
    assert request.requested_by.lab == world.lab_a
    if state == ChangeRequestState.REJECTED:
        assert request.decision_reason


def test_a_qualification_change_request_names_the_qualification(world):
    request = ChangeRequestFactory(person=world.person_a, qualification_change=True)
    assert request.qualification.person == world.person_a
    assert request.changes == {"fields": ["CCC", "ROHS"]}


def test_evaluations_by_a_department_or_a_branch(world):
    by_department = EvaluationFactory(poor=True)
    assert by_department.rating == EvaluationRating.POOR
    assert by_department.department and by_department.branch is None
    assert by_department.evaluated_by.department == by_department.department
    by_branch = EvaluationFactory(by_branch=True, adequate=True)
    assert by_branch.department is None
    assert by_branch.branch == by_branch.qualification.lab.branch
    assert by_branch.evaluated_by.branch == by_branch.branch


def test_a_trait_per_login_right_state(world):
    active = LoginRightFactory(person=world.person_a)
    assert active.state == LoginRightState.ACTIVE and active.revoked_at is None
    revoked = LoginRightFactory(person=world.person_a, revoked=True)
    assert revoked.state == LoginRightState.REVOKED and revoked.revoked_by and revoked.revoke_reason
    by_rule = LoginRightFactory(person=world.person_b, revoked_by_rule=True)
    assert by_rule.revoked_by is None and by_rule.revoke_reason  # rule A-01
