"""A-02: a login right is applied for at the quality technology dept and granted by the general
business dept; only for a person with an active liaison qualification (A-01); a revoked or
suspended right is granted again through a request, its history keeping both (A-06)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_fsm_log.models import StateLog

from access_audit.constants import LoginRightState, RightRequestState
from access_audit.models import LoginRight, LoginRightRequest, RightChange
from access_audit.services import requests as services
from access_audit.tasks.requests import send_login_right_request_notice
from access_audit.tests.conftest import change_qualification, hire
from access_audit.tests.factories import LoginRightFactory
from directory.constants import Role
from directory.tests.factories import PersonFactory, UserFactory
from liaisons.tests.factories import LiaisonQualificationFactory

pytestmark = pytest.mark.django_db


def _submit(world, person=None, username="cbs-jia", actor=None, **kwargs):
    return services.login_right_request_submit(
        person=person or world.person_a,
        username=username,
        actor=actor or world.lab_a_staff,
        **kwargs,
    )


def _accepted(world, departments, **kwargs):
    request = _submit(world, **kwargs)
    return services.login_right_request_accept(
        request=request, actor=departments.quality_tech, comment="材料齐全"
    )


def _code(excinfo) -> str:
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return next(e.code for errors in error.error_dict.values() for e in errors)
    return error.error_list[0].code if hasattr(error, "error_list") else error.code


# --- submit ----------------------------------------------------------------------------------


def test_lab_staff_submit_for_a_qualified_person_of_their_lab(world, hired):
    # rule A-02
    request = _submit(world, comment="新聘联络员")
    assert request.state == RightRequestState.SUBMITTED
    assert (request.person, request.lab, request.username) == (
        world.person_a,
        world.lab_a,
        "cbs-jia",
    )
    assert request.submitted_by == world.lab_a_staff and request.submitted_at
    assert request.comment == "新聘联络员"
    assert request.right is None
    assert not LoginRight.objects.exists()  # nothing is granted by a submission


def test_a_person_submits_for_themself(world, hired):
    # rule A-02
    account = UserFactory(username=world.person_a.id_number, role=Role.PERSON)
    world.person_a.user = account
    world.person_a.save(update_fields=["user"])
    request = _submit(world, actor=account)
    assert request.submitted_by == account and request.lab == world.lab_a


@pytest.mark.parametrize("qualification", [None, "suspended", "legacy"])
def test_a_person_without_an_active_qualification_is_refused_naming_what_to_do_first(
    world, qualification
):
    # rule A-01, rule A-02, rule L-07: hired first, then apply; rule L-13: a legacy
    # qualification not migrated no longer counts after the migration deadline
    if qualification:
        LiaisonQualificationFactory(person=world.person_a, lab=world.lab_a, **{qualification: True})
    with pytest.raises(ValidationError) as excinfo:
        _submit(world)
    assert _code(excinfo) == "not_qualified"
    message = " ".join(excinfo.value.messages)
    assert "A-01" in message and "L-07" in message and world.person_a.name in message
    assert not LoginRightRequest.objects.exists()


def test_the_refusal_is_in_the_users_language(world):
    # rule A-01, rule A-02
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        _submit(world)
    assert "聘用" in " ".join(excinfo.value.messages)


def test_a_lab_cannot_apply_for_another_labs_person(world, hired):
    # rule A-02: lab A's staff for lab B's person
    with pytest.raises(PermissionDenied):
        _submit(world, person=world.person_b, actor=world.lab_a_staff)
    assert not LoginRightRequest.objects.exists()


@pytest.mark.parametrize("role", ["quality_tech", "general_business"])
def test_the_departments_do_not_submit(world, hired, departments, role):
    # rule A-02: the request comes from the lab or the person
    with pytest.raises(PermissionDenied):
        _submit(world, actor=getattr(departments, role))


def test_a_lab_applies_only_where_the_qualification_is(world):
    # rule A-02: the person works for lab A but is hired by lab B
    hire(world.person_a, lab=world.lab_b)
    with pytest.raises(ValidationError) as excinfo:
        _submit(world)
    assert _code(excinfo) == "other_lab"


def test_one_open_request_per_person(world, hired):
    # rule A-02
    _submit(world)
    with pytest.raises(ValidationError) as excinfo:
        _submit(world, username="cbs-jia-2")
    assert _code(excinfo) == "request_open"
    assert LoginRightRequest.objects.count() == 1


def test_a_person_with_an_active_right_needs_no_request(world, hired):
    # rule A-02
    LoginRightFactory(person=world.person_a, username="cbs-old")
    with pytest.raises(ValidationError) as excinfo:
        _submit(world)
    assert _code(excinfo) == "already_active"
    assert "cbs-old" in " ".join(excinfo.value.messages)


def test_another_persons_username_is_refused_whatever_its_case(world, hired):
    # rule A-02
    LoginRightFactory(person=world.person_b, username="cbs-yi")
    with pytest.raises(ValidationError) as excinfo:
        _submit(world, username="CBS-Yi")
    assert _code(excinfo) == "username_taken"
    assert "username" in excinfo.value.error_dict


@pytest.mark.parametrize(
    "username", ["", "   ", "has space", "x" * 65, "=HYPERLINK(1)", "zhang\x00", "_lead"]
)
def test_a_username_the_business_system_would_not_take_is_refused(world, hired, username):
    # rule A-02
    with pytest.raises(ValidationError) as excinfo:
        _submit(world, username=username)
    assert "username" in excinfo.value.error_dict
    assert not LoginRightRequest.objects.exists()


def test_a_comment_too_long_is_refused(world, hired):
    # rule A-02
    with pytest.raises(ValidationError) as excinfo:
        _submit(world, comment="长" * 1001)
    assert "comment" in excinfo.value.error_dict


def test_the_persons_own_suspended_account_is_named_for_granting_again(world, hired):
    # rule A-06: the request names the account to grant again
    own = LoginRightFactory(person=world.person_a, username="cbs-jia", suspended=True)
    request = _submit(world, username="CBS-JIA")
    assert request.right == own and request.username == "cbs-jia"


# --- accept --------------------------------------------------------------------------------


def test_the_quality_technology_dept_accepts_with_a_comment(world, hired, departments):
    # rule A-02
    request = _accepted(world, departments)
    assert request.state == RightRequestState.ACCEPTED
    assert request.accepted_by == departments.quality_tech and request.accepted_at
    assert request.accept_comment == "材料齐全"


@pytest.mark.parametrize("who", ["general_business", "lab_a_staff", "training_admin"])
def test_only_the_quality_technology_dept_accepts(world, hired, departments, who):
    # rule A-02: a general business officer cannot accept
    actor = getattr(departments, who, None) or getattr(world, who)
    request = _submit(world)
    with pytest.raises(PermissionDenied):
        services.login_right_request_accept(request=request, actor=actor)
    request.refresh_from_db()
    assert request.state == RightRequestState.SUBMITTED


def test_accepting_twice_says_someone_acted_a_moment_ago(world, hired, departments):
    # rule A-02
    request = _submit(world)
    services.login_right_request_accept(request=request, actor=departments.quality_tech)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.login_right_request_accept(request=request, actor=departments.quality_tech)
    assert _code(excinfo) == "stale_state"
    assert "a moment ago" in " ".join(excinfo.value.messages)


def test_a_request_whose_person_lost_the_qualification_is_not_accepted(world, hired, departments):
    # rule A-01, rule A-02
    request = _submit(world)
    change_qualification(hired[0], "suspend", world.training_admin)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.login_right_request_accept(request=request, actor=departments.quality_tech)
    assert _code(excinfo) == "not_qualified"
    assert "refuse" in " ".join(excinfo.value.messages)


# --- grant -----------------------------------------------------------------------------------


def test_the_general_business_dept_grants_a_new_account(world, hired, departments):
    # rule A-02
    request = _accepted(world, departments)
    request = services.login_right_request_grant(
        request=request, actor=departments.general_business, comment="已开通"
    )
    assert request.state == RightRequestState.GRANTED
    assert (request.decided_by, request.decision_comment) == (
        departments.general_business,
        "已开通",
    )
    right = request.right
    assert right.username == "cbs-jia" and right.state == LoginRightState.ACTIVE
    assert (right.person, right.lab, right.id_number) == (
        world.person_a,
        world.lab_a,
        world.person_a.id_number,
    )
    assert right.granted_by == departments.general_business and right.granted_at
    (change,) = RightChange.objects.filter(right=right)
    assert (change.state, change.rule) == (LoginRightState.ACTIVE, "A-02")


@pytest.mark.parametrize("who", ["quality_tech", "lab_a_staff", "training_admin"])
def test_only_the_general_business_dept_grants(world, hired, departments, who):
    # rule A-02: a quality technology officer cannot grant
    actor = getattr(departments, who, None) or getattr(world, who)
    request = _accepted(world, departments)
    with pytest.raises(PermissionDenied):
        services.login_right_request_grant(request=request, actor=actor)
    assert not LoginRight.objects.exists()


def test_a_request_not_yet_accepted_is_not_granted(world, hired, departments):
    # rule A-02: the quality technology dept first
    request = _submit(world)
    with pytest.raises(ValidationError) as excinfo:
        services.login_right_request_grant(request=request, actor=departments.general_business)
    assert _code(excinfo) == "stale_state"
    assert not LoginRight.objects.exists()


@pytest.mark.parametrize("trait", ["suspended", "revoked", "revoked_by_rule"])
def test_a_suspended_or_revoked_account_is_granted_again_and_its_history_keeps_both(
    world, hired, departments, trait
):
    # rule A-06, rule A-02
    account = LoginRightFactory(person=world.person_a, username="cbs-jia", **{trait: True})
    ended = account.state
    request = _accepted(world, departments)
    request = services.login_right_request_grant(
        request=request, actor=departments.general_business
    )
    account.refresh_from_db()
    assert request.right == account
    assert account.state == LoginRightState.ACTIVE
    assert account.granted_by == departments.general_business
    assert account.rule == "" and account.revoke_reason == ""
    log = StateLog.objects.for_(account).get()
    assert (log.source_state, log.state, log.transition) == (ended, "active", "grant_again")
    # The history keeps the ended right as it was, and the grant.
    states = list(account.history.order_by("history_id").values_list("state", "revoke_reason"))
    assert states[0] == (ended, account.history.earliest().revoke_reason) and states[0][1]
    assert states[-1] == (LoginRightState.ACTIVE, "")
    assert LoginRight.objects.count() == 1  # the same account, nothing deleted or duplicated
    assert RightChange.objects.get(right=account).state == LoginRightState.ACTIVE


def test_an_imported_account_with_the_persons_id_number_becomes_theirs(world, hired, departments):
    # rule A-02, rule A-06: imported before the person was recorded, then granted again
    account = LoginRightFactory(
        unmatched=True, username="cbs-jia", id_number=world.person_a.id_number, state="revoked"
    )
    request = _accepted(world, departments)
    services.login_right_request_grant(request=request, actor=departments.general_business)
    account.refresh_from_db()
    assert account.person == world.person_a and account.state == LoginRightState.ACTIVE


def test_a_username_taken_since_the_submission_is_refused_at_the_grant(world, hired, departments):
    # rule A-02: the general business dept refuses another person's account
    request = _accepted(world, departments)
    LoginRightFactory(person=world.person_b, username="CBS-JIA")
    with pytest.raises(ValidationError) as excinfo:
        services.login_right_request_grant(request=request, actor=departments.general_business)
    assert _code(excinfo) == "username_taken"
    request.refresh_from_db()
    assert request.state == RightRequestState.ACCEPTED
    assert LoginRight.objects.filter(person=world.person_a).count() == 0


def test_a_person_who_lost_the_qualification_is_not_granted(world, hired, departments):
    # rule A-01, rule A-02
    request = _accepted(world, departments)
    change_qualification(hired[0], "revoke", world.training_admin)
    with pytest.raises(ValidationError) as excinfo:
        services.login_right_request_grant(request=request, actor=departments.general_business)
    assert _code(excinfo) == "not_qualified"
    assert not LoginRight.objects.exists()


def test_a_person_granted_meanwhile_is_not_granted_twice(world, hired, departments):
    # rule A-02: one active right per person
    request = _accepted(world, departments)
    LoginRightFactory(person=world.person_a, username="cbs-other")
    with pytest.raises(ValidationError) as excinfo:
        services.login_right_request_grant(request=request, actor=departments.general_business)
    assert _code(excinfo) == "already_active"


# --- refuse and withdraw ---------------------------------------------------------------------


def test_each_department_refuses_at_its_own_step_with_a_reason(world, hired, departments):
    # rule A-02
    submitted = _submit(world)
    refused = services.login_right_request_refuse(
        request=submitted, actor=departments.quality_tech, reason="缺少盖章申请函"
    )
    assert refused.state == RightRequestState.REFUSED
    assert (refused.decided_by, refused.decision_comment) == (
        departments.quality_tech,
        "缺少盖章申请函",
    )
    accepted = _accepted(world, departments)
    refused = services.login_right_request_refuse(
        request=accepted, actor=departments.general_business, reason="用户名不符合规则"
    )
    assert refused.state == RightRequestState.REFUSED
    assert not LoginRight.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "长" * 1001])
def test_a_refusal_needs_a_reason_of_bounded_length(world, hired, departments, reason):
    # rule A-02
    request = _submit(world)
    with pytest.raises(ValidationError) as excinfo:
        services.login_right_request_refuse(
            request=request, actor=departments.quality_tech, reason=reason
        )
    assert "reason" in excinfo.value.error_dict
    request.refresh_from_db()
    assert request.state == RightRequestState.SUBMITTED


def test_a_department_refuses_only_at_its_step(world, hired, departments):
    # rule A-02: the general business dept does not refuse before the quality technology dept
    request = _submit(world)
    with pytest.raises(ValidationError) as excinfo:
        services.login_right_request_refuse(
            request=request, actor=departments.general_business, reason="不符合"
        )
    assert _code(excinfo) == "stale_state"
    accepted = services.login_right_request_accept(request=request, actor=departments.quality_tech)
    with pytest.raises(ValidationError):
        services.login_right_request_refuse(
            request=accepted, actor=departments.quality_tech, reason="不符合"
        )


def test_lab_staff_do_not_refuse(world, hired):
    # rule A-02
    request = _submit(world)
    with pytest.raises(PermissionDenied):
        services.login_right_request_refuse(
            request=request, actor=world.lab_a_staff, reason="不要了"
        )


def test_the_submitters_side_withdraws_an_open_request(world, hired, departments):
    # rule A-02
    request = _accepted(world, departments)
    request = services.login_right_request_withdraw(
        request=request, actor=world.lab_a_staff, comment="岗位调整"
    )
    assert request.state == RightRequestState.WITHDRAWN
    assert StateLog.objects.for_(request).latest("timestamp").description == "岗位调整"
    # A withdrawn request is no longer open: a new one may be submitted.
    assert _submit(world, username="cbs-jia-2").state == RightRequestState.SUBMITTED


@pytest.mark.parametrize("who", ["lab_b_staff", "branch_n_reviewer", "quality_tech"])
def test_nobody_else_withdraws(world, hired, departments, who):
    # rule A-02: lab B cannot act for lab A's people
    actor = getattr(departments, who, None) or getattr(world, who)
    request = _submit(world)
    with pytest.raises(PermissionDenied):
        services.login_right_request_withdraw(request=request, actor=actor)


def test_a_decided_request_is_not_withdrawn(world, hired, departments):
    # rule A-02
    request = _accepted(world, departments)
    services.login_right_request_grant(request=request, actor=departments.general_business)
    with pytest.raises(ValidationError) as excinfo:
        services.login_right_request_withdraw(request=request, actor=world.lab_a_staff)
    assert _code(excinfo) == "stale_state"


# --- the submitter is told -----------------------------------------------------------------


def test_the_submitter_is_told_once_of_the_grant(
    world, hired, departments, django_capture_on_commit_callbacks
):
    # rule A-02
    world.lab_a_staff.language = "en"
    world.lab_a_staff.save(update_fields=["language"])
    request = _accepted(world, departments)
    with django_capture_on_commit_callbacks(execute=True):
        services.login_right_request_grant(
            request=request, actor=departments.general_business, comment="已开通"
        )
    (message,) = mail.outbox
    assert message.to == [world.lab_a_staff.email]
    assert "Granted" in message.subject and "cbs-jia" in message.body
    assert world.person_a.id_number not in message.body  # rule P-04
    assert send_login_right_request_notice(request.pk) == 0  # run again: nothing more
    assert len(mail.outbox) == 1


def test_the_submitter_is_told_the_reason_of_a_refusal_and_nothing_of_an_acceptance(
    world, hired, departments, django_capture_on_commit_callbacks
):
    # rule A-02
    request = _submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.login_right_request_accept(request=request, actor=departments.quality_tech)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.login_right_request_refuse(
            request=request, actor=departments.general_business, reason="用户名不符合规则"
        )
    (message,) = mail.outbox
    assert "用户名不符合规则" in message.body and "已拒绝" in message.subject


def test_a_failed_sending_is_sent_by_the_retry(world, hired, departments, monkeypatch):
    # rule A-02: the claim is released when the mail server fails
    from access_audit import notifications

    request = _accepted(world, departments)
    services.login_right_request_grant(request=request, actor=departments.general_business)
    mail.outbox.clear()

    def fail(**kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(notifications, "send_in_their_language", fail)
    with pytest.raises(ConnectionError):
        notifications.login_right_request_notice_send(request_id=request.pk)
    monkeypatch.undo()
    assert notifications.login_right_request_notice_send(request_id=request.pk) == 1
    assert len(mail.outbox) == 1


def test_a_person_of_no_lab_is_refused_as_unqualified(world):
    # rule A-01: a certification body's person is no liaison
    account = UserFactory(username=world.person_x.id_number, role=Role.PERSON)
    world.person_x.user = account
    world.person_x.save(update_fields=["user"])
    with pytest.raises(ValidationError) as excinfo:
        _submit(world, person=world.person_x, actor=account)
    assert _code(excinfo) == "not_qualified"


def test_a_stranger_cannot_submit_for_someone_else(world, hired):
    # rule A-02: a person submits for themself only
    stranger_person = PersonFactory(lab=world.lab_a)
    stranger = UserFactory(username=stranger_person.id_number, role=Role.PERSON)
    stranger_person.user = stranger
    stranger_person.save(update_fields=["user"])
    with pytest.raises(PermissionDenied):
        _submit(world, actor=stranger)
