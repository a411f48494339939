"""Each rule that several places apply has one definition (issue 11): these tests prove the
definition itself, and that the places which ask about one object and the places which ask
the database give the same answer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from guardian.shortcuts import assign_perm

from cqcportal.limits import REASON_MAX_LENGTH, clean_reason
from directory.constants import IMPORTANT_FIELDS, SELF_MAINTAINED_FIELDS, Role
from directory.constants import CertificationFieldCode as F
from directory.forms import SelfMaintainedDataForm
from directory.tests.factories import UserFactory
from liaisons import permissions, rules
from liaisons.api.filters import QualificationFilter as ApiQualificationFilter
from liaisons.api.filters import RosterFilter as ApiRosterFilter
from liaisons.constants import (
    BRANCH_STATES,
    CHINA,
    DECISION_STATES,
    EDITABLE_STATES,
    LAB_STATES,
    ApplicationState,
    ChangeTier,
    QualificationState,
    legacy_counts_at,
)
from liaisons.forms import ActionForm, ApplicationStartForm, ApplicationUpdateForm
from liaisons.forms_changes import ImportantChangeForm
from liaisons.forms_qualifications import QualificationFilter
from liaisons.models import APPLICANT_FIELDS, LiaisonApplication, LiaisonQualification
from liaisons.models.qualifications import CURRENT
from liaisons.selectors_evaluations import evaluable_qualifications
from liaisons.services.applications import liaison_application_return
from liaisons.services.changes import CHANGEABLE_FIELDS
from liaisons.tests.factories import LiaisonApplicationFactory, LiaisonQualificationFactory

pytestmark = pytest.mark.django_db

BEFORE_DEADLINE = datetime.datetime(2011, 8, 30, 23, 59, 59, tzinfo=CHINA)
AT_DEADLINE = datetime.datetime(2011, 8, 31, 0, 0, tzinfo=CHINA)


def _every_kind(lab):
    """One qualification of each kind the L-13 and L-12 rules tell apart."""
    S = QualificationState
    migrated_at = datetime.datetime(2011, 6, 1, tzinfo=CHINA)
    return {
        "system active": LiaisonQualificationFactory(lab=lab),
        "system suspended": LiaisonQualificationFactory(lab=lab, suspended=True),
        "system revoked": LiaisonQualificationFactory(lab=lab, state=S.REVOKED),
        "system cancelled": LiaisonQualificationFactory(lab=lab, state=S.CANCELLED),
        "legacy active": LiaisonQualificationFactory(lab=lab, legacy=True),
        "legacy suspended": LiaisonQualificationFactory(lab=lab, legacy=True, suspended=True),
        "legacy revoked": LiaisonQualificationFactory(lab=lab, legacy=True, state=S.REVOKED),
        "legacy migrated": LiaisonQualificationFactory(
            lab=lab, legacy=True, migrated_at=migrated_at
        ),
    }


# --- L-13: when a liaison counts as hired -------------------------------------------------


def test_a_legacy_liaison_counts_until_24_00_china_time_on_the_migration_deadline():
    # rule L-13, rule A-05: one definition of the instant, ``legacy_counts_at``.
    assert legacy_counts_at(BEFORE_DEADLINE)
    assert not legacy_counts_at(AT_DEADLINE)
    assert legacy_counts_at(AT_DEADLINE.astimezone(datetime.UTC) - datetime.timedelta(seconds=1))


@pytest.mark.parametrize("at", [BEFORE_DEADLINE, AT_DEADLINE], ids=["before", "after"])
def test_counting_and_counts_as_hired_say_the_same_of_every_kind(world, monkeypatch, at):
    # rule L-13: the queryset (coverage, login rights) and the one-object property (the
    # access audit's receiver) are one rule: active, and through the system or legacy,
    # not migrated, before the deadline.
    kinds = _every_kind(world.lab_a)
    monkeypatch.setattr("liaisons.models.qualifications.timezone.now", lambda: at)
    counting = set(LiaisonQualification.objects.counting(at=at))
    by_property = {q for q in kinds.values() if q.counts_as_hired}
    assert counting == by_property
    expected = {"system active", "legacy active"} if at < AT_DEADLINE else {"system active"}
    assert {name for name, q in kinds.items() if q in counting} == expected


@pytest.mark.parametrize("at", [BEFORE_DEADLINE, AT_DEADLINE], ids=["before", "after"])
def test_the_roster_holds_every_state_and_legacy_liaisons_only_while_they_count(world, at):
    # rule L-13, rule L-11: ``hired`` is ``counting`` without the state: the roster shows
    # a suspended or revoked liaison with its state; a migrated one gave way to its hire.
    kinds = _every_kind(world.lab_a)
    hired = set(LiaisonQualification.objects.hired(at=at))
    system = {name for name in kinds if name.startswith("system")}
    legacy = {"legacy active", "legacy suspended", "legacy revoked"}
    expected = system | legacy if at < AT_DEADLINE else system
    assert {name for name, q in kinds.items() if q in hired} == expected
    assert set(LiaisonQualification.objects.counting(at=at)) == {
        q for q in hired if q.state == QualificationState.ACTIVE
    }


# --- L-12: the person's current qualification ----------------------------------------------


def test_the_current_qualification_is_one_definition_for_queries_objects_and_the_constraint(
    world,
):
    # rule L-12: held now = active or suspended, not replaced by a migration hire; the
    # database's one-current-per-person constraint is built from the same condition.
    kinds = _every_kind(world.lab_a)
    current = set(LiaisonQualification.objects.current())
    assert current == {q for q in kinds.values() if q.is_current}
    assert {name for name, q in kinds.items() if q in current} == {
        "system active",
        "system suspended",
        "legacy active",
        "legacy suspended",
    }
    (constraint,) = LiaisonQualification._meta.constraints
    assert constraint.condition == CURRENT


def test_the_legacy_liaisons_to_migrate_are_those_that_can_be_migrated(world):
    # rule L-13: the lab's dashboard card and the migrate button agree.
    kinds = _every_kind(world.lab_a)
    to_migrate = set(LiaisonQualification.objects.to_migrate())
    assert to_migrate == {q for q in kinds.values() if q.can_be_migrated}
    assert {name for name, q in kinds.items() if q in to_migrate} == {
        "legacy active",
        "legacy suspended",
    }


# --- L-05: the lab's business scope ---------------------------------------------------------


def test_fields_outside_the_business_scope_are_named_in_the_order_given(world):
    # rule L-05: lab A's scope is CCC and RoHS.
    scope = rules.business_scope(world.lab_a)
    assert scope == {F.CCC, F.ROHS}
    assert rules.fields_outside_scope([F.CB, F.CCC, F.GAP, F.ROHS], scope) == [F.CB, F.GAP]
    assert rules.fields_outside_scope([F.ROHS, F.CCC], scope) == []


def test_the_form_offers_and_the_rules_accept_the_same_fields(world):
    # rule L-05: the application form's choices are the scope the rules check against.
    form = ApplicationStartForm(lab=world.lab_a)
    offered = [code for code, _label in form.fields["fields"].choices]
    assert offered == [F.CCC, F.ROHS]
    assert rules.fields_outside_scope(offered, rules.business_scope(world.lab_a)) == []


# --- L-10: who evaluates a liaison ----------------------------------------------------------


def test_who_may_evaluate_one_liaison_is_who_finds_it_in_their_list(world):
    # rule L-10: ``permissions.evaluated_labs`` decides both the list of liaisons to evaluate
    # and the check on one of them.
    assign_perm("directory.evaluate_lab", world.evaluator, world.lab_a)
    officer = UserFactory(username="generalbiz", role=Role.GENERAL_BUSINESS_OFFICER)
    in_a = LiaisonQualificationFactory(lab=world.lab_a)
    in_b = LiaisonQualificationFactory(lab=world.lab_b)
    users = {
        "department evaluator of lab A": world.evaluator,
        "branch N reviewer": world.branch_n_reviewer,
        "branch S reviewer": world.branch_s_reviewer,
        "general business officer": officer,
        "training centre": world.training_admin,
        "lab A staff": world.lab_a_staff,
    }
    allowed = {}
    for name, user in users.items():
        listed = set(evaluable_qualifications(user=user))
        for q in (in_a, in_b):
            assert permissions.can_evaluate(user, q) == (q in listed), (name, q.lab)
        allowed[name] = {q.lab.name for q in listed}
    assert allowed == {
        "department evaluator of lab A": {"实验室A"},
        "branch N reviewer": {"实验室A"},
        "branch S reviewer": {"实验室B"},
        "general business officer": {"实验室A", "实验室B"},
        "training centre": set(),
        "lab A staff": set(),
    }
    assert {name for name, user in users.items() if permissions.is_evaluator(user)} == {
        "department evaluator of lab A",
        "branch N reviewer",
        "branch S reviewer",
        "general business officer",
    }


# --- P-03: the tiers of personal data -------------------------------------------------------


def test_the_important_data_is_one_list_for_the_request_form_the_lock_and_the_service(world):
    # rule P-03: tier (b) is asked for, locked once submitted and changed by request alike.
    assert IMPORTANT_FIELDS == ("name", "political_status", "education", "major")
    request_form = ImportantChangeForm(people=None)
    assert [name for name in request_form.fields if name in APPLICANT_FIELDS] == list(
        IMPORTANT_FIELDS
    )
    assert CHANGEABLE_FIELDS[ChangeTier.IMPORTANT] == IMPORTANT_FIELDS

    application = LiaisonApplicationFactory(lab=world.lab_a, submitted=True)
    form = ApplicationUpdateForm(application=application)
    locked = [name for name in APPLICANT_FIELDS if form.fields[name].disabled]
    assert locked == list(IMPORTANT_FIELDS)

    # Tier (a): what the person edits alone, and the rest of the recommendation form's data.
    assert list(SelfMaintainedDataForm().fields) == list(SELF_MAINTAINED_FIELDS)
    assert APPLICANT_FIELDS == (*IMPORTANT_FIELDS, *SELF_MAINTAINED_FIELDS)


# --- L-07: which step in which state --------------------------------------------------------


def _sources(name: str) -> set[str]:
    field = LiaisonApplication._meta.get_field("state")
    return {
        transition.source
        for transition in field.get_all_transitions(LiaisonApplication)
        if transition.name == name
    }


def test_each_partys_states_are_the_sources_of_its_transitions():
    # rule L-07: the queues (dashboard cards, the list's default filter) and the
    # transitions are built from the same state lists.
    assert _sources("submit") == set(LAB_STATES) == set(EDITABLE_STATES)
    assert _sources("accept") | _sources("return_to_lab") | _sources("pass_to_training") == set(
        BRANCH_STATES
    )
    assert _sources("hire") == _sources("reject") == set(DECISION_STATES)


@pytest.mark.parametrize("state", ApplicationState.values)
def test_the_steps_offered_are_those_the_transition_allows_to_whoever_may_take_them(world, state):
    # rule L-07: ``actions_for`` restates no state: in every state each party is offered
    # exactly the steps whose transition can proceed.
    application = LiaisonApplicationFactory(lab=world.lab_a, state=state)
    offered = {
        "lab": permissions.actions_for(world.lab_a_staff, application),
        "branch": permissions.actions_for(world.branch_n_reviewer, application),
        "other branch": permissions.actions_for(world.branch_s_reviewer, application),
        "training centre": permissions.actions_for(world.training_admin, application),
    }
    transitions = {
        "submit": "submit",
        "withdraw": "withdraw",
        "accept": "accept",
        "return": "return_to_lab",
        "pass": "pass_to_training",
        "hire": "hire",
        "reject": "reject",
    }
    possible = {name for name, method in transitions.items() if state in _sources(method)}
    assert set(offered["lab"]) == possible & {"submit", "withdraw"}
    assert set(offered["branch"]) == possible & {"accept", "return", "pass"}
    assert offered["other branch"] == []
    assert set(offered["training centre"]) == possible & {"hire", "reject"}


# --- L-07: a return or a rejection carries a reason -----------------------------------------


def test_a_reason_is_trimmed_required_and_limited_in_one_place():
    # rule L-07: ``cqcportal.limits.clean_reason``.
    assert clean_reason("  材料不全 \n") == "材料不全"
    with pytest.raises(ValidationError) as blank:
        clean_reason(" \n ", required_message=rules.REASON_REQUIRED, field="reason")
    assert blank.value.message_dict == {"reason": [str(rules.REASON_REQUIRED)]}
    with pytest.raises(ValidationError) as long:
        clean_reason("理" * (REASON_MAX_LENGTH + 1))
    assert long.value.code == "max_length"
    assert clean_reason(" " + "理" * REASON_MAX_LENGTH + " ") == "理" * REASON_MAX_LENGTH


@pytest.mark.parametrize("typed", ["   ", "理" * (REASON_MAX_LENGTH + 1)], ids=["blank", "long"])
def test_the_return_form_and_the_return_service_refuse_the_same_reasons(world, typed):
    # rule L-07: the screen and the service (which the API calls) say the same thing.
    form = ActionForm(data={"comment": typed}, reason_required=True)
    assert not form.is_valid()
    application = LiaisonApplicationFactory(lab=world.lab_a, submitted=True)
    with pytest.raises(ValidationError) as refused:
        liaison_application_return(
            application=application, actor=world.branch_n_reviewer, reason=typed
        )
    assert refused.value.message_dict["reason"] == form.errors["comment"]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


# --- L-11: the roster's and the qualification list's filters --------------------------------


def test_the_api_filters_are_the_qualification_lists_with_the_lab_given_by_id(world, rf):
    # rule L-11: one definition of the search (name or employment number, never an ID
    # number), the field and the state; the API names the lab by id, the page by choice.
    held_a = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    held_b = LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b, suspended=True)
    held_b.fields.set([F.CB])
    request = rf.get("/")
    request.user = world.training_admin
    everyone = LiaisonQualification.objects.all()

    def found(filterset_class, data):
        filterset = filterset_class(data, queryset=everyone, request=request)
        assert filterset.is_valid(), filterset.errors
        return set(filterset.qs)

    for data, expected in [
        ({"q": "甲"}, {held_a}),
        ({"field": F.CB}, {held_b}),
        ({"state": QualificationState.SUSPENDED}, {held_b}),
        ({"q": world.person_a.id_number}, set()),
    ]:
        assert found(QualificationFilter, data) == found(ApiRosterFilter, data) == expected
    assert found(QualificationFilter, {"lab": world.lab_b.pk}) == {held_b}
    assert found(ApiRosterFilter, {"lab": world.lab_b.pk}) == {held_b}
    assert found(ApiQualificationFilter, {"lab": world.lab_b.pk}) == {held_b}
    assert list(ApiQualificationFilter.base_filters) == ["lab", "field", "state"]
    assert list(ApiRosterFilter.base_filters) == ["q", "lab", "field", "state"]
