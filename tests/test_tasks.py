"""Celery: every task ends, and printing never holds up mail (issue 9, item 6)."""

import logging
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from cqcportal.celery import app

PROJECT_PACKAGES = ("cqcportal.", "directory.", "liaisons.", "access_audit.", "quality_roles.")

EXPECTED_QUEUES = {
    "directory.tasks.send_account_created_email": "mail",
    "liaisons.tasks.send_application_notice": "mail",
    "liaisons.tasks.send_application_notices": "mail",
    "liaisons.tasks.send_coverage_gap_notice": "mail",
    "liaisons.tasks.send_transfer_notice": "mail",
    "liaisons.tasks.send_change_request_notice": "mail",
    "access_audit.tasks.requests.send_login_right_request_notice": "mail",
    "liaisons.tasks.generate_application_documents": "print",
    "liaisons.tasks.generate_documents_of_applications": "print",
    "access_audit.tasks.campaigns.send_campaign_reminder": "mail",
    "access_audit.tasks.evidence.send_enforcement_notices": "mail",
    "access_audit.tasks.evidence.send_enforcement_notice": "mail",
    "access_audit.tasks.evidence.build_evidence_pack": "print",
    # a lead's report to the director, and the escalation of an overdue incident.
    "quality_roles.tasks.send_incident_notice": "mail",
    "quality_roles.tasks.send_incident_escalation_notice": "mail",
}


def _project_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(PROJECT_PACKAGES)}


def _queue(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def test_every_task_name_goes_to_its_queue():
    # issue 9: one print task ran 367 s and held up the e-mails of the same worker
    tasks = _project_tasks()
    assert set(EXPECTED_QUEUES) <= set(tasks)
    for name in tasks:
        assert _queue(name) == EXPECTED_QUEUES.get(name, "celery"), name


def test_every_task_of_the_project_has_a_soft_and_a_hard_time_limit():
    # issue 9: with no time limit, a task could hold a worker for ever
    for name, task in _project_tasks().items():
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard, name
        assert soft < hard <= 600, name


def test_a_print_batch_cut_short_hands_the_rest_to_a_new_task(caplog):
    from liaisons import tasks

    def generate(*, application_id):
        if application_id == 2:
            raise SoftTimeLimitExceeded()
        return ["form"]

    with (
        mock.patch("liaisons.services.documents.application_documents_generate", generate),
        mock.patch.object(tasks.generate_documents_of_applications, "delay") as delay,
        caplog.at_level(logging.ERROR, logger="liaisons.tasks"),
    ):
        assert tasks.generate_documents_of_applications.run([1, 2, 3]) == 1
    delay.assert_called_once_with([2, 3])
    assert "time limit" in caplog.text


def test_a_print_batch_stuck_on_its_first_form_does_not_loop():
    from liaisons import tasks

    def generate(*, application_id):
        raise SoftTimeLimitExceeded()

    with (
        mock.patch("liaisons.services.documents.application_documents_generate", generate),
        mock.patch.object(tasks.generate_documents_of_applications, "delay") as delay,
    ):
        assert tasks.generate_documents_of_applications.run([7, 8]) == 0
    delay.assert_called_once_with([8])


@pytest.mark.django_db
def test_a_notice_cut_short_ends_the_task_cleanly(world, caplog):
    from liaisons import tasks
    from liaisons.tests.factories import LiaisonApplicationFactory

    application = LiaisonApplicationFactory(lab=world.lab_a, person=world.person_a)
    with (
        mock.patch.object(
            tasks.notifications, "send_application_notice", side_effect=SoftTimeLimitExceeded
        ),
        caplog.at_level(logging.ERROR, logger="liaisons.tasks"),
    ):
        assert tasks.send_application_notice.run(application.pk, "submitted") == 0
    assert "time limit" in caplog.text
