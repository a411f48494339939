"""Continuous evaluation (L-10): who may evaluate which liaison, the training centre's
aggregate and its keep / suspend / revoke decision, with rights and coverage following."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from guardian.shortcuts import assign_perm

from access_audit.constants import LoginRightState
from access_audit.tests.factories import LoginRightFactory
from directory.constants import DepartmentKind, Role
from directory.dashboard import cards_for
from directory.tests.factories import DepartmentFactory, UserFactory
from liaisons.constants import EvaluationDecisionKind, EvaluationRating, QualificationState
from liaisons.models import CoverageGap, Evaluation, EvaluationDecision
from liaisons.selectors_evaluations import evaluation_overview, qualifications_awaiting_decision
from liaisons.services.evaluations import evaluation_decide, evaluation_record
from liaisons.tests.factories import EvaluationFactory, LiaisonQualificationFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
GOOD, ADEQUATE, POOR = EvaluationRating.GOOD, EvaluationRating.ADEQUATE, EvaluationRating.POOR


@pytest.fixture
def liaisons(world):
    """An active liaison of lab A (covering its whole scope) and one of lab B; the evaluator
    was given lab A only."""
    assign_perm("directory.evaluate_lab", world.evaluator, world.lab_a)
    a = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC", "ROHS"])
    b = LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b, fields=["CCC", "CB"])
    return a, b


def _evaluate(qualification, actor, rating=GOOD, **kwargs) -> Evaluation:
    today = timezone.localdate()
    return evaluation_record(
        qualification=qualification,
        actor=actor,
        rating=rating,
        comment=kwargs.get("comment", "按时提交报告，沟通顺畅。"),
        period_start=kwargs.get("period_start", today - datetime.timedelta(days=90)),
        period_end=kwargs.get("period_end", today),
    )


def _codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


# --- recording evaluations ---------------------------------------------------------------------


def test_department_evaluators_evaluate_only_the_labs_they_were_given(world, liaisons):
    # rule L-10: product and inspection departments evaluate the liaisons they work with.
    a, b = liaisons
    evaluation = _evaluate(a, world.evaluator)
    assert evaluation.department == world.evaluator.department
    assert evaluation.branch is None
    assert evaluation.evaluated_by == world.evaluator
    with pytest.raises(PermissionDenied):
        _evaluate(b, world.evaluator)
    assert list(Evaluation.objects.values_list("qualification", flat=True)) == [a.pk]


def test_branch_reviewers_evaluate_the_liaisons_of_their_branch(world, liaisons):
    # rule L-10: branch centres evaluate.
    a, b = liaisons
    evaluation = _evaluate(a, world.branch_n_reviewer, POOR)
    assert evaluation.branch == world.branch_n
    assert evaluation.department is None
    with pytest.raises(PermissionDenied):
        _evaluate(b, world.branch_n_reviewer)
    assert _evaluate(b, world.branch_s_reviewer).branch == world.branch_s


def test_general_business_officers_evaluate_for_their_department(world, liaisons):
    # rule L-10: the general business department evaluates.
    a, _ = liaisons
    officer = UserFactory(username="generalbiz", role=Role.GENERAL_BUSINESS_OFFICER)
    with pytest.raises(ValidationError) as caught:
        _evaluate(a, officer)
    assert _codes(caught.value) == ["no_general_business_department"]
    department = DepartmentFactory(
        code="GB", name="综合业务部", kind=DepartmentKind.GENERAL_BUSINESS
    )
    assert _evaluate(a, officer).department == department


def test_lab_staff_training_centre_and_bodies_do_not_evaluate(world, liaisons):
    # rule L-10
    a, _ = liaisons
    for outsider in (world.lab_a_staff, world.training_admin, world.body_x_admin):
        with pytest.raises(PermissionDenied):
            _evaluate(a, outsider)
    assert not Evaluation.objects.exists()


def test_an_evaluation_says_what_it_rests_on_and_covers_a_past_period(world, liaisons):
    # rule L-10
    a, _ = liaisons
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        _evaluate(a, world.evaluator, comment="  ")
    assert "comment" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        _evaluate(a, world.evaluator, period_start=today, period_end=today - datetime.timedelta(1))
    assert "period_end" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        _evaluate(a, world.evaluator, period_end=today + datetime.timedelta(days=1))
    assert "period_end" in caught.value.error_dict
    assert not Evaluation.objects.exists()


def test_a_revoked_liaison_is_no_longer_evaluated(world, liaisons):
    # rule L-10
    a, _ = liaisons
    evaluation_decide(qualification=a, actor=world.training_admin, decision="revoke", reason="x")
    with pytest.raises(ValidationError) as caught:
        _evaluate(a, world.evaluator)
    assert _codes(caught.value) == ["not_current"]


# --- the training centre's decision ------------------------------------------------------------


def test_only_the_training_centre_decides_and_always_with_a_reason(world, liaisons):
    # rule L-10
    a, _ = liaisons
    for outsider in (world.lab_a_staff, world.branch_n_reviewer, world.evaluator):
        with pytest.raises(PermissionDenied):
            evaluation_decide(
                qualification=a, actor=outsider, decision="suspend", reason="多次差评"
            )
    with pytest.raises(ValidationError) as caught:
        evaluation_decide(qualification=a, actor=world.training_admin, decision="keep", reason=" ")
    assert "reason" in caught.value.error_dict
    a.refresh_from_db()
    assert a.state == QualificationState.ACTIVE
    assert not EvaluationDecision.objects.exists()


def test_keep_records_the_decision_only(world, liaisons):
    # rule L-10
    a, _ = liaisons
    decision = evaluation_decide(
        qualification=a, actor=world.training_admin, decision="keep", reason="整改到位"
    )
    a.refresh_from_db()
    assert a.state == QualificationState.ACTIVE
    assert (decision.decision, decision.decided_by, decision.reason) == (
        EvaluationDecisionKind.KEEP,
        world.training_admin,
        "整改到位",
    )


def test_suspending_ends_the_login_right_and_opens_a_coverage_gap(world, liaisons):
    # rule L-10, rule A-01 (rights follow qualifications), rule L-06 (coverage)
    a, _ = liaisons
    right = LoginRightFactory(person=world.person_a, username="cbs001")
    assert not CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).exists()
    evaluation_decide(
        qualification=a, actor=world.training_admin, decision="suspend", reason="连续三次差评"
    )
    a.refresh_from_db()
    right.refresh_from_db()
    assert a.state == QualificationState.SUSPENDED
    assert a.state_reason == "连续三次差评"
    assert right.state == LoginRightState.SUSPENDED and right.rule == "A-01"
    assert set(
        CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).values_list("field", flat=True)
    ) == {"CCC", "ROHS"}
    # Revoking a suspended qualification is the next step; suspending it again is not.
    with pytest.raises(ValidationError):
        evaluation_decide(
            qualification=a, actor=world.training_admin, decision="suspend", reason="again"
        )
    assert EvaluationDecision.objects.count() == 1
    evaluation_decide(qualification=a, actor=world.training_admin, decision="revoke", reason="撤销")
    a.refresh_from_db()
    assert a.state == QualificationState.REVOKED


def test_a_poor_rating_awaits_a_decision_until_one_is_taken(world, liaisons):
    # rule L-10
    a, b = liaisons
    _evaluate(b, world.branch_s_reviewer, GOOD)
    _evaluate(a, world.evaluator, POOR)
    awaiting = qualifications_awaiting_decision(user=world.training_admin)
    assert list(awaiting) == [a]
    evaluation_decide(qualification=a, actor=world.training_admin, decision="keep", reason="约谈")
    assert not qualifications_awaiting_decision(user=world.training_admin).exists()
    # A new poor rating after the decision asks for one again.
    EvaluationFactory(
        qualification=a,
        by_branch=True,
        poor=True,
        evaluated_by=world.branch_n_reviewer,
        evaluated_at=timezone.now() + datetime.timedelta(seconds=5),
    )
    assert list(qualifications_awaiting_decision(user=world.training_admin)) == [a]
    assert not qualifications_awaiting_decision(user=world.evaluator).exists()


def test_the_overview_counts_ratings_per_liaison(world, liaisons):
    # rule L-10: the training centre sees the evaluations aggregated per liaison.
    a, b = liaisons
    for actor, rating in [
        (world.evaluator, GOOD),
        (world.evaluator, POOR),
        (world.branch_n_reviewer, POOR),
        (world.branch_n_reviewer, ADEQUATE),
    ]:
        _evaluate(a, actor, rating)
    _evaluate(b, world.branch_s_reviewer, GOOD)
    evaluation_decide(qualification=b, actor=world.training_admin, decision="keep", reason="好")
    rows = {q.pk: q for q in evaluation_overview(user=world.training_admin)}
    assert (rows[a.pk].good_count, rows[a.pk].adequate_count, rows[a.pk].poor_count) == (1, 1, 2)
    assert rows[a.pk].evaluation_count == 4
    assert rows[a.pk].awaits_decision and rows[a.pk].latest_decision is None
    assert (rows[b.pk].good_count, rows[b.pk].poor_count) == (1, 0)
    assert rows[b.pk].latest_decision == EvaluationDecisionKind.KEEP
    assert rows[a.pk].latest_evaluated_at == a.evaluations.latest("evaluated_at").evaluated_at
    assert not evaluation_overview(user=world.evaluator).exists()


# --- screens -----------------------------------------------------------------------------------


def test_evaluators_list_and_evaluate_only_their_liaisons(client, world, liaisons):
    # rule L-10
    a, b = liaisons
    client.force_login(world.evaluator)
    html = client.get(reverse("liaisons:evaluable_list"), **EN).content.decode()
    assert reverse("liaisons:evaluation_create", args=[a.pk]) in html
    assert world.person_b.name not in html
    # Lab B was not given to this evaluator: its liaison is outside the scope.
    assert client.get(reverse("liaisons:evaluation_create", args=[b.pk])).status_code == 404
    form = client.get(reverse("liaisons:evaluation_create", args=[a.pk]), **EN)
    assert form.status_code == 200
    assert 'name="rating"' in form.content.decode()
    response = client.post(
        reverse("liaisons:evaluation_create", args=[a.pk]),
        {
            "rating": POOR,
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "comment": "报告多次延误。",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.qualification, evaluation.rating, evaluation.department) == (
        a,
        POOR,
        world.evaluator.department,
    )


def test_lab_staff_may_not_evaluate_or_decide_on_screen(client, world, liaisons):
    # rule L-10
    a, _ = liaisons
    client.force_login(world.lab_a_staff)
    assert client.get(reverse("liaisons:evaluable_list")).status_code == 403
    assert client.get(reverse("liaisons:evaluation_create", args=[a.pk])).status_code == 403
    assert client.get(reverse("liaisons:evaluation_overview")).status_code == 403
    assert client.get(reverse("liaisons:qualification_evaluations", args=[a.pk])).status_code == 403
    response = client.post(
        reverse("liaisons:evaluation_decide", args=[a.pk]), {"decision": "revoke", "reason": "x"}
    )
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.state == QualificationState.ACTIVE


def test_the_training_centre_decides_on_screen(client, world, liaisons):
    # rule L-10
    a, _ = liaisons
    _evaluate(a, world.evaluator, POOR, comment="拒不配合工厂检查")
    client.force_login(world.training_admin)
    page = client.get(reverse("liaisons:qualification_evaluations", args=[a.pk]), **EN)
    html = page.content.decode()
    assert "拒不配合工厂检查" in html
    assert world.evaluator.department.name in html  # who evaluated
    response = client.post(
        reverse("liaisons:evaluation_decide", args=[a.pk]), {"decision": "suspend", "reason": ""}
    )
    assert response.status_code == 400
    a.refresh_from_db()
    assert a.state == QualificationState.ACTIVE
    response = client.post(
        reverse("liaisons:evaluation_decide", args=[a.pk]),
        {"decision": "suspend", "reason": "拒不配合"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == QualificationState.SUSPENDED
    html = client.get(response.url, **EN).content.decode()
    assert "Suspend" in html and "拒不配合" in html


def test_the_overview_page_reads_in_constant_queries(client, world, liaisons):
    # rule L-10: the aggregation is done in SQL, one query for the page however many rows.
    client.force_login(world.training_admin)
    url = reverse("liaisons:evaluation_overview") + "?show=all"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the session's first page also remembers what it learnt once (second factor)
    few = queries()
    for _ in range(8):
        qualification = LiaisonQualificationFactory(lab=world.lab_a)
        _evaluate(qualification, world.evaluator, POOR)
    assert queries() == few
    html = client.get(url, **EN).content.decode()
    assert html.count("awaits a decision") == 8


def test_dashboard_cards_of_the_training_centre_and_evaluators(world, liaisons):
    # rule L-10
    a, _ = liaisons
    _evaluate(a, world.evaluator, POOR)
    with translation.override("en"):
        titles = {card.title: card for card in cards_for(world.training_admin)}
        evaluator_cards = {card.title: card for card in cards_for(world.evaluator)}
    assert titles["Liaisons with poor evaluations"].count == 1
    assert evaluator_cards["Liaisons you evaluate"].count == 1
    assert evaluator_cards["Liaisons you evaluate"].items == [
        (f"{a.person.name} · {a.lab.name}", reverse("liaisons:evaluation_create", args=[a.pk]))
    ]


def test_navigation_links_by_role(client, world):
    # rule L-09, rule L-10
    client.force_login(world.training_admin)
    html = client.get(reverse("dashboard"), **EN).content.decode()
    assert reverse("liaisons:evaluation_overview") in html
    assert reverse("liaisons:training_session_list") in html
    for role_user in (world.evaluator, world.branch_n_reviewer):
        client.force_login(role_user)
        html = client.get(reverse("dashboard"), **EN).content.decode()
        assert reverse("liaisons:evaluable_list") in html
        assert reverse("liaisons:training_session_list") not in html
    client.force_login(world.lab_a_staff)
    html = client.get(reverse("dashboard"), **EN).content.decode()
    assert reverse("liaisons:evaluable_list") not in html
