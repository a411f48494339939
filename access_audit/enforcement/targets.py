"""What each deadline takes away, as querysets: the one definition that the run, its dry run
and the preview all use (L-13, A-04, A-05).

A-04 at the confirmation deadline revokes the right (active or suspended) of every account of
the campaign whose entry its lab did not confirm, and of every account "not put right": its
person holds no liaison qualification that counts as hired at the deadline, unless the lab
confirmed the person as left (case 4: the right was suspended then, A-03). Such an account is
case 3 while its right is active; once the migration deadline suspended it (L-13, A-01) it
shows as case 5 and is still one not put right (docs/decisions.md).

L-13 at the migration deadline records the legacy qualifications not migrated as lapsed
(``liaisons.services.lapse``) and suspends the active rights of their people who hold no
other counting qualification (A-01).
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from liaisons.constants import deadline_end
from liaisons.models import LiaisonQualification
from liaisons.services.lapse import qualifications_to_lapse

from ..constants import LEFT, Confirmation, LoginRightState, RunKind
from ..models import AuditCampaign, CampaignEntry, LoginRight

#: The rights a deadline can still take away: a revoked one is over (A-06 keeps it).
HELD = (LoginRightState.ACTIVE, LoginRightState.SUSPENDED)


def deadline_of(campaign: AuditCampaign, kind: str) -> datetime.date:
    if kind == RunKind.MIGRATION:
        return campaign.migration_deadline
    return campaign.confirmation_deadline


def deadline_passed(campaign: AuditCampaign, kind: str, *, at: datetime.datetime) -> bool:
    """A-05: the deadline ends at 24:00 China Standard Time on its date; at that instant and
    after, it has passed."""
    return at >= deadline_end(deadline_of(campaign, kind))


def qualified_at(ends: datetime.datetime, person_ref: str = "person_id") -> Exists:
    """The person holds, at ``ends``, a qualification that counts as hired (L-13) and is not a
    legacy one left unmigrated: at the confirmation deadline the campaign's migration
    deadline (never later, a constraint of the campaign) has passed, so a legacy liaison not
    migrated no longer counts, whether or not its lapse is recorded yet (the preview's case)."""
    counting = LiaisonQualification.objects.counting(at=ends).exclude(
        is_legacy=True, migrated_at__isnull=True
    )
    return Exists(counting.order_by().filter(person_id=OuterRef(person_ref)))


def revocation_targets(campaign: AuditCampaign, *, ends: datetime.datetime) -> QuerySet:
    """A-04: the rights the confirmation deadline revokes if it passes at ``ends``."""
    not_left = ~Q(confirmation__in=sorted(LEFT))
    entries = CampaignEntry.objects.filter(campaign=campaign, right_id=OuterRef("pk")).filter(
        Q(confirmation=Confirmation.UNCONFIRMED) | not_left
    )
    unconfirmed = Exists(entries.filter(confirmation=Confirmation.UNCONFIRMED))
    confirmed_not_qualified = Exists(entries.exclude(confirmation=Confirmation.UNCONFIRMED))
    return LoginRight.objects.filter(state__in=HELD).filter(
        unconfirmed | (confirmed_not_qualified & ~qualified_at(ends))
    )


def suspension_targets(*, person_ids, ends: datetime.datetime) -> QuerySet:
    """L-13 then A-01: the active rights of these people (whose legacy qualification lapsed)
    unless they hold another qualification that counts at ``ends``."""
    return LoginRight.objects.filter(
        state=LoginRightState.ACTIVE, person_id__in=person_ids
    ).exclude(qualified_at(ends))


def lapse_candidates() -> QuerySet:
    """L-13: the legacy qualifications the migration deadline records as lapsed."""
    return qualifications_to_lapse()


def suspension_candidates(*, ends: datetime.datetime) -> QuerySet:
    """L-13 then A-01, before the lapses are recorded: the active rights the migration run
    would suspend (for its plan and the circuit breaker)."""
    return suspension_targets(person_ids=lapse_candidates().values("person_id"), ends=ends)
