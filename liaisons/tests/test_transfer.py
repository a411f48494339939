"""A hire that moves a liaison from one lab to another (issue 10, item 4; L-12, A-01, L-06).

A person represents one lab at a time: hiring the liaison of lab A for lab B ends the
qualification at lab A. The branch centre and the training centre see it coming; lab B does
not (it must not learn from the portal that its applicant is known elsewhere); lab A is told
when it happens; the person's business-system login right goes with the new qualification.
"""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access_audit.constants import LoginRightState
from access_audit.models import LoginRight
from cqcportal.timeline import timeline_for
from directory.constants import CertificationFieldCode as F
from liaisons.constants import QualificationState
from liaisons.models import CoverageGap, LiaisonQualification
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_submit,
)
from liaisons.services.coverage import coverage_refresh
from liaisons.services.hiring import liaison_application_hire
from liaisons.services.qualifications import departure_confirm
from liaisons.tests.factories import (
    LiaisonQualificationFactory,
    TrainingEnrolmentFactory,
    ready_application,
)

pytestmark = pytest.mark.django_db


def _liaison_of_lab_a(world) -> LiaisonQualification:
    """person_a, lab A's only liaison, covering its whole scope, with a login right."""
    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, fields=[F.CCC, F.ROHS]
    )
    LoginRight.objects.create(person=world.person_a, username="cbs-jia", granted_at=timezone.now())
    coverage_refresh(lab=world.lab_a)
    assert not CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).exists()
    return qualification


def _passed_at_lab_b(world, django_capture_on_commit_callbacks):
    """Lab B's application for person_a, passed on to the training centre."""
    application = ready_application(
        lab=world.lab_b, actor=world.lab_b_staff, id_number=world.person_a.id_number, name="甲"
    )
    with django_capture_on_commit_callbacks(execute=True):
        liaison_application_submit(application=application, actor=world.lab_b_staff)
        liaison_application_accept(application=application, actor=world.branch_s_reviewer)
        liaison_application_pass(application=application, actor=world.branch_s_reviewer)
    TrainingEnrolmentFactory(person=world.person_a, passed=True)
    application.refresh_from_db()
    return application


def test_a_transfer_keeps_the_login_right_and_tells_the_lab_left(
    world, django_capture_on_commit_callbacks
):
    # rule A-01, rule L-12, rule L-06, issue 10 item 4: the old qualification ends, the new one
    # exists in the same step, so the right is never left without an active qualification.
    old = _liaison_of_lab_a(world)
    application = _passed_at_lab_b(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        new = liaison_application_hire(application=application, actor=world.training_admin)

    right = LoginRight.objects.get(person=world.person_a)
    assert right.state == LoginRightState.ACTIVE  # rule A-01
    assert right.revoked_at is None
    assert new.state == QualificationState.ACTIVE and new.lab_id == world.lab_b.pk

    old.refresh_from_db()
    assert old.state == QualificationState.CANCELLED
    assert world.lab_b.name in old.state_reason and "L-12" in old.state_reason

    # Lab A's coverage is recomputed: its only liaison left (L-06).
    assert set(
        CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).values_list(
            "field_id", flat=True
        )
    ) == {"CCC", "ROHS"}

    # Lab A, its staff and its address, is told who hired its liaison; no ID number.
    notices = [m for m in mail.outbox if world.lab_b.name in m.subject]
    assert len(notices) == 1
    notice = notices[0]
    assert set(notice.to) == {world.lab_a_staff.email, world.lab_a.email}
    assert world.person_a.name in notice.subject
    assert world.lab_a.name in notice.body and world.lab_b.name in notice.body
    assert reverse("liaisons:qualification_detail", args=[old.pk]) in notice.body
    assert world.person_a.id_number not in notice.body
    assert world.lab_b_staff.email not in notice.to

    # The old qualification's history says why it ended.
    assert any(
        world.lab_b.name in entry.comment and "L-12" in entry.comment for entry in timeline_for(old)
    )


def test_a_departure_still_suspends_the_login_right(world):
    # rule A-01, rule L-12: only the hire looks at the right after the fact; a lab's confirmed
    # departure with no other qualification still ends it.
    qualification = _liaison_of_lab_a(world)
    departure_confirm(
        qualification=qualification,
        actor=world.lab_a_staff,
        reason="transfer",
        left_on=timezone.localdate(),
        outcome="cancel",
    )
    assert LoginRight.objects.get(person=world.person_a).state == LoginRightState.SUSPENDED


def test_the_hire_warning_is_for_the_branch_and_the_training_centre_only(
    client, world, django_capture_on_commit_callbacks
):
    # rule L-12, issue 10 item 4: those who check and decide see that hiring ends lab A's
    # qualification; lab B never learns from the portal that its applicant is known elsewhere.
    _liaison_of_lab_a(world)
    application = _passed_at_lab_b(world, django_capture_on_commit_callbacks)
    detail = reverse("liaisons:application_detail", args=[application.pk])
    # The training centre's decision queue; the branch's queue and lab B's list, widened to it.
    queue = reverse("liaisons:application_list") + "?state=passed"

    for user in (world.training_admin, world.branch_s_reviewer):
        client.force_login(user)
        for url in (detail, queue):
            html = client.get(url).content.decode()
            assert 'data-testid="ends-qualification"' in html, (user, url)
            assert world.lab_a.name in html, (user, url)

    client.force_login(world.lab_b_staff)
    for url in (detail, queue):
        html = client.get(url).content.decode()
        assert 'data-testid="ends-qualification"' not in html, url
        assert world.lab_a.name not in html, url

    # Once decided, there is nothing left to warn about.
    liaison_application_hire(application=application, actor=world.training_admin)
    client.force_login(world.training_admin)
    assert 'data-testid="ends-qualification"' not in client.get(detail).content.decode()


def test_the_decision_queue_finds_transfers_in_one_query_per_page(
    client, world, django_capture_on_commit_callbacks
):
    # issue 10 item 4: the queue is read with a constant number of queries (bench/); the
    # warning costs one more query for the whole page, whatever the number of transfers.
    _liaison_of_lab_a(world)
    _passed_at_lab_b(world, django_capture_on_commit_callbacks)
    client.force_login(world.training_admin)
    url = reverse("liaisons:application_list")
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as one:
        assert 'data-testid="ends-qualification"' in client.get(url).content.decode()

    for _ in range(3):
        person = LiaisonQualificationFactory(lab=world.lab_a, fields=[F.CCC]).person
        application = ready_application(
            lab=world.lab_b, actor=world.lab_b_staff, id_number=person.id_number, name="某"
        )
        liaison_application_submit(application=application, actor=world.lab_b_staff)
    with CaptureQueriesContext(connection) as four:
        html = client.get(url + "?state=submitted&state=passed").content.decode()
    assert html.count('data-testid="ends-qualification"') == 4
    assert len(four.captured_queries) == len(one.captured_queries)
