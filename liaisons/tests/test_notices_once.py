"""A notice task run twice sends nothing twice (L-07, L-08, issue 11)."""

import pytest
from django.core import mail

from liaisons import tasks
from liaisons.services.applications import liaison_application_return, liaison_application_submit
from liaisons.services.hiring import liaison_applications_hire
from liaisons.tests.factories import LiaisonApplicationFactory, TrainingEnrolmentFactory

pytestmark = pytest.mark.django_db


def _hired(world, monkeypatch):
    """Two applicants hired in one decision, their notices not sent yet; the task's arguments."""
    queued = []
    monkeypatch.setattr(tasks.send_application_notices, "delay", lambda *args: queued.append(args))
    applications = []
    for person in (world.person_a, world.person_b):
        person.email = f"p{person.pk}@example.com"
        person.save()
        application = LiaisonApplicationFactory(lab=world.lab_a, person=person, passed=True)
        TrainingEnrolmentFactory(person=person, passed=True)
        applications.append(application)
    liaison_applications_hire(applications=applications, actor=world.training_admin)
    return queued


def test_a_retried_batch_of_decision_notices_sends_nothing_twice(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    # rule L-07, issue 11: a retry of send_application_notices sent every mail of the batch
    # again.
    with django_capture_on_commit_callbacks(execute=True):
        queued = _hired(world, monkeypatch)
    (args,) = queued
    mail.outbox.clear()
    tasks.send_application_notices.run(*args)
    first = [sorted(message.to) for message in mail.outbox]
    assert first  # the lab's notice and each person's own copy
    # The person's copy of a decision goes alone (P-04, issue 9).
    for person in (world.person_a, world.person_b):
        assert [person.email] in first
    tasks.send_application_notices.run(*args)
    assert [sorted(message.to) for message in mail.outbox] == first


def test_a_retry_after_a_failure_part_way_sends_only_the_rest(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    # rule L-07, issue 11
    from liaisons import notifications

    with django_capture_on_commit_callbacks(execute=True):
        queued = _hired(world, monkeypatch)
    (args,) = queued
    mail.outbox.clear()
    real = notifications.send_in_their_language
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ConnectionError("mail server gone")
        return real(**kwargs)

    monkeypatch.setattr(notifications, "send_in_their_language", flaky)
    with pytest.raises(ConnectionError):
        tasks.send_application_notices.run(*args)
    assert len(mail.outbox) == 1
    monkeypatch.setattr(notifications, "send_in_their_language", real)
    tasks.send_application_notices.run(*args)
    tasks.send_application_notices.run(*args)
    from liaisons.models import NoticeSent

    # Every message once: the one sent before the failure, the rest by the retry. A message
    # each: the lab's and the person's own of each of the two applications.
    assert len(mail.outbox) == NoticeSent.objects.count() == 4


def test_an_application_returned_twice_is_told_of_twice_but_each_once(
    world, django_capture_on_commit_callbacks
):
    # rule L-07, issue 11: the notice is of one transition, not of the event's name.
    from liaisons.tests.factories import ready_application

    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            liaison_application_submit(application=application, actor=world.lab_a_staff)
        with django_capture_on_commit_callbacks(execute=True):
            liaison_application_return(
                application=application, actor=world.branch_n_reviewer, reason="缺少盖章"
            )
    returned = [m for m in mail.outbox if world.lab_a.email in m.to]
    assert len(returned) == 2
    # Run again for the latest return: nothing more.
    from liaisons.services._common import occurrences

    (occurrence,) = occurrences([application.pk])
    tasks.send_application_notice.run(application.pk, "returned", occurrence)
    assert len([m for m in mail.outbox if world.lab_a.email in m.to]) == 2
