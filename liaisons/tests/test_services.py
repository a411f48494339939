"""The application → review → hire flow and what follows a qualification (L-01..L-12)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from access_audit.constants import LoginRightState
from access_audit.models import LoginRight
from directory.models import Person
from liaisons.constants import ApplicationState, DepartureOutcome, QualificationState
from liaisons.models import CoverageGap, LiaisonQualification
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_reject,
    liaison_application_return,
    liaison_application_submit,
)
from liaisons.services.coverage import coverage_refresh
from liaisons.services.hiring import liaison_application_hire
from liaisons.services.preparation import liaison_application_start, liaison_application_update
from liaisons.services.qualifications import departure_confirm
from liaisons.tests.factories import (
    LiaisonQualificationFactory,
    TrainingEnrolmentFactory,
    ready_application,
)

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def _through_branch(application, world):
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    liaison_application_pass(application=application, actor=world.branch_n_reviewer)
    application.refresh_from_db()
    return application


def _hire(application, world):
    TrainingEnrolmentFactory(person=application.person, passed=True)
    return liaison_application_hire(application=application, actor=world.training_admin)


def test_full_flow_hires_with_an_employment_number_and_a_qualification(
    world, django_capture_on_commit_callbacks
):
    # rule L-07, rule P-02
    application = ready_application(
        lab=world.lab_a, actor=world.lab_a_staff, fields=["CCC", "ROHS"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _through_branch(application, world)
    assert application.state == ApplicationState.PASSED
    with django_capture_on_commit_callbacks(execute=True):
        qualification = _hire(application, world)
    application.refresh_from_db()
    assert application.state == ApplicationState.HIRED
    assert qualification.state == QualificationState.ACTIVE
    assert set(qualification.fields.values_list("code", flat=True)) == {"CCC", "ROHS"}
    person = Person.objects.get(pk=application.person_id)
    assert person.employment_number and len(person.employment_number) == 8
    assert person.lab_id == world.lab_a.pk


def test_submit_reports_every_missing_item_at_once_naming_the_rule(world):
    # rule L-02, rule L-03, rule L-04, rule L-05
    application = liaison_application_start(
        lab=world.lab_a,
        actor=world.lab_a_staff,
        id_number=world.person_a.id_number,
        name=world.person_a.name,
        fields=[],
    )
    with pytest.raises(ValidationError) as caught:
        liaison_application_submit(application=application, actor=world.lab_a_staff)
    codes = set(_codes(caught.value))
    assert {"L-02", "L-03", "L-05"} <= codes
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_submit_messages_are_in_the_users_language(world):
    # rule L-02
    application = liaison_application_start(
        lab=world.lab_a,
        actor=world.lab_a_staff,
        id_number=world.person_a.id_number,
        name=world.person_a.name,
        fields=["CCC"],
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        liaison_application_submit(application=application, actor=world.lab_a_staff)
    messages = " ".join(caught.value.messages)
    assert "L-02" in messages
    assert "缺少材料" in messages  # the translated sentence, not only the rule id
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        liaison_application_submit(application=application, actor=world.lab_a_staff)
    assert "is missing" in " ".join(caught.value.messages)


def test_field_without_training_entry_makes_the_application_incomplete(world):
    # rule L-04
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff, fields=["CCC"])
    application.assessment_entries.filter(field="CCC").delete()
    with pytest.raises(ValidationError) as caught:
        liaison_application_submit(application=application, actor=world.lab_a_staff)
    assert _codes(caught.value) == ["L-04"]


def test_field_outside_the_labs_business_scope_is_refused(world):
    # rule L-05
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff, fields=["CCC"])
    liaison_application_update(
        application=application, actor=world.lab_a_staff, fields=["CCC", "GAP"]
    )
    with pytest.raises(ValidationError) as caught:
        liaison_application_submit(application=application, actor=world.lab_a_staff)
    assert "L-05" in _codes(caught.value)


def test_applicant_below_associate_degree_or_under_a_year_is_not_eligible(world):
    # rule L-01
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_update(
        application=application,
        actor=world.lab_a_staff,
        person_data={"education": "below_associate"},
        work_started_on=timezone.localdate() - datetime.timedelta(days=100),
    )
    with pytest.raises(ValidationError) as caught:
        liaison_application_submit(application=application, actor=world.lab_a_staff)
    assert _codes(caught.value) == ["L-01", "L-01"]


def test_return_and_reject_require_a_reason(world):
    # rule L-07
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    with pytest.raises(ValidationError):
        liaison_application_return(
            application=application, actor=world.branch_n_reviewer, reason="  "
        )
    liaison_application_return(
        application=application, actor=world.branch_n_reviewer, reason="推荐表未盖章"
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED
    assert application.reason == "推荐表未盖章"
    # The lab fixes it and submits again.
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    liaison_application_pass(application=application, actor=world.branch_n_reviewer)
    with pytest.raises(ValidationError):
        liaison_application_reject(application=application, actor=world.training_admin, reason="")
    liaison_application_reject(
        application=application, actor=world.training_admin, reason="经历不符"
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED


def test_every_transition_records_who_when_and_comment(world):
    # rule L-07
    from django_fsm_log.models import StateLog

    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff, comment="请审核")
    liaison_application_return(
        application=application, actor=world.branch_n_reviewer, reason="缺少签字"
    )
    logs = list(StateLog.objects.for_(application).order_by("timestamp"))
    assert [(log.transition, log.by, log.description) for log in logs] == [
        ("submit", world.lab_a_staff, "请审核"),
        ("return_to_lab", world.branch_n_reviewer, "缺少签字"),
    ]


def test_lab_staff_and_other_branches_cannot_make_review_decisions(world):
    # rule L-07
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    for actor in (world.lab_a_staff, world.branch_s_reviewer, world.training_admin):
        with pytest.raises(PermissionDenied):
            liaison_application_accept(application=application, actor=actor)
    with pytest.raises(PermissionDenied):
        liaison_application_submit(application=application, actor=world.lab_b_staff)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_first_time_applicant_gets_an_account_when_the_branch_accepts(
    world, django_capture_on_commit_callbacks
):
    # rule L-08
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    assert application.person.user is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    person = Person.objects.get(pk=application.person_id)
    assert person.user.username == person.id_number
    assert not person.user.has_usable_password()
    [message] = [m for m in mail.outbox if person.email in m.to]
    assert "/accounts/reset/" in message.body
    assert person.id_number not in message.body


def test_existing_account_is_kept(world):
    # rule L-08
    from directory.services import person_account_ensure

    user, _ = person_account_ensure(person=world.person_a, actor=None)
    application = ready_application(
        lab=world.lab_a, actor=world.lab_a_staff, person=world.person_a, name=world.person_a.name
    )
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    world.person_a.refresh_from_db()
    assert world.person_a.user_id == user.pk


def test_no_hire_without_entry_training_passed(world):
    # rule L-09
    application = _through_branch(
        ready_application(lab=world.lab_a, actor=world.lab_a_staff), world
    )
    TrainingEnrolmentFactory(person=application.person, failed=True)
    with pytest.raises(ValidationError) as caught:
        liaison_application_hire(application=application, actor=world.training_admin)
    assert _codes(caught.value) == ["L-09"]
    assert not LiaisonQualification.objects.exists()


def test_employment_number_is_reused_for_a_person_who_has_one(world):
    # rule P-02
    from directory.services import person_assign_employment_number

    number = person_assign_employment_number(person=world.person_a, actor=None)
    application = _through_branch(
        ready_application(
            lab=world.lab_a,
            actor=world.lab_a_staff,
            person=world.person_a,
            name=world.person_a.name,
        ),
        world,
    )
    _hire(application, world)
    world.person_a.refresh_from_db()
    assert world.person_a.employment_number == number


def test_important_data_is_locked_once_submitted(world):
    # rule P-03
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    liaison_application_return(application=application, actor=world.branch_n_reviewer, reason="x")
    with pytest.raises(ValidationError) as caught:
        liaison_application_update(
            application=application,
            actor=world.lab_a_staff,
            person_data={"political_status": "cpc_member"},
        )
    assert caught.value.error_dict["political_status"][0].code == "important_data_locked"
    # Tier (a) stays editable.
    liaison_application_update(
        application=application, actor=world.lab_a_staff, person_data={"phone": "13900000000"}
    )


def test_coverage_gap_closes_on_hire_and_opens_again_on_departure_with_one_mail(
    world, django_capture_on_commit_callbacks
):
    # rule L-06, rule L-12
    from liaisons.selectors import coverage_gaps

    assert [f.code for f in coverage_gaps(lab=world.lab_a)] == ["CCC", "ROHS"]
    application = _through_branch(
        ready_application(lab=world.lab_a, actor=world.lab_a_staff, fields=["CCC", "ROHS"]), world
    )
    qualification = _hire(application, world)
    assert coverage_gaps(lab=world.lab_a) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        departure_confirm(
            qualification=qualification,
            actor=world.lab_a_staff,
            reason="transfer",
            left_on=timezone.localdate(),
            outcome=DepartureOutcome.CANCEL,
        )
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.CANCELLED
    assert [f.code for f in coverage_gaps(lab=world.lab_a)] == ["CCC", "ROHS"]
    gap_mails = [m for m in mail.outbox if "实验室A" in m.subject or "实验室A" in m.body]
    assert len(gap_mails) == 1
    assert set(CoverageGap.objects.filter(closed_at=None).values_list("field_id", flat=True)) == {
        "CCC",
        "ROHS",
    }
    # Refreshing again announces nothing new.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coverage_refresh(lab=world.lab_a)
    assert mail.outbox == []


def test_suspending_a_qualification_suspends_the_login_right(world):
    # rule A-01, rule L-12
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    right = LoginRight.objects.create(
        person=world.person_a, username="cbs001", granted_at=timezone.now()
    )
    departure_confirm(
        qualification=qualification,
        actor=world.lab_a_staff,
        reason="retirement",
        left_on=timezone.localdate(),
        outcome=DepartureOutcome.SUSPEND,
    )
    right.refresh_from_db()
    assert right.state == LoginRightState.SUSPENDED and right.rule == "A-01"
    assert right.suspended_at is not None
    assert right.revoke_reason


def test_departure_is_confirmed_by_the_lab_only(world):
    # rule L-12
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    with pytest.raises(PermissionDenied):
        departure_confirm(
            qualification=qualification,
            actor=world.lab_b_staff,
            reason="transfer",
            left_on=timezone.localdate(),
            outcome=DepartureOutcome.CANCEL,
        )
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.ACTIVE
