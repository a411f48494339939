"""The daily reminders of the campaign (A-04): 30, 7 and 1 days before the confirmation
deadline (China dates), only to labs with people still to confirm, never twice, the last one
also to the branch centre."""

import datetime
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail

from access_audit.constants import Confirmation
from access_audit.models import CampaignEntry, CampaignReminderSent
from access_audit.services import campaign_cases, campaign_confirmation
from access_audit.services import campaigns as services
from access_audit.tasks import campaigns as tasks
from access_audit.tests.campaign_helpers import account, hired, new_campaign
from cqcportal.celery import app
from directory.constants import Role
from directory.tests.factories import TestingLabFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    """Lab A and lab B have two people each; lab B has confirmed everyone."""
    for lab in (world.lab_a, world.lab_b):
        for _ in range(2):
            account(hired(lab).person, lab=lab)
    campaign = new_campaign(world, days_left=40)
    services.campaign_open(campaign=campaign, actor=world.training_admin)
    campaign.refresh_from_db()
    entries = CampaignEntry.objects.filter(campaign=campaign, lab=world.lab_b)
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=world.lab_b_staff,
        seen={e.pk: "" for e in entries},
        confirmation=Confirmation.WORKS,
    )
    mail.outbox.clear()
    return campaign


def _run(campaign, days_before: int) -> int:
    day = campaign.confirmation_deadline - datetime.timedelta(days=days_before)
    return tasks.send_campaign_reminders.delay(day.isoformat()).get()


def _recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_reminders_go_on_30_7_and_1_days_before_only(world, campaign):
    # rule A-04: exactly the reminder days, China dates
    sent_on = [days for days in range(40, -1, -1) if _run(campaign, days)]
    assert sent_on == [30, 7, 1]
    assert len(mail.outbox) == 3
    assert set(
        CampaignReminderSent.objects.filter(campaign=campaign).values_list("lab", "days_before")
    ) == {(world.lab_a.pk, 30), (world.lab_a.pk, 7), (world.lab_a.pk, 1)}


def test_only_labs_with_people_still_to_confirm_are_reminded(world, campaign):
    # rule A-04: lab B confirmed everyone; no other lab is written to
    _run(campaign, 30)
    assert "lab_b@example.cn" not in _recipients()
    assert world.lab_b.email not in _recipients()
    assert {"lab_a@example.cn", world.lab_a.email} <= _recipients()


def test_a_reminder_is_never_sent_twice(world, campaign):
    # rule A-04: a second run the same day (a retry, a second beat) sends nothing
    assert _run(campaign, 7) == 1
    assert _run(campaign, 7) == 0
    assert tasks.send_campaign_reminder.delay(campaign.pk, world.lab_a.pk, 7).get() == 0
    assert len(mail.outbox) == 1


def test_the_last_reminder_also_goes_to_the_branch_centre(world, campaign):
    # rule A-04
    _run(campaign, 30)
    assert world.branch_n.email not in _recipients()
    assert "branch_n@example.cn" not in _recipients()
    mail.outbox.clear()
    _run(campaign, 1)
    assert {world.branch_n.email, "branch_n@example.cn", world.lab_a.email} <= _recipients()
    assert "branch_s@example.cn" not in _recipients()


def test_a_lab_without_staff_has_its_branch_written_to_every_time(world, campaign):
    # rule A-04: its branch centre confirms for it
    lab_c = TestingLabFactory(branch=world.branch_s)
    account(hired(lab_c).person, lab=lab_c)
    campaign_cases.campaign_entries_refresh()
    _run(campaign, 30)
    assert {lab_c.email, world.branch_s.email, "branch_s@example.cn"} <= _recipients()


def test_each_recipient_reads_the_reminder_in_their_language(world, campaign):
    # issue 10: a user's chosen language; a bare address gets Chinese
    UserFactory(username="lab_a_en", role=Role.LAB_STAFF, lab=world.lab_a, language="en")
    _run(campaign, 30)
    subjects = {tuple(message.to): message.subject for message in mail.outbox}
    assert subjects[("lab_a_en@example.cn",)].startswith("Check campaign")
    chinese = next(s for to, s in subjects.items() if world.lab_a.email in to)
    assert chinese.startswith("核查") and "实验室A" in chinese
    body = mail.outbox[0].body
    assert "/audit/campaigns/" in body and world.person_a.id_number not in body


def test_a_failed_send_is_sent_by_the_retry(world, campaign):
    # rule A-04: the claim is dropped when sending fails, so the retry sends it
    with mock.patch("access_audit.reminders.send_in_their_language", side_effect=ConnectionError):
        # Eager, the automatic retry shows as Celery's Retry.
        with pytest.raises((ConnectionError, Retry)):
            tasks.send_campaign_reminder.apply(args=(campaign.pk, world.lab_a.pk, 7), throw=True)
    assert not CampaignReminderSent.objects.exists()
    assert tasks.send_campaign_reminder.delay(campaign.pk, world.lab_a.pk, 7).get() > 0
    assert CampaignReminderSent.objects.count() == 1


def test_no_reminder_for_a_closed_campaign_or_a_lab_done_since(world, campaign):
    # rule A-04
    entries = CampaignEntry.objects.filter(campaign=campaign, lab=world.lab_a)
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=world.lab_a_staff,
        seen={e.pk: "" for e in entries},
        confirmation=Confirmation.WORKS,
    )
    assert tasks.send_campaign_reminder.delay(campaign.pk, world.lab_a.pk, 30).get() == 0
    services.campaign_close(campaign=campaign, actor=world.training_admin)
    assert _run(campaign, 30) == 0
    assert mail.outbox == []


def test_the_daily_jobs_are_on_the_beat_schedule():
    # rule A-04: daily, China time
    schedule = app.conf.beat_schedule
    tasks_scheduled = {entry["task"] for entry in schedule.values()}
    assert {
        "access_audit.tasks.campaigns.send_campaign_reminders",
        "access_audit.tasks.campaigns.refresh_campaign_suggestions",
    } <= tasks_scheduled
    assert app.conf.timezone == "Asia/Shanghai"
