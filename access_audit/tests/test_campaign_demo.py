"""The demo holds the 2011 campaign, enforced, and a current one, open, whose progress, chart
and clock can be seen working (issue 12)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from access_audit.constants import CampaignState, china_today
from access_audit.models import AuditCampaign, CampaignEntry, LoginRight
from directory.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_campaign_story(client):
    # rule A-03, rule A-04
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    old = AuditCampaign.objects.get(state=CampaignState.ENFORCED)
    assert (old.migration_deadline, old.confirmation_deadline) == (
        datetime.date(2011, 8, 30),
        datetime.date(2011, 12, 30),
    )
    # A-04, L-13: the 2011 campaign was enforced by the real deadline job, its runs done.
    runs = {run.kind: run for run in old.runs.filter(dry_run=False, state="done")}
    assert set(runs) == {"migration", "confirmation"}
    assert runs["confirmation"].counts["changed"] >= 1
    assert LoginRight.objects.get(username="bj-sunlixin").rule == "A-04"
    current = AuditCampaign.objects.get(state=CampaignState.OPEN)
    weeks = (current.confirmation_deadline - china_today()).days
    assert 14 <= weeks <= 35
    # A campaign at every stage (issue 12): this year's pilot closed, its deadline passed and
    # its run still to come; next year's in draft.
    assert sorted(AuditCampaign.objects.values_list("state", flat=True)) == [
        CampaignState.CLOSED,
        CampaignState.DRAFT,
        CampaignState.ENFORCED,
        CampaignState.OPEN,
    ]
    pilot = AuditCampaign.objects.get(state=CampaignState.CLOSED)
    assert pilot.confirmation_deadline < china_today() and not pilot.runs.exists()
    assert pilot.entries.exclude(confirmation="").count() >= 1
    entries = CampaignEntry.objects.filter(campaign=current)
    days = {e.confirmed_at.date() for e in entries.exclude(confirmed_at=None)}
    assert len(days) >= 3
    # Every case appears, a suggestion, a departure and a branch's confirmation.
    assert set(entries.values_list("case", flat=True)) == {1, 2, 3, 4, 5}
    assert entries.filter(suggest_left=True, confirmation="").exists()
    assert entries.filter(confirmed_by_branch=True).exists()

    client.force_login(User.objects.get(username="training"))
    page = client.get(reverse("access_audit:campaign_detail", args=[current.pk]))
    assert page.status_code == 200
    assert len(page.context["chart"].rows) >= 9
    client.force_login(User.objects.get(username="lab.beijing"))
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("access_audit:campaign_confirm", args=[current.pk]) in dashboard
