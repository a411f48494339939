"""The training centre hires several applicants in one decision (L-07), all or none."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django_fsm_log.models import StateLog

from cqcportal.timeline import timeline_for
from directory.models import EmploymentNumberCounter, Person
from directory.services import person_assign_employment_number
from directory.tests.factories import PersonFactory
from liaisons.constants import ApplicationState, QualificationState
from liaisons.models import CoverageGap, LiaisonApplication, LiaisonQualification
from liaisons.services.applications import liaison_application_reject
from liaisons.services.coverage import coverage_refresh
from liaisons.services.hiring import liaison_applications_hire
from liaisons.tests.factories import (
    LiaisonApplicationFactory,
    LiaisonQualificationFactory,
    TrainingEnrolmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def _passed(lab, *, fields=("CCC",), trained=True, **person):
    application = LiaisonApplicationFactory(
        lab=lab,
        person=PersonFactory(lab=lab, **person),
        passed=True,
        fields=list(fields),
    )
    if trained:
        TrainingEnrolmentFactory(person=application.person, passed=True)
    return application


def _state(application) -> str:
    return LiaisonApplication.objects.get(pk=application.pk).state


def test_each_chosen_applicant_is_hired_as_a_single_hire_would_hire_them(
    world, django_capture_on_commit_callbacks
):
    # rule L-07, rule P-02, rule L-06, rule L-11
    coverage_refresh(lab=world.lab_a)
    assert CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).count() == 2
    chosen = [
        _passed(world.lab_a, fields=["CCC"]),
        _passed(world.lab_a, fields=["ROHS"]),
        _passed(world.lab_b, fields=["CCC", "CB"]),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        qualifications = liaison_applications_hire(
            applications=chosen, actor=world.training_admin, comment="2026年第3期培训合格"
        )

    assert [_state(a) for a in chosen] == [ApplicationState.HIRED] * 3
    assert [q.application_id for q in qualifications] == [a.pk for a in chosen]
    fields = {
        q.application_id: set(q.fields.values_list("code", flat=True)) for q in qualifications
    }
    assert fields == {chosen[0].pk: {"CCC"}, chosen[1].pk: {"ROHS"}, chosen[2].pk: {"CCC", "CB"}}
    assert all(q.state == QualificationState.ACTIVE for q in qualifications)
    numbers = list(
        Person.objects.filter(pk__in=[a.person_id for a in chosen]).values_list(
            "employment_number", flat=True
        )
    )
    assert all(numbers) and len(set(numbers)) == 3
    assert EmploymentNumberCounter.objects.get().last_value == 3
    # Who, when and the comment, for each (L-07).
    logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(LiaisonApplication), transition="hire"
    )
    assert sorted(logs.values_list("object_id", flat=True)) == sorted(a.pk for a in chosen)
    assert {(log.by_id, log.description) for log in logs} == {
        (world.training_admin.pk, "2026年第3期培训合格")
    }
    # Lab A's two fields are covered now (L-06); the hires are on the roster (L-11).
    assert not CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).exists()
    roster = services_roster_numbers()
    assert set(numbers) <= roster
    # One notice per applicant, after commit, to the lab and (a copy of their own) the person.
    assert len(mail.outbox) == 6
    assert {a.person.email for a in chosen} <= {to for m in mail.outbox for to in m.to}


def services_roster_numbers() -> set[str]:
    from liaisons.selectors import roster_entries

    return set(roster_entries().values_list("person__employment_number", flat=True))


def test_history_of_a_decision_reads_like_that_of_a_single_hire(world):
    # rule L-07: the timeline names the change of state, and the fields stay as they were
    first, second = _passed(world.lab_a, fields=["CCC", "ROHS"]), _passed(world.lab_a)
    (qualification, _other) = liaison_applications_hire(
        applications=[first, second], actor=world.training_admin
    )
    application = LiaisonApplication.objects.get(pk=first.pk)
    record = application.history.order_by("-history_date", "-history_id").first()
    assert record.state == ApplicationState.HIRED
    assert record.history_user_id == world.training_admin.pk
    assert {row.certificationfield_id for row in record.fields.all()} == {"CCC", "ROHS"}
    with translation.override("en"):
        latest = timeline_for(application)[0]
    assert "fields" not in " ".join(str(change) for change in latest.changes).lower()
    # A new qualification has one record, holding its fields.
    records = list(LiaisonQualification.objects.get(pk=qualification.pk).history.all())
    assert [r.history_type for r in records] == ["+"]
    assert {row.certificationfield_id for row in records[0].fields.all()} == {"CCC", "ROHS"}
    person = Person.objects.get(pk=first.person_id)
    assert person.history.first().employment_number == person.employment_number


def test_if_one_cannot_be_hired_nobody_is_and_every_problem_is_named(
    world, django_capture_on_commit_callbacks
):
    # rule L-09, rule L-01, rule L-07
    ready = _passed(world.lab_a)
    untrained = _passed(world.lab_a, trained=False, name="王五")
    unqualified = _passed(world.lab_b, name="赵六", education="below_associate")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as caught, translation.override("zh-hans"):
            liaison_applications_hire(
                applications=[ready, untrained, unqualified], actor=world.training_admin
            )
    messages = caught.value.messages
    assert [e.code for e in caught.value.error_list] == ["L-09", "L-01"]
    assert any("王五" in m and f"{untrained.pk}" in m and "L-09" in m for m in messages)
    assert any("赵六" in m and "L-01" in m and "大专" in m for m in messages)
    assert [_state(a) for a in (ready, untrained, unqualified)] == [ApplicationState.PASSED] * 3
    assert not LiaisonQualification.objects.exists()
    assert not Person.objects.exclude(employment_number=None).exists()
    assert not StateLog.objects.filter(transition="hire").exists()
    assert callbacks == [] and mail.outbox == []


def test_an_application_decided_meanwhile_is_named_and_nothing_is_hired(world):
    # rule L-07
    first, second = _passed(world.lab_a), _passed(world.lab_a, name="王五")
    liaison_application_reject(application=second, actor=world.training_admin, reason="材料不实")
    with pytest.raises(ValidationError) as caught:
        liaison_applications_hire(applications=[first, second], actor=world.training_admin)
    assert caught.value.error_list[0].code == "stale_state"
    assert "王五" in caught.value.messages[0]
    assert _state(first) == ApplicationState.PASSED


def test_only_the_training_centre_hires(world):
    # rule L-07
    application = _passed(world.lab_a)
    for user in (world.branch_n_reviewer, world.lab_a_staff):
        with pytest.raises(PermissionDenied):
            liaison_applications_hire(applications=[application], actor=user)
    assert _state(application) == ApplicationState.PASSED


def test_a_person_keeps_their_number_and_leaves_their_old_lab(world):
    # rule P-02: a person hired before keeps their number; one lab at a time (L-06)
    number = person_assign_employment_number(person=world.person_b, actor=None)
    old = LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b, fields=["CB"])
    moving = LiaisonApplicationFactory(lab=world.lab_a, person=world.person_b, passed=True)
    TrainingEnrolmentFactory(person=world.person_b, passed=True)
    newcomer = _passed(world.lab_a)
    liaison_applications_hire(applications=[moving, newcomer], actor=world.training_admin)
    world.person_b.refresh_from_db()
    assert world.person_b.employment_number == number
    assert world.person_b.lab_id == world.lab_a.pk
    old.refresh_from_db()
    assert old.state == QualificationState.CANCELLED
    # Lab B lost its CB liaison: a gap opens there (L-06).
    assert CoverageGap.objects.filter(lab=world.lab_b, field_id="CB", closed_at=None).exists()
    newcomer_number = Person.objects.get(pk=newcomer.person_id).employment_number
    assert newcomer_number and newcomer_number != number


# --- the decision queue --------------------------------------------------------------------


def test_the_decision_queue_hires_the_chosen_and_says_how_many(client, world):
    # rule L-07
    chosen = [_passed(world.lab_a), _passed(world.lab_b)]
    left = _passed(world.lab_a)
    client.force_login(world.training_admin)
    queue = reverse("liaisons:application_list")
    page = client.get(queue)
    assert f'name="applications" value="{left.pk}"' in page.content.decode()
    assert 'form="hire-chosen">' in page.content.decode()
    # A page with nobody to hire offers no hire button.
    assert 'form="hire-chosen">' not in client.get(queue, {"state": "hired"}).content.decode()
    with translation.override("en"):
        response = client.post(
            reverse("liaisons:application_hire_chosen"),
            {"applications": [a.pk for a in chosen], "comment": "", "query": "lab=&page=1"},
            HTTP_ACCEPT_LANGUAGE="en",
            follow=True,
        )
    assert response.redirect_chain[0][0] == f"{queue}?lab=&page=1"
    assert "2 applicants were hired" in response.content.decode()
    assert [_state(a) for a in chosen] == [ApplicationState.HIRED] * 2
    assert _state(left) == ApplicationState.PASSED


def test_the_decision_queue_refuses_what_the_user_may_not_choose(client, world):
    # rule L-07: a lab's staff and a branch reviewer see no choice, and cannot post one
    application = _passed(world.lab_a)
    client.force_login(world.branch_n_reviewer)
    page = client.get(reverse("liaisons:application_list"), {"state": "passed"})
    assert 'name="applications"' not in page.content.decode()
    response = client.post(
        reverse("liaisons:application_hire_chosen"), {"applications": [application.pk]}
    )
    assert response.status_code == 403
    # The training centre choosing an application that is not waiting for a decision.
    draft = LiaisonApplicationFactory(lab=world.lab_a)
    client.force_login(world.training_admin)
    response = client.post(
        reverse("liaisons:application_hire_chosen"),
        {"applications": [application.pk, draft.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "no longer waiting for a decision" in response.content.decode()
    assert _state(application) == ApplicationState.PASSED


# --- the API -------------------------------------------------------------------------------


def test_api_hires_the_chosen_and_answers_their_qualifications(
    api_client, world, django_assert_max_num_queries
):
    # rule L-07, rule P-02
    chosen = [_passed(world.lab_a, fields=["CCC", "ROHS"]), _passed(world.lab_b, fields=["CB"])]
    chosen += [_passed(world.lab_a) for _ in range(3)]
    api_client.force_authenticate(world.training_admin)
    # The answer reads the qualifications back in a few queries, not a few per hire (30 in
    # all when written; reading each one's fields on its own made 33). Issue 11 added two
    # for the whole decision: the numbering path's own lock of the people (P-02) and the
    # state-log rows the notices are recorded under.
    with django_assert_max_num_queries(34):
        response = api_client.post(
            "/api/liaisons/applications/hire/",
            {"applications": [a.pk for a in chosen], "comment": "批量聘用"},
            format="json",
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [row["application"] for row in body] == [a.pk for a in chosen]
    assert all(row["state"] == "active" for row in body)
    assert [row["fields"] for row in body[:2]] == [["CCC", "ROHS"], ["CB"]]


def test_api_refuses_unknown_undecidable_and_unauthorised_choices(api_client, world):
    # rule L-07, rule L-09
    ready, untrained = _passed(world.lab_a), _passed(world.lab_a, trained=False)
    api_client.force_authenticate(world.training_admin)
    url = "/api/liaisons/applications/hire/"
    response = api_client.post(url, {"applications": [ready.pk, 999999]}, format="json")
    assert response.status_code == 400
    assert "999999" in str(response.json()["applications"])
    response = api_client.post(url, {"applications": [ready.pk, untrained.pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["codes"] == ["L-09"]
    response = api_client.post(url, {"applications": []}, format="json")
    assert response.status_code == 400
    api_client.force_authenticate(world.branch_n_reviewer)
    response = api_client.post(url, {"applications": [ready.pk]}, format="json")
    assert response.status_code == 403
    assert _state(ready) == ApplicationState.PASSED


def test_a_decision_queues_the_hire_notices_of_all_its_applicants_as_one_task(
    world, monkeypatch, settings, django_capture_on_commit_callbacks
):
    # rule L-11: every hire gets its printable notice; one message for the decision
    from liaisons import tasks

    settings.LIAISON_DOCUMENTS_ON_COMMIT = True
    dispatched = []
    monkeypatch.setattr(tasks.generate_documents_of_applications, "delay", dispatched.append)
    monkeypatch.setattr(tasks.send_application_notices, "delay", lambda *args: None)
    chosen = [_passed(world.lab_a), _passed(world.lab_b)]
    with django_capture_on_commit_callbacks(execute=True):
        liaison_applications_hire(applications=chosen, actor=world.training_admin)
    assert dispatched == [[a.pk for a in sorted(chosen, key=lambda a: a.pk)]]


def test_a_migration_that_drops_a_field_opens_its_gap(world, monkeypatch):
    # rule L-13, rule L-06: before the deadline the legacy liaison covers CCC and RoHS; the
    # migration application names CCC only, so RoHS is uncovered once the legacy one stops
    # counting
    import datetime

    from django.utils import timezone

    before_deadline = datetime.datetime(2011, 8, 1, 9, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: before_deadline)
    legacy = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, legacy=True, fields=["CCC", "ROHS"]
    )
    coverage_refresh(lab=world.lab_a)
    assert not CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).exists()
    migration = LiaisonApplicationFactory(
        lab=world.lab_a,
        person=world.person_a,
        passed=True,
        is_migration=True,
        legacy_qualification=legacy,
        work_started_on=datetime.date(2005, 7, 1),
        fields=["CCC"],
    )
    TrainingEnrolmentFactory(person=world.person_a, passed=True)
    liaison_applications_hire(applications=[migration], actor=world.training_admin)
    legacy.refresh_from_db()
    assert legacy.migrated_at == before_deadline
    assert list(
        CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).values_list(
            "field_id", flat=True
        )
    ) == ["ROHS"]
