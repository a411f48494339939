"""Personal-data change requests (P-03 tiers b and c): requested by the person or the lab,
checked by the branch centre, approved (and only then applied) by the training centre."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_fsm_log.models import StateLog

from directory.constants import Role
from directory.models import Person
from directory.services import person_update_self_maintained
from directory.tests.factories import UserFactory
from liaisons.constants import ChangeRequestState, ChangeTier
from liaisons.models import ChangeRequest, CoverageGap, LiaisonQualification
from liaisons.selectors import coverage_gaps
from liaisons.services.changes import (
    change_request_approve,
    change_request_forward,
    change_request_reject,
    change_request_submit,
)
from liaisons.tests.factories import ChangeRequestFactory, LiaisonQualificationFactory, pdf_upload

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def person_user(world):
    """Person A signed up: their account is the ID number (P-01)."""
    user = UserFactory(username=world.person_a.id_number, role=Role.PERSON)
    world.person_a.user = user
    world.person_a.save(update_fields=["user"])
    return user


def _important(world, actor, **changes):
    return change_request_submit(
        person=world.person_a,
        actor=actor,
        tier=ChangeTier.IMPORTANT,
        changes=changes or {"name": "甲改"},
        justification="户口本姓名已更正",
    )


def _code(error: ValidationError) -> str:
    return error.error_list[0].code if not hasattr(error, "error_dict") else "dict"


# --- tiers -------------------------------------------------------------------------------


def test_tier_a_applies_at_once_and_tier_b_only_after_approval(world, person_user):
    # rule P-03: tier (a) is the person's own, applied at once and kept in history; tier (b)
    # waits for the branch centre and the training centre.
    person = world.person_a
    person_update_self_maintained(person=person, actor=person_user, phone="13911112222")
    person.refresh_from_db()
    assert person.phone == "13911112222"
    record = person.history.first()
    assert record.history_user == person_user and record.phone == "13911112222"

    request = _important(world, person_user, name="甲新")
    person.refresh_from_db()
    assert person.name == "甲"
    change_request_forward(request=request, actor=world.branch_n_reviewer, comment="材料相符")
    person.refresh_from_db()
    assert person.name == "甲"

    change_request_approve(request=request, actor=world.training_admin, comment="同意")
    person.refresh_from_db()
    assert person.name == "甲新"
    record = person.history.first()
    assert record.history_user == world.training_admin
    assert str(request.pk) in record.history_change_reason
    request.refresh_from_db()
    assert request.state == ChangeRequestState.APPROVED
    assert request.previous == {"name": "甲"} and request.changes == {"name": "甲新"}
    assert request.decided_at is not None


def test_every_transition_records_who_and_the_comment(world, person_user):
    # rule P-03
    request = _important(world, person_user)
    change_request_forward(request=request, actor=world.branch_n_reviewer, comment="已核对")
    change_request_reject(request=request, actor=world.training_admin, reason="缺少证明")
    logs = list(StateLog.objects.for_(request).order_by("timestamp"))
    assert [(log.transition, log.by, log.description) for log in logs] == [
        ("forward", world.branch_n_reviewer, "已核对"),
        ("reject", world.training_admin, "缺少证明"),
    ]
    request.refresh_from_db()
    assert request.decision_reason == "缺少证明"
    world.person_a.refresh_from_db()
    assert world.person_a.name == "甲"


def test_request_is_routed_to_the_branch_centre_of_the_persons_lab(world):
    # rule P-03
    request = _important(world, world.lab_a_staff)
    assert request.branch == world.branch_n
    assert request.requested_by == world.lab_a_staff


def test_only_the_person_or_their_labs_staff_may_request(world, person_user):
    # rule P-03
    for outsider in (world.lab_b_staff, world.branch_n_reviewer, world.training_admin):
        with pytest.raises(PermissionDenied):
            _important(world, outsider)
    assert not ChangeRequest.objects.exists()


def test_only_the_branch_forwards_and_only_the_training_centre_approves(world, person_user):
    # rule P-03
    request = _important(world, person_user)
    for actor in (world.branch_s_reviewer, world.training_admin, world.lab_a_staff, person_user):
        with pytest.raises(PermissionDenied):
            change_request_forward(request=request, actor=actor)
    with pytest.raises(ValidationError) as caught:
        change_request_approve(request=request, actor=world.training_admin)
    assert caught.value.code == "stale_state"
    change_request_forward(request=request, actor=world.branch_n_reviewer)
    for actor in (world.branch_n_reviewer, world.lab_a_staff, person_user):
        with pytest.raises(PermissionDenied):
            change_request_approve(request=request, actor=actor)
    request.refresh_from_db()
    assert request.state == ChangeRequestState.FORWARDED
    world.person_a.refresh_from_db()
    assert world.person_a.name == "甲"


def test_acting_twice_is_told_the_state_changed(world, person_user):
    # rule P-03: the second of two reviewers finds the request already forwarded.
    request = _important(world, person_user)
    change_request_forward(request=request, actor=world.branch_n_reviewer)
    with pytest.raises(ValidationError) as caught:
        change_request_forward(request=request, actor=world.branch_n_reviewer)
    assert caught.value.code == "stale_state"


def test_reject_needs_a_reason_and_the_right_step(world, person_user):
    # rule P-03: the branch rejects before forwarding, the training centre after.
    request = _important(world, person_user)
    with pytest.raises(ValidationError):
        change_request_reject(request=request, actor=world.branch_n_reviewer, reason="  ")
    with pytest.raises(ValidationError) as caught:
        change_request_reject(request=request, actor=world.training_admin, reason="不符")
    assert caught.value.code == "stale_state"
    with pytest.raises(PermissionDenied):
        change_request_reject(request=request, actor=world.branch_s_reviewer, reason="不符")
    change_request_reject(request=request, actor=world.branch_n_reviewer, reason="与材料不符")
    request.refresh_from_db()
    assert request.state == ChangeRequestState.REJECTED


def test_unknown_data_bad_values_and_no_op_requests_are_refused(world, person_user):
    # rule P-03
    cases = [
        ({"phone": "139"}, "unknown_field"),  # tier (a): edited directly, not requested
        ({"education": "doctorate"}, "dict"),
        ({"political_status": "anarchist"}, "dict"),
        ({"name": "甲"}, "no_change"),
        ({}, "no_change"),
    ]
    for changes, code in cases:
        with pytest.raises(ValidationError) as caught:
            change_request_submit(
                person=world.person_a,
                actor=person_user,
                tier=ChangeTier.IMPORTANT,
                changes=changes,
                justification="x",
            )
        assert _code(caught.value) == code, changes
    with pytest.raises(ValidationError) as caught:
        change_request_submit(
            person=world.person_a,
            actor=person_user,
            tier=ChangeTier.IMPORTANT,
            changes={"major": "自动化"},
            justification=" ",
        )
    assert "justification" in caught.value.error_dict
    assert not ChangeRequest.objects.exists()


def test_unchanged_values_are_left_out_of_the_request(world, person_user):
    # rule P-03: "before" and "after" name only what really changes.
    request = _important(world, person_user, name="甲", major="自动化")
    assert request.changes == {"major": "自动化"}
    assert request.previous == {"major": "电气工程"}


def test_one_open_request_per_person_and_tier(world, person_user):
    # rule P-03
    first = _important(world, person_user)
    with pytest.raises(ValidationError) as caught:
        _important(world, world.lab_a_staff, major="自动化")
    assert caught.value.code == "request_open"
    # Another tier is another matter.
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC"])
    change_request_submit(
        person=world.person_a,
        actor=person_user,
        tier=ChangeTier.QUALIFICATION,
        changes={"fields": ["CCC", "ROHS"]},
        justification="新增培训",
    )
    change_request_reject(request=first, actor=world.branch_n_reviewer, reason="重复")
    _important(world, person_user, major="自动化")
    assert ChangeRequest.objects.filter(person=world.person_a).count() == 3


# --- tier (c) ------------------------------------------------------------------------------


def test_fields_change_applies_on_approval_and_closes_the_coverage_gap(world):
    # rule P-03, rule L-06
    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, fields=["CCC"]
    )
    assert [f.code for f in coverage_gaps(lab=world.lab_a)] == ["ROHS"]
    request = change_request_submit(
        person=world.person_a,
        actor=world.lab_a_staff,
        tier=ChangeTier.QUALIFICATION,
        changes={"fields": ["ROHS", "CCC"]},
        justification="已完成RoHS业务培训",
    )
    assert request.qualification == qualification
    assert request.changes == {"fields": ["CCC", "ROHS"]}
    assert request.previous == {"fields": ["CCC"]}
    change_request_forward(request=request, actor=world.branch_n_reviewer)
    assert set(qualification.fields.values_list("code", flat=True)) == {"CCC"}
    change_request_approve(request=request, actor=world.training_admin)
    assert set(qualification.fields.values_list("code", flat=True)) == {"CCC", "ROHS"}
    assert coverage_gaps(lab=world.lab_a) == []
    assert qualification.history.first().history_user == world.training_admin


def test_transfer_moves_the_qualification_and_refreshes_both_labs(world):
    # rule P-03, rule L-06
    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, fields=["CCC"]
    )
    request = change_request_submit(
        person=world.person_a,
        actor=world.lab_a_staff,
        tier=ChangeTier.QUALIFICATION,
        changes={"lab": world.lab_b.pk},
        justification="调往实验室B",
    )
    assert request.branch == world.branch_n  # the lab it leaves
    change_request_forward(request=request, actor=world.branch_n_reviewer)
    change_request_approve(request=request, actor=world.training_admin)
    qualification.refresh_from_db()
    world.person_a.refresh_from_db()
    assert qualification.lab == world.lab_b and world.person_a.lab == world.lab_b
    assert [f.code for f in coverage_gaps(lab=world.lab_b)] == ["CB"]
    assert set(
        CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).values_list(
            "field_id", flat=True
        )
    ) == {"CCC", "ROHS"}


def test_fields_outside_the_target_labs_scope_are_refused(world):
    # rule P-03, rule L-05
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["ROHS"])
    for changes in ({"fields": ["CCC", "GAP"]}, {"lab": world.lab_b.pk}, {"fields": ["NOPE"]}):
        with pytest.raises(ValidationError) as caught:
            change_request_submit(
                person=world.person_a,
                actor=world.lab_a_staff,
                tier=ChangeTier.QUALIFICATION,
                changes=changes,
                justification="x",
            )
        assert "fields" in caught.value.error_dict, changes
    assert not ChangeRequest.objects.exists()


def test_qualification_request_needs_a_qualification_and_the_labs_staff(world):
    # rule P-03
    with pytest.raises(ValidationError) as caught:
        change_request_submit(
            person=world.person_a,
            actor=world.lab_a_staff,
            tier=ChangeTier.QUALIFICATION,
            changes={"fields": ["CCC"]},
            justification="x",
        )
    assert caught.value.code == "no_qualification"
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC"])
    with pytest.raises(PermissionDenied):
        change_request_submit(
            person=world.person_a,
            actor=world.lab_b_staff,
            tier=ChangeTier.QUALIFICATION,
            changes={"fields": ["CCC", "ROHS"]},
            justification="x",
        )


def test_approval_refuses_a_change_the_scope_no_longer_allows(world):
    # rule P-03, rule L-05: the lab's scope shrank after the request.
    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, fields=["CCC"]
    )
    request = change_request_submit(
        person=world.person_a,
        actor=world.lab_a_staff,
        tier=ChangeTier.QUALIFICATION,
        changes={"fields": ["CCC", "ROHS"]},
        justification="x",
    )
    change_request_forward(request=request, actor=world.branch_n_reviewer)
    world.lab_a.business_scope.remove("ROHS")
    with pytest.raises(ValidationError) as caught:
        change_request_approve(request=request, actor=world.training_admin)
    assert caught.value.code == "field_outside_scope"
    request.refresh_from_db()
    assert request.state == ChangeRequestState.FORWARDED
    assert list(qualification.fields.values_list("code", flat=True)) == ["CCC"]


# --- change form and e-mail ----------------------------------------------------------------


def test_change_form_is_checked_by_content(world, person_user):
    # rule P-03, rule L-02: PDF, JPEG or PNG by content, whatever the name says.
    fake = SimpleUploadedFile("form.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        change_request_submit(
            person=world.person_a,
            actor=person_user,
            tier=ChangeTier.IMPORTANT,
            changes={"major": "自动化"},
            justification="x",
            change_form=fake,
        )
    assert not ChangeRequest.objects.exists()
    request = change_request_submit(
        person=world.person_a,
        actor=person_user,
        tier=ChangeTier.IMPORTANT,
        changes={"major": "自动化"},
        justification="x",
        change_form=pdf_upload(f"{world.person_a.id_number}.pdf"),
    )
    assert request.change_form_content_type == "application/pdf"
    assert world.person_a.id_number not in request.change_form.name


def test_mail_goes_to_whoever_acts_next_without_the_id_number(
    world, person_user, django_capture_on_commit_callbacks
):
    # rule P-03, rule P-04
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = _important(world, person_user)
    [submitted] = mail.outbox
    assert world.branch_n_reviewer.email in submitted.to
    assert world.branch_s_reviewer.email not in submitted.to
    with django_capture_on_commit_callbacks(execute=True):
        change_request_forward(request=request, actor=world.branch_n_reviewer)
    assert world.training_admin.email in mail.outbox[1].to
    with django_capture_on_commit_callbacks(execute=True):
        change_request_approve(request=request, actor=world.training_admin)
    assert person_user.email in mail.outbox[2].to
    for message in mail.outbox:
        assert world.person_a.id_number not in message.subject + message.body
        assert f"/liaisons/changes/{request.pk}/" in message.body


# --- screens -------------------------------------------------------------------------------


def test_person_requests_a_change_on_the_screen(client, world, person_user):
    # rule P-03
    client.force_login(person_user)
    dashboard = client.get(reverse("dashboard"), **EN).content.decode()
    assert reverse("liaisons:change_request_create") in dashboard
    url = reverse("liaisons:change_request_create") + "?tier=important"
    page = client.get(url, **EN)
    assert page.status_code == 200 and "On record now" in page.content.decode()
    response = client.post(
        url,
        {
            "name": "",
            "political_status": "cpc_member",
            "education": "",
            "major": "",
            "justification": "入党",
            "change_form": pdf_upload(),
        },
    )
    request = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaisons:change_request_detail", args=[request.pk])
    assert request.changes == {"political_status": "cpc_member"}
    assert request.requested_by == person_user and request.change_form
    world.person_a.refresh_from_db()
    assert world.person_a.political_status == ""


def test_the_screen_shows_service_errors_on_the_form(client, world, person_user):
    # rule P-03: a request that changes nothing is refused, nothing stored.
    client.force_login(person_user)
    response = client.post(
        reverse("liaisons:change_request_create") + "?tier=important",
        {"name": "甲", "justification": "x"},
        **EN,
    )
    assert response.status_code == 400
    assert "Nothing would change" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_lab_staff_request_qualification_change_for_their_liaison(client, world):
    # rule P-03
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC"])
    client.force_login(world.lab_a_staff)
    url = reverse("liaisons:change_request_create") + "?tier=qualification"
    page = client.get(url).content.decode()
    assert world.person_a.name in page and world.person_b.name not in page
    response = client.post(
        url,
        {"person": world.person_a.pk, "fields_held": ["CCC", "ROHS"], "justification": "培训"},
    )
    assert response.status_code == 302
    assert ChangeRequest.objects.get().changes == {"fields": ["CCC", "ROHS"]}
    # Someone of another lab cannot be named.
    client.force_login(world.lab_b_staff)
    response = client.post(
        url, {"person": world.person_a.pk, "fields_held": ["CCC"], "justification": "x"}
    )
    assert response.status_code == 400
    assert ChangeRequest.objects.count() == 1


def test_others_cannot_open_the_request_form(client, world):
    # rule P-03
    for user in (world.branch_n_reviewer, world.training_admin, world.evaluator):
        client.force_login(user)
        assert client.get(reverse("liaisons:change_request_create")).status_code == 403


def test_review_on_the_screens_from_branch_to_training(client, world, person_user):
    # rule P-03
    request = _important(world, person_user, name="甲新")
    client.force_login(world.branch_n_reviewer)
    listing = client.get(reverse("liaisons:change_request_list")).content.decode()
    assert reverse("liaisons:change_request_detail", args=[request.pk]) in listing
    detail = client.get(reverse("liaisons:change_request_detail", args=[request.pk]), **EN)
    html = detail.content.decode()
    assert "甲" in html and "甲新" in html and "Forward to the training centre" in html
    assert "Approve and apply" not in html
    response = client.post(
        reverse("liaisons:change_request_forward", args=[request.pk]),
        {"forward-comment": "材料相符"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == ChangeRequestState.FORWARDED

    client.force_login(world.training_admin)
    # The training centre's list shows the forwarded requests by default.
    other = ChangeRequestFactory(person=world.person_b, requested_by=world.lab_b_staff)
    listing = client.get(reverse("liaisons:change_request_list")).content.decode()
    assert reverse("liaisons:change_request_detail", args=[request.pk]) in listing
    assert reverse("liaisons:change_request_detail", args=[other.pk]) not in listing
    # Rejecting without a reason is refused on the page.
    response = client.post(
        reverse("liaisons:change_request_reject", args=[request.pk]), {"reject-reason": ""}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("liaisons:change_request_approve", args=[request.pk]), {"approve-comment": ""}
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=world.person_a.pk).name == "甲新"


def test_stale_action_on_the_screen_says_so(client, world, person_user):
    # rule P-03
    request = _important(world, person_user)
    change_request_forward(request=request, actor=world.branch_n_reviewer)
    client.force_login(world.branch_n_reviewer)
    response = client.post(
        reverse("liaisons:change_request_forward", args=[request.pk]),
        {"forward-comment": ""},
        **EN,
    )
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()


def test_change_form_download_is_an_attachment_within_scope(client, world, person_user):
    # rule P-03, rule P-04
    request = change_request_submit(
        person=world.person_a,
        actor=person_user,
        tier=ChangeTier.IMPORTANT,
        changes={"major": "自动化"},
        justification="x",
        change_form=pdf_upload(),
    )
    url = reverse("liaisons:change_request_form", args=[request.pk])
    client.force_login(world.branch_n_reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for outsider in (world.branch_s_reviewer, world.lab_b_staff, world.evaluator):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_dashboard_cards_and_navigation(client, world, person_user):
    # rule P-03
    request = _important(world, person_user)
    client.force_login(world.branch_n_reviewer)
    html = client.get(reverse("dashboard"), **EN).content.decode()
    assert "Change requests to check" in html
    assert reverse("liaisons:change_request_detail", args=[request.pk]) in html
    assert f'href="{reverse("liaisons:change_request_list")}"' in html
    change_request_forward(request=request, actor=world.branch_n_reviewer)
    client.force_login(world.training_admin)
    html = client.get(reverse("dashboard"), **EN).content.decode()
    assert "Change requests to approve" in html
    assert reverse("liaisons:change_request_detail", args=[request.pk]) in html
    assert f'href="{reverse("liaisons:legacy_list")}"' in html
    client.force_login(world.lab_a_staff)
    html = client.get(reverse("dashboard"), **EN).content.decode()
    assert "Change requests of your lab" in html
    assert reverse("liaisons:change_request_create") in html
    client.force_login(world.evaluator)
    html = client.get(reverse("dashboard"), **EN).content.decode()
    assert f'href="{reverse("liaisons:change_request_list")}"' not in html


def test_approved_transfer_leaves_one_current_qualification(world):
    # rule P-03: a person represents one lab at a time, before and after a move.
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC"])
    request = change_request_submit(
        person=world.person_a,
        actor=world.lab_a_staff,
        tier=ChangeTier.QUALIFICATION,
        changes={"lab": world.lab_b.pk, "fields": ["CCC", "CB"]},
        justification="调动",
    )
    change_request_forward(request=request, actor=world.branch_n_reviewer)
    change_request_approve(request=request, actor=world.training_admin)
    [current] = LiaisonQualification.objects.filter(person=world.person_a)
    assert current.lab == world.lab_b
    assert set(current.fields.values_list("code", flat=True)) == {"CCC", "CB"}
