"""What the deadline job's tests build on: a campaign over people of lab A and lab B whose
confirmation deadline lies a few days ahead, some confirmed by their lab, and the full state
the job changes, to compare two runs."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from access_audit.constants import Confirmation, china_today
from access_audit.models import AuditCampaign, CampaignEntry, LoginRight, RightChange
from access_audit.services import campaign_confirmation
from access_audit.services import campaigns as services
from access_audit.tests.campaign_helpers import account, hired
from directory.tests.factories import PersonFactory
from liaisons.constants import deadline_end
from liaisons.models import LiaisonQualification


@dataclass
class Scene:
    campaign: AuditCampaign
    confirmed: LoginRight  # lab A confirmed, qualified: keeps it
    unconfirmed: LoginRight  # lab A did not confirm: revoked
    not_put_right: LoginRight  # case 3, confirmed "works", never hired: revoked
    legacy: LoginRight  # legacy liaison not migrated, confirmed: suspended (L-13), revoked
    other_lab: LoginRight  # lab B, unconfirmed: revoked
    legacy_qualification: LiaisonQualification

    @property
    def ends(self) -> datetime.datetime:
        return deadline_end(self.campaign.confirmation_deadline)

    @property
    def migration_ends(self) -> datetime.datetime:
        return deadline_end(self.campaign.migration_deadline)


def confirm(world, campaign, rights, confirmation=Confirmation.WORKS, actor=None):
    entries = list(CampaignEntry.objects.filter(campaign=campaign, right__in=rights))
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=actor or world.lab_a_staff,
        seen={e.pk: e.confirmation for e in entries},
        confirmation=confirmation,
    )


def scene(world, *, days_left: int = 5, extra_active: int = 6) -> Scene:
    """Five rights that the deadlines treat differently, plus ``extra_active`` confirmed and
    qualified ones (so that the circuit breaker lets the run pass)."""
    lab_a, lab_b = world.lab_a, world.lab_b
    today = china_today()
    confirmed = account(hired(lab_a).person, lab=lab_a)
    unconfirmed = account(hired(lab_a).person, lab=lab_a)
    not_put_right = account(PersonFactory(lab=lab_a), lab=lab_a)
    legacy_q = hired(lab_a, is_legacy=True, hired_on=datetime.date(2009, 3, 1))
    legacy = account(legacy_q.person, lab=lab_a)
    other_lab = account(hired(lab_b).person, lab=lab_b)
    extra = [account(hired(lab_a).person, lab=lab_a) for _ in range(extra_active)]
    campaign = services.campaign_create(
        actor=world.training_admin,
        name="截止测试",
        migration_deadline=today + datetime.timedelta(days=days_left - 2),
        confirmation_deadline=today + datetime.timedelta(days=days_left),
    )
    services.campaign_open(campaign=campaign, actor=world.training_admin)
    confirm(world, campaign, [confirmed, not_put_right, legacy, *extra])
    return Scene(
        campaign=AuditCampaign.objects.get(pk=campaign.pk),
        confirmed=confirmed,
        unconfirmed=unconfirmed,
        not_put_right=not_put_right,
        legacy=legacy,
        other_lab=other_lab,
        legacy_qualification=legacy_q,
    )


def _sorted(rows) -> list:
    return sorted(rows, key=repr)


def full_state() -> dict:
    """Everything the job writes, without ids and the run's own times: two runs that end the
    same compare equal."""
    right_type = ContentType.objects.get_for_model(LoginRight)
    return {
        "rights": _sorted(
            LoginRight.objects.values_list(
                "username",
                "state",
                "rule",
                "revoked_at",
                "suspended_at",
                "campaign__name",
                "revoke_reason",
            )
        ),
        "right_history": _sorted(
            LoginRight.history.values_list(
                "username", "state", "history_type", "history_date", "history_change_reason"
            )
        ),
        "state_logs": _sorted(
            StateLog.objects.filter(content_type=right_type).values_list(
                "object_id", "source_state", "state", "transition", "timestamp"
            )
        ),
        "feed": _sorted(RightChange.objects.values_list("right__username", "state", "rule", "at")),
        "qualifications": _sorted(
            LiaisonQualification.objects.values_list("person__name", "state", "lapsed_at")
        ),
        "qualification_history": _sorted(
            LiaisonQualification.history.values_list(
                "person__name", "lapsed_at", "history_date", "history_change_reason"
            )
        ),
        "campaigns": _sorted(AuditCampaign.objects.values_list("name", "state")),
    }
