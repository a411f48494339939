"""What the evidence tests build on: a done enforcement run of an enforced campaign that
revoked accounts of lab A and lab B (A-04), written as the deadline job writes them (the
rights revoked, one feed row each with the run), without running the job."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from access_audit.constants import Confirmation, LoginRightState, RunKind, RunState
from access_audit.feed import right_changes_record
from access_audit.models import AuditCampaign, EnforcementRun, LoginRight
from access_audit.tests.factories import LoginRightFactory
from access_audit.tests.feed_factories import AuditCampaignFactory, CampaignEntryFactory
from directory.tests.factories import PersonFactory
from liaisons.constants import deadline_end

REASON = "A-04：检测机构未在确认截止日前确认"


@dataclass
class Enforced:
    campaign: AuditCampaign
    run: EnforcementRun
    lab_a: list[LoginRight]
    lab_b: list[LoginRight]
    kept: LoginRight  # an account of lab A the run did not touch


def revoke(rights, *, run: EnforcementRun, reason: str = REASON) -> None:
    """Revoke ``rights`` as the deadline job does: state, rule, reason, campaign, the deadline
    as the time, and the feed row with the run."""
    ends = deadline_end(run.campaign.confirmation_deadline)
    LoginRight.objects.filter(pk__in=[r.pk for r in rights]).update(
        state=LoginRightState.REVOKED,
        revoked_at=ends,
        rule="A-04",
        revoke_reason=reason,
        campaign=run.campaign,
    )
    fresh = list(LoginRight.objects.filter(pk__in=[r.pk for r in rights]).order_by("pk"))
    right_changes_record(fresh, at=timezone.now(), rule="A-04", campaign=run.campaign, run=run)


def enforced_run(world, *, per_lab: int = 2, names=None, usernames=None) -> Enforced:
    """An enforced campaign whose confirmation run revoked ``per_lab`` accounts of lab A and
    of lab B (none confirmed by its lab); one confirmed account of lab A is kept."""
    today = timezone.localdate()
    campaign = AuditCampaignFactory(
        enforced=True,
        migration_deadline=today - datetime.timedelta(days=40),
        confirmation_deadline=today - datetime.timedelta(days=2),
    )
    made = {}
    for key, lab in (("a", world.lab_a), ("b", world.lab_b)):
        rights = []
        for index in range(per_lab):
            person = PersonFactory(
                lab=lab, name=(names or {}).get((key, index), f"人员{key}{index}")
            )
            username = (usernames or {}).get((key, index), f"cbs-{key}-{index}")
            right = LoginRightFactory(person=person, lab=lab, username=username)
            CampaignEntryFactory(campaign=campaign, right=right)
            rights.append(right)
        made[key] = rights
    kept = LoginRightFactory(person=PersonFactory(lab=world.lab_a), lab=world.lab_a)
    CampaignEntryFactory(campaign=campaign, right=kept, confirmation=Confirmation.WORKS)
    run = EnforcementRun.objects.create(
        campaign=campaign,
        kind=RunKind.CONFIRMATION,
        as_of=campaign.confirmation_deadline + datetime.timedelta(days=1),
        state=RunState.DONE,
        finished_at=timezone.now(),
    )
    revoke(made["a"] + made["b"], run=run)
    return Enforced(campaign=campaign, run=run, lab_a=made["a"], lab_b=made["b"], kept=kept)
