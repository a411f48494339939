"""What the campaign tests build on: a campaign of the training centre and the people of the
five cases of A-03 in lab A and lab B of the ``world`` fixture."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from access_audit.constants import LoginRightState, china_today
from access_audit.models import AuditCampaign, CampaignEntry, LoginRight
from access_audit.services import campaigns as services
from access_audit.tests.factories import LoginRightFactory
from directory.models import Person
from directory.tests.factories import PersonFactory
from liaisons.tests.factories import LiaisonQualificationFactory


def new_campaign(
    world, *, days_left: int = 40, name: str = "2026年核查", **kwargs
) -> AuditCampaign:
    today = china_today()
    return services.campaign_create(
        actor=world.training_admin,
        name=name,
        migration_deadline=kwargs.pop("migration_deadline", today + datetime.timedelta(days=10)),
        confirmation_deadline=today + datetime.timedelta(days=days_left),
        **kwargs,
    )


def hired(lab, person: Person | None = None, **kwargs):
    """A counting qualification (L-13) of ``person`` (a new one by default) at ``lab``."""
    person = person or PersonFactory(lab=lab)
    return LiaisonQualificationFactory(lab=lab, person=person, **kwargs)


def account(person: Person | None, *, lab=None, state=LoginRightState.ACTIVE, **kwargs):
    """A business-system account in ``state``; ``person=None``: one matching no person."""
    if state == LoginRightState.REVOKED:
        return LoginRightFactory(person=person, lab=lab, revoked=True, **kwargs)
    right = LoginRightFactory(person=person, lab=lab, **kwargs)
    if state != LoginRightState.ACTIVE:
        LoginRight.objects.filter(pk=right.pk).update(state=state, suspended_at=timezone.now())
        right.refresh_from_db()
    return right


@dataclass
class Cases:
    """One person or account of each case in lab A (case 4 comes from a confirmation)."""

    keeps_working: LoginRight  # 1
    may_apply_no_account: Person  # 2, no account at all
    may_apply_suspended: LoginRight  # 2, a suspended right
    must_be_hired: LoginRight  # 3, a person of the lab without a qualification
    unmatched: LoginRight  # 3, an account whose ID number matched no person
    neither: LoginRight  # 5, revoked and not qualified


def people_of_every_case(world) -> Cases:
    lab = world.lab_a
    one = hired(lab).person
    two = hired(lab).person
    two_suspended = hired(lab).person
    three = PersonFactory(lab=lab)
    five = PersonFactory(lab=lab)
    return Cases(
        keeps_working=account(one, lab=lab),
        may_apply_no_account=two,
        may_apply_suspended=account(two_suspended, lab=lab, state=LoginRightState.SUSPENDED),
        must_be_hired=account(three, lab=lab),
        unmatched=account(None, lab=lab, name="未匹配账号"),
        neither=account(five, lab=lab, state=LoginRightState.REVOKED),
    )


def entry_of(campaign, *, right=None, person=None) -> CampaignEntry:
    if right is not None:
        return CampaignEntry.objects.get(campaign=campaign, right=right)
    return CampaignEntry.objects.get(campaign=campaign, person=person, right__isnull=True)
