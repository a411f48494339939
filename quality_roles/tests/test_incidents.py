"""Q-07: a lead's report reaches the director at once; the director reports to the regulator
within 24 hours of learning of it; the hourly job escalates what is overdue, once each."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from quality_roles.constants import IncidentKind, IncidentState
from quality_roles.models import IncidentReport
from quality_roles.services import incidents
from quality_roles.tasks import escalate_overdue_incidents

from .duties import duties  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

LEARNED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def _record(duties, actor=None, learned_at=LEARNED, **fields):  # noqa: F811
    return incidents.incident_report_record(
        body=duties.body,
        actor=actor or duties.lead_user,
        kind=fields.pop("kind", IncidentKind.PRODUCT_ACCIDENT),
        title=fields.pop("title", "获证电热水器漏电致伤"),
        learned_at=learned_at,
        project=duties.project,
        **fields,
    )


def test_q07_a_leads_report_reaches_the_director_at_once(
    duties,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = _record(duties)
    assert incident.reporting_lead == duties.lead
    assert incident.director == duties.director
    assert incident.reached_director_at is not None
    assert incident.due_at == LEARNED + datetime.timedelta(hours=24)
    assert [m.to for m in mail.outbox] == [[duties.director_user.email]]
    assert "Q-07" in mail.outbox[0].subject
    incident.refresh_from_db()
    assert incident.director_notified_at is not None
    # The task run again (a retry, a second delivery) sends nothing twice.
    from quality_roles.tasks import send_incident_notice

    assert send_incident_notice(incident.pk) == 0
    assert len(mail.outbox) == 1


def test_q07_the_notice_goes_to_the_mail_queue():
    from django.conf import settings

    routes = settings.CELERY_TASK_ROUTES
    assert routes["quality_roles.tasks.send_incident_notice"] == {"queue": "mail"}
    assert routes["quality_roles.tasks.send_incident_escalation_notice"] == {"queue": "mail"}
    schedule = settings.CELERY_BEAT_SCHEDULE["quality-roles-escalate-overdue-incidents"]
    assert schedule["task"] == "quality_roles.tasks.escalate_overdue_incidents"


def test_q07_the_24_hour_clock_at_its_boundary(duties):  # noqa: F811
    incident = _record(duties)
    almost = incidents.report_clock(
        incident, now=LEARNED + datetime.timedelta(hours=23, minutes=59, seconds=59)
    )
    assert not almost.overdue and almost.running
    assert almost.left == datetime.timedelta(seconds=1)
    due = incidents.report_clock(incident, now=LEARNED + datetime.timedelta(hours=24))
    assert due.overdue and due.left == datetime.timedelta(0)
    assert due.late_by == datetime.timedelta(0)
    # Shown in Beijing time: 09:30 UTC learned, due 17:30 the next day in Shanghai.
    assert due.due_at.strftime("%Y-%m-%d %H:%M") == "2026-03-03 17:30"
    assert str(due.due_at.tzinfo) == "Asia/Shanghai"


def test_q07_a_report_at_23_59_59_is_in_time_at_24_00_00_late(duties):  # noqa: F811
    first, second = _record(duties), _record(duties, title="第二起")
    incidents.incident_report_to_regulator(
        incident=first,
        actor=duties.director_user,
        reported_at=LEARNED + datetime.timedelta(hours=23, minutes=59, seconds=59),
        reference="SCJG-2026-001",
    )
    incidents.incident_report_to_regulator(
        incident=second,
        actor=duties.director_user,
        reported_at=LEARNED + datetime.timedelta(hours=24),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == IncidentState.REPORTED
    assert not incidents.report_clock(first).overdue and not incidents.report_clock(first).running
    assert incidents.report_clock(second).overdue


def test_q07_only_the_director_reports_to_the_regulator(duties):  # noqa: F811
    incident = _record(duties)
    for actor in (duties.lead_user, duties.admin, duties.inspector, duties.other_director_user):
        with pytest.raises(PermissionDenied, match="Q-07"):
            incidents.incident_report_to_regulator(
                incident=incident, actor=actor, reported_at=timezone.now()
            )
    incident.refresh_from_db()
    assert incident.state == IncidentState.OPEN


def test_q07_who_may_record_an_event(duties):  # noqa: F811
    for actor in (duties.admin, duties.inspector, duties.other_director_user):
        with pytest.raises(PermissionDenied, match="Q-07"):
            _record(duties, actor=actor)
    own = _record(duties, actor=duties.director_user)
    assert own.reporting_lead is None and own.director == duties.director
    with pytest.raises(ValidationError):
        _record(duties, learned_at=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError):
        _record(duties, title="x" * 201)


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_q07_the_hourly_job_escalates_each_overdue_incident_once(
    duties,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    overdue = _record(duties, learned_at=now - datetime.timedelta(hours=24, minutes=1))
    in_time = _record(duties, learned_at=now - datetime.timedelta(hours=23))
    reported = _record(duties, learned_at=now - datetime.timedelta(hours=30))
    incidents.incident_report_to_regulator(
        incident=reported, actor=duties.director_user, reported_at=now
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_incidents() == 1
    overdue.refresh_from_db()
    in_time.refresh_from_db()
    assert overdue.escalated_at is not None and overdue.escalation_notified_at is not None
    assert in_time.escalated_at is None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([duties.director_user.email, duties.admin.email])
    sent = len(mail.outbox)
    # Recorded in its history, and before the regulator's inspectors.
    assert overdue.history.filter(history_change_reason__contains="Q-07").count() == 1
    from quality_roles.selectors import escalated_incidents

    assert list(escalated_incidents()) == [overdue]
    # Idempotent: the next run escalates and e-mails nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_incidents() == 0
    assert len(mail.outbox) == sent
    assert IncidentReport.objects.get(pk=overdue.pk).escalated_at == overdue.escalated_at


def test_q07_close_needs_a_note(duties):  # noqa: F811
    incident = _record(duties)
    with pytest.raises(ValidationError):
        incidents.incident_report_close(incident=incident, actor=duties.director_user, note="")
    incidents.incident_report_close(incident=incident, actor=duties.director_user, note="已处理")
    incident.refresh_from_db()
    assert incident.state == IncidentState.CLOSED
