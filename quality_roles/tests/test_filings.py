"""Filings of the director's details with the regulator, and the daily job that flags what is
late (Q-06)."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from cqcportal.timeline import timeline_for
from directory.models import Person
from quality_roles import tasks
from quality_roles.constants import FilingKind, TitleLevel
from quality_roles.models import Filing
from quality_roles.services.bodies import body_staff_update
from quality_roles.services.filings import filing_record_filed, filings_flag_late

from .factories import FilingFactory
from .test_director_appointments import appoint

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _today():
    return timezone.localdate()


def test_a_change_of_the_directors_details_is_due_in_30_days(body):
    # rule Q-06: 如发生信息变更的，应在30日内在系统中进行信息变更
    b = body
    director = appoint(b, b.candidate)
    changed_on = _today() - datetime.timedelta(days=3)
    body_staff_update(
        staff=b.candidate, actor=b.admin, changed_on=changed_on, position="常务副总经理"
    )
    (due,) = Filing.objects.filter(appointment=director, filed_on__isnull=True)
    assert due.kind == FilingKind.CHANGE
    assert due.changed_on == changed_on
    assert due.due_on == changed_on + datetime.timedelta(days=30)
    assert due.changed_fields == ["position"]
    assert due.details["position"] == "常务副总经理"


def test_a_second_change_joins_the_filing_due_and_keeps_its_date(body):
    # rule Q-06: the 30 days run from the first change not yet filed
    b = body
    appoint(b, b.candidate)
    first_on = _today() - datetime.timedelta(days=10)
    body_staff_update(staff=b.candidate, actor=b.admin, changed_on=first_on, position="总经理助理")
    body_staff_update(staff=b.candidate, actor=b.admin, is_quality_manager=True)
    (due,) = Filing.objects.filter(filed_on__isnull=True)
    assert due.due_on == first_on + datetime.timedelta(days=30)
    assert due.changed_fields == ["position", "is_quality_manager"]


def test_a_change_of_no_filed_detail_needs_no_filing(body):
    # rule Q-06: only the details filed with the regulator
    b = body
    appoint(b, b.candidate)
    body_staff_update(
        staff=b.candidate, actor=b.admin, full_time_work_since=datetime.date(1999, 1, 1)
    )
    assert not Filing.objects.filter(filed_on__isnull=True).exists()


def test_recording_the_filing_closes_it(body):
    # rule Q-06
    b = body
    director = appoint(b, b.candidate)
    body_staff_update(staff=b.candidate, actor=b.admin, title_level=TitleLevel.INTERMEDIATE)
    due = Filing.objects.get(filed_on__isnull=True)
    filing_record_filed(filing=due, actor=b.admin, filed_on=_today(), reference="BG-2026-17")
    due.refresh_from_db()
    assert due.filed_on == _today() and not due.is_late
    assert due.details["title_level"] == TitleLevel.INTERMEDIATE
    assert director.filings.filter(filed_on__isnull=True).count() == 0


def test_the_daily_job_flags_late_filings_once(world):
    # rule Q-06: due on the 30th day after the change; late from the day after
    today = _today()
    late = FilingFactory(changed_on=today - datetime.timedelta(days=31))
    on_its_last_day = FilingFactory(changed_on=today - datetime.timedelta(days=30))
    filed_late = FilingFactory(
        changed_on=today - datetime.timedelta(days=40), filed_on=today - datetime.timedelta(days=2)
    )
    assert tasks.flag_late_filings.delay().get()["flagged"] == 1
    flagged = set(Filing.objects.filter(late_flagged_at__isnull=False).values_list("pk", flat=True))
    assert flagged == {late.pk}
    # Idempotent: a second run the same day flags nothing and changes nothing.
    stamp = Filing.objects.get(pk=late.pk).late_flagged_at
    assert tasks.flag_late_filings.delay().get()["flagged"] == 0
    assert Filing.objects.get(pk=late.pk).late_flagged_at == stamp
    late.refresh_from_db()
    on_its_last_day.refresh_from_db()
    filed_late.refresh_from_db()
    assert late.is_late and not on_its_last_day.is_late and filed_late.is_late
    # The flag is in the filing's history, with its reason.
    assert any("Q-06" in entry.comment for entry in timeline_for(late))


def test_flagging_works_on_the_set_in_sql(world, django_assert_max_num_queries):
    # rule Q-06: a deadline job works on sets, not row by row
    for days in range(31, 41):
        FilingFactory(changed_on=_today() - datetime.timedelta(days=days))
    with django_assert_max_num_queries(8):
        assert filings_flag_late() == 10


def test_a_change_made_outside_the_screens_is_found_by_the_daily_job(body):
    # rule Q-06: the director changes their phone number on their own profile (P-03 a)
    b = body
    director = appoint(b, b.candidate)
    Person.objects.filter(pk=b.candidate.person_id).update(phone="13912345678")
    result = tasks.flag_late_filings.delay().get()
    assert result["found"] == 1
    (due,) = Filing.objects.filter(appointment=director, filed_on__isnull=True)
    assert due.changed_fields == ["phone"] and due.due_on == _today() + datetime.timedelta(days=30)
    # Found once: the next run finds it already due.
    assert tasks.flag_late_filings.delay().get()["found"] == 0


def test_the_job_is_on_the_beat_schedule_with_time_limits():
    # rule Q-06: daily
    entry = settings.CELERY_BEAT_SCHEDULE["quality-roles-flag-late-filings"]
    assert entry["task"] == "quality_roles.tasks.flag_late_filings"
    assert tasks.flag_late_filings.soft_time_limit < tasks.flag_late_filings.time_limit
