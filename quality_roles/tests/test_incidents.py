"""Q-07: a lead's report reaches the director at once; the director reports to the regulator
within 24 hours of learning of it; the hourly job escalates what is overdue, once each."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from quality_roles.constants import IncidentHistoryReason, IncidentKind, IncidentState
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
    escalations = overdue.history.filter(history_change_reason=IncidentHistoryReason.ESCALATED)
    assert escalations.count() == 1
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


# --- issue 13: the notice in the history, the system's reasons in the reader's language ------

ESCALATED_EN = "Q-07: not reported to the regulator within 24 hours of learning of it: escalated."
ESCALATED_ZH = "Q-07：获知后 24 小时内未向监管部门报告，已升级。"
NOTIFIED_EN = "Q-07: the quality director was notified of the report by e-mail."
NOTIFIED_ZH = "Q-07：已通过电子邮件将报告通知认证质量总监。"


def test_q07_the_directors_notice_is_in_the_history_when_it_goes(
    duties,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = _record(duties)
    incident.refresh_from_db()
    notified = incident.history.get(history_change_reason=IncidentHistoryReason.DIRECTOR_NOTIFIED)
    assert incident.director_notified_at is not None
    assert notified.director_notified_at == incident.director_notified_at
    assert notified.history_date == incident.director_notified_at
    assert notified.history_user is None  # the system sent it
    # The record's own history before it had no stamp: the notice wrote the moment.
    created = incident.history.get(history_type="+")
    assert created.director_notified_at is None
    # A retry or a second delivery stamps nothing twice and writes no second record.
    from quality_roles.tasks import send_incident_notice

    assert send_incident_notice(incident.pk) == 0
    assert incident.history.count() == 2
    assert IncidentReport.objects.get(pk=incident.pk).director_notified_at == (
        incident.director_notified_at
    )


def test_q07_the_timeline_shows_when_the_director_was_notified(
    client,
    duties,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.utils import translation

    from cqcportal.timeline import timeline_for

    with django_capture_on_commit_callbacks(execute=True):
        incident = _record(duties)
    incident.refresh_from_db()
    with translation.override("en"):
        entries = [e for e in timeline_for(incident) if e.comment == NOTIFIED_EN]
    assert [e.when for e in entries] == [incident.director_notified_at]
    client.force_login(duties.director_user)
    english = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert NOTIFIED_EN in english.content.decode()
    assert NOTIFIED_ZH in chinese.content.decode()


def test_q07_without_a_director_in_office_the_timeline_names_the_administrators(
    duties,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from quality_roles.models import DirectorAppointment
    from quality_roles.tasks import send_incident_notice

    with django_capture_on_commit_callbacks(execute=False):
        incident = _record(duties)
    # The director leaves office before the notice goes: the administrators are told.
    DirectorAppointment.objects.filter(pk=duties.director.pk).update(state="ended")
    assert send_incident_notice(incident.pk) == 1
    assert mail.outbox[0].to == [duties.admin.email]
    assert incident.history.filter(
        history_change_reason=IncidentHistoryReason.ADMINS_NOTIFIED
    ).exists()


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_q07_the_escalation_reads_in_the_language_of_the_page(
    client,
    duties,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.db.models import F

    with django_capture_on_commit_callbacks(execute=True):
        incident = _record(duties, learned_at=timezone.now())
    # 25 hours ago: the hourly job (run in the default language, Chinese) escalates it.
    back = datetime.timedelta(hours=25)
    IncidentReport.objects.filter(pk=incident.pk).update(
        learned_at=F("learned_at") - back, due_at=F("due_at") - back
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_incidents() == 1
    stored = incident.history.filter(history_change_reason=IncidentHistoryReason.ESCALATED)
    assert stored.count() == 1
    # The director's page and the regulator's inspector's, in each language.
    for user in (duties.director_user, duties.inspector):
        client.force_login(user)
        english = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        chinese = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert english.status_code == chinese.status_code == 200
        english, chinese = english.content.decode(), chinese.content.decode()
        assert ESCALATED_EN in english and ESCALATED_ZH not in english
        assert ESCALATED_ZH in chinese and ESCALATED_EN not in chinese
        # No code shows on a page.
        assert "q07-" not in english and "q07-" not in chinese


def test_q07_the_migration_turns_the_stored_escalation_sentences_into_the_code(duties):  # noqa: F811
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "quality_roles.migrations.0006_incident_escalation_reason_as_code"
    )
    incident = _record(duties)
    history = incident.history.model
    first = incident.history.get()
    rows = []
    for reason in (ESCALATED_ZH, ESCALATED_EN, "负责人手写的说明"):
        first.pk = None
        first.history_change_reason = reason
        first.save()
        rows.append(first.pk)
    assert migration.escalation_reasons_to_code(apps, None) == 2
    reasons = dict(history.objects.filter(pk__in=rows).values_list("pk", "history_change_reason"))
    assert [reasons[pk] for pk in rows] == [
        IncidentHistoryReason.ESCALATED,
        IncidentHistoryReason.ESCALATED,
        "负责人手写的说明",  # a person's words stay as written
    ]
    # Run again, it finds nothing; reversed, the code reads as the old sentence again.
    assert migration.escalation_reasons_to_code(apps, None) == 0
    assert migration.escalation_code_to_reason(apps, None) == 2
    assert history.objects.get(pk=rows[1]).history_change_reason == ESCALATED_ZH
