"""Entry training (L-09): sessions, enrolments and results, and the hire that needs a pass."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from directory.dashboard import cards_for
from directory.tests.factories import PersonFactory
from liaisons.constants import ApplicationState, TrainingMode, TrainingResult
from liaisons.models import LiaisonQualification, TrainingEnrolment, TrainingSession
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_submit,
)
from liaisons.services.hiring import liaison_application_hire
from liaisons.services.training import (
    training_enrol,
    training_result_record,
    training_session_create,
)
from liaisons.tests.factories import (
    LiaisonApplicationFactory,
    TrainingEnrolmentFactory,
    ready_application,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def _session(world, *, capacity=None, starts_on=None, **kwargs) -> TrainingSession:
    starts_on = starts_on or timezone.localdate()
    return training_session_create(
        actor=world.training_admin,
        title=kwargs.get("title", "认证联络员入门培训 2026-1"),
        mode=kwargs.get("mode", TrainingMode.FACE_TO_FACE),
        starts_on=starts_on,
        ends_on=kwargs.get("ends_on", starts_on + datetime.timedelta(days=1)),
        location="北京 培训中心 301",
        capacity=capacity,
    )


def _through_branch(application, world):
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    liaison_application_pass(application=application, actor=world.branch_n_reviewer)
    application.refresh_from_db()
    return application


# --- services ----------------------------------------------------------------------------------


def test_a_failed_training_blocks_the_hire_and_a_pass_allows_it(world):
    # rule L-09: entry training must be passed before the person starts work as a liaison.
    application = _through_branch(
        ready_application(lab=world.lab_a, actor=world.lab_a_staff), world
    )
    first = _session(world, title="第一期")
    enrolment = training_enrol(session=first, person=application.person, actor=world.training_admin)
    training_result_record(
        enrolment=enrolment, result=TrainingResult.FAILED, actor=world.training_admin
    )
    with pytest.raises(ValidationError) as caught:
        liaison_application_hire(application=application, actor=world.training_admin)
    assert _codes(caught.value) == ["L-09"]
    assert not LiaisonQualification.objects.exists()

    # A failed person may take another session, and a pass there lets the hire through.
    second = _session(world, title="第二期")
    enrolment = training_enrol(
        session=second, person=application.person, actor=world.training_admin
    )
    training_result_record(
        enrolment=enrolment, result=TrainingResult.PASSED, actor=world.training_admin
    )
    qualification = liaison_application_hire(application=application, actor=world.training_admin)
    application.refresh_from_db()
    assert application.state == ApplicationState.HIRED
    assert qualification.person_id == application.person_id


def test_only_the_training_centre_organises_training(world):
    # rule L-09: organised by the training centre.
    for outsider in (world.lab_a_staff, world.branch_n_reviewer, world.evaluator):
        with pytest.raises(PermissionDenied):
            training_session_create(
                actor=outsider,
                title="x",
                mode=TrainingMode.REMOTE,
                starts_on=datetime.date(2026, 3, 2),
                ends_on=datetime.date(2026, 3, 2),
                location="",
                capacity=None,
            )
    session = _session(world)
    with pytest.raises(PermissionDenied):
        training_enrol(session=session, person=world.person_a, actor=world.lab_a_staff)
    enrolment = training_enrol(session=session, person=world.person_a, actor=world.training_admin)
    with pytest.raises(PermissionDenied):
        training_result_record(
            enrolment=enrolment, result=TrainingResult.PASSED, actor=world.branch_n_reviewer
        )
    enrolment.refresh_from_db()
    assert enrolment.result == TrainingResult.ENROLLED
    assert TrainingSession.objects.count() == 1


def test_a_session_has_one_of_the_three_modes_and_ends_after_it_starts(world):
    # rule L-09: face-to-face, remote or self-study.
    with pytest.raises(ValidationError) as caught:
        _session(world, mode="classroom")
    assert "mode" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        _session(world, starts_on=datetime.date(2026, 3, 5), ends_on=datetime.date(2026, 3, 4))
    assert "ends_on" in caught.value.error_dict
    for mode in TrainingMode.values:
        assert _session(world, mode=mode).mode == mode


def test_enrolment_respects_the_capacity(world):
    # rule L-09
    session = _session(world, capacity=1)
    training_enrol(session=session, person=world.person_a, actor=world.training_admin)
    with pytest.raises(ValidationError) as caught:
        training_enrol(session=session, person=world.person_b, actor=world.training_admin)
    assert _codes(caught.value) == ["session_full"]
    assert list(session.enrolments.values_list("person", flat=True)) == [world.person_a.pk]


def test_a_person_is_enrolled_once_per_session_with_a_clear_error(world):
    # rule L-09
    session = _session(world)
    training_enrol(session=session, person=world.person_a, actor=world.training_admin)
    with pytest.raises(ValidationError) as caught:
        training_enrol(session=session, person=world.person_a, actor=world.training_admin)
    assert _codes(caught.value) == ["already_enrolled"]
    assert world.person_a.name in caught.value.messages[0]
    assert TrainingEnrolment.objects.filter(person=world.person_a).count() == 1


def test_only_lab_people_or_applicants_are_enrolled(world):
    # rule L-09: entry training is for (future) liaisons: people of a lab or with an application.
    session = _session(world)
    with pytest.raises(ValidationError) as caught:
        training_enrol(session=session, person=world.person_x, actor=world.training_admin)
    assert _codes(caught.value) == ["not_eligible"]
    # Someone with an application in progress is eligible even without a lab on record.
    applicant = PersonFactory(lab=None)
    LiaisonApplicationFactory(lab=world.lab_a, person=applicant, submitted=True)
    assert training_enrol(session=session, person=applicant, actor=world.training_admin)
    assert training_enrol(session=session, person=world.person_a, actor=world.training_admin)


def test_someone_who_passed_is_not_enrolled_again(world):
    # rule L-09
    TrainingEnrolmentFactory(person=world.person_a, passed=True)
    with pytest.raises(ValidationError) as caught:
        training_enrol(session=_session(world), person=world.person_a, actor=world.training_admin)
    assert _codes(caught.value) == ["already_passed"]


def test_the_result_records_who_and_when(world):
    # rule L-09
    session = _session(world)
    enrolment = training_enrol(session=session, person=world.person_a, actor=world.training_admin)
    assert enrolment.result_recorded_at is None
    before = timezone.now()
    training_result_record(
        enrolment=enrolment, result=TrainingResult.PASSED, actor=world.training_admin
    )
    enrolment.refresh_from_db()
    assert enrolment.result == TrainingResult.PASSED
    assert enrolment.result_recorded_by == world.training_admin
    assert enrolment.result_recorded_at >= before
    with pytest.raises(ValidationError):
        training_result_record(
            enrolment=enrolment, result=TrainingResult.ENROLLED, actor=world.training_admin
        )


def test_no_result_before_the_session_starts(world):
    # rule L-09
    session = _session(world, starts_on=timezone.localdate() + datetime.timedelta(days=7))
    enrolment = training_enrol(session=session, person=world.person_a, actor=world.training_admin)
    with pytest.raises(ValidationError) as caught:
        training_result_record(
            enrolment=enrolment, result=TrainingResult.PASSED, actor=world.training_admin
        )
    assert _codes(caught.value) == ["session_not_started"]


# --- screens -----------------------------------------------------------------------------------


def test_training_screens_are_the_training_centres_alone(client, world):
    # rule L-09
    session = _session(world)
    detail = reverse("liaisons:training_session_detail", args=[session.pk])
    for outsider in (world.lab_a_staff, world.branch_n_reviewer, world.evaluator):
        client.force_login(outsider)
        assert client.get(reverse("liaisons:training_session_list")).status_code == 403
        assert client.get(reverse("liaisons:training_session_create")).status_code == 403
        assert client.get(detail).status_code == 404
    client.force_login(world.training_admin)
    response = client.get(reverse("liaisons:training_session_list"), **EN)
    assert response.status_code == 200
    assert session.title in response.content.decode()
    assert client.get(detail).status_code == 200


def test_the_training_centre_creates_a_session_on_screen(client, world):
    # rule L-09
    client.force_login(world.training_admin)
    response = client.post(
        reverse("liaisons:training_session_create"),
        {
            "title": "远程入门培训",
            "mode": TrainingMode.REMOTE,
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
            "location": "https://meeting.example.cn/abc",
            "capacity": "30",
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("liaisons:training_session_detail", args=[session.pk])
    assert (session.mode, session.capacity, session.created_by) == (
        TrainingMode.REMOTE,
        30,
        world.training_admin,
    )
    response = client.post(
        reverse("liaisons:training_session_create"),
        {"title": "x", "mode": "self_study", "starts_on": "2026-12-05", "ends_on": "2026-12-01"},
        **EN,
    )
    assert response.status_code == 400
    assert TrainingSession.objects.count() == 1


def test_the_session_page_lists_applicants_awaiting_training_masked(client, world):
    # rule L-09 (who to enrol next), rule P-04 (ID numbers masked in lists)
    session = _session(world)
    waiting = LiaisonApplicationFactory(lab=world.lab_a, person=world.person_a, passed=True)
    trained = LiaisonApplicationFactory(lab=world.lab_b, person=world.person_b, with_branch=True)
    TrainingEnrolmentFactory(person=trained.person, passed=True)
    client.force_login(world.training_admin)
    page = client.get(reverse("liaisons:training_session_detail", args=[session.pk]), **EN)
    html = page.content.decode()
    assert waiting.person.name in html
    assert waiting.person.masked_id_number in html
    assert waiting.person.id_number not in html
    assert trained.person.name not in html


def test_enrol_from_the_list_by_id_number_and_record_the_result(client, world):
    # rule L-09, rule P-04 (the ID number goes in the request body, not in a URL)
    session = _session(world)
    client.force_login(world.training_admin)
    enrol_url = reverse("liaisons:training_enrol", args=[session.pk])
    assert client.post(enrol_url, {"person": world.person_a.pk}).status_code == 302
    assert client.post(enrol_url, {"id_number": world.person_b.id_number}).status_code == 302
    assert set(session.enrolments.values_list("person", flat=True)) == {
        world.person_a.pk,
        world.person_b.pk,
    }
    # Twice: the page says so.
    response = client.post(enrol_url, {"person": world.person_a.pk}, **EN)
    assert response.status_code == 400
    assert "already enrolled" in response.content.decode()
    # Someone of no lab and no application cannot be picked.
    response = client.post(enrol_url, {"id_number": world.person_x.id_number}, **EN)
    assert response.status_code == 400
    assert f"No one with the ID number {world.person_x.masked_id_number}" in (
        response.content.decode()
    )
    assert not session.enrolments.filter(person=world.person_x).exists()

    enrolment = session.enrolments.get(person=world.person_a)
    response = client.post(
        reverse("liaisons:training_result", args=[session.pk]),
        {"enrolment": enrolment.pk, "result": TrainingResult.PASSED},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.result == TrainingResult.PASSED
    assert enrolment.result_recorded_by == world.training_admin
    page = client.get(reverse("liaisons:training_session_detail", args=[session.pk]), **EN)
    html = page.content.decode()
    assert f"result of {world.person_a.name}: Passed" in html  # the timeline
    assert f"enrolled {world.person_b.name}" in html


def test_a_result_for_another_sessions_enrolment_is_refused(client, world):
    # rule L-09: the enrolment must belong to the session named in the URL.
    session, other = _session(world, title="一"), _session(world, title="二")
    enrolment = training_enrol(session=other, person=world.person_a, actor=world.training_admin)
    client.force_login(world.training_admin)
    response = client.post(
        reverse("liaisons:training_result", args=[session.pk]),
        {"enrolment": enrolment.pk, "result": TrainingResult.PASSED},
    )
    assert response.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.result == TrainingResult.ENROLLED


def test_a_name_search_never_takes_an_id_number_in_the_url(client, world):
    # rule P-04
    session = _session(world)
    client.force_login(world.training_admin)
    url = reverse("liaisons:training_session_detail", args=[session.pk])
    html = client.get(url, {"q": world.person_a.name}, **EN).content.decode()
    assert world.person_a.masked_id_number in html
    # Typed in by mistake: the page answers at an address without it.
    response = client.get(url, {"q": world.person_a.id_number}, **EN, follow=True)
    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert "never put in the page address" in html
    assert world.person_a.id_number not in html


def test_training_admin_card_and_navigation(client, world):
    # rule L-09
    session = _session(world, starts_on=timezone.localdate() + datetime.timedelta(days=3))
    _session(
        world, title="过去", starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 2)
    )
    card = next(c for c in cards_for(world.training_admin) if c.url.endswith("/training/"))
    assert card.count == 1
    assert session.title in card.items[0][0]
    client.force_login(world.training_admin)
    html = client.get(reverse("dashboard"), **EN).content.decode()
    assert reverse("liaisons:training_session_list") in html
    client.force_login(world.lab_a_staff)
    html = client.get(reverse("dashboard"), **EN).content.decode()
    assert reverse("liaisons:training_session_list") not in html
