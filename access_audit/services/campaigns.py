"""The check campaign (核查、确认、清理): created, opened over every business-system account and
every hired liaison, and closed (A-03, A-04). How an entry's case is computed and kept current
is ``campaign_cases``; the labs' confirmation is ``campaign_confirmation``.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from directory.models import User

from ..constants import CampaignState, Case
from ..models import AuditCampaign, CampaignEntry
from ..models.campaigns import CAMPAIGN_NAME_MAX_LENGTH
from ..permissions.campaigns import can_run_campaigns
from .campaign_cases import campaign_entries_insert

#: Reminder days: at most this many, each between 1 and a year before the deadline.
REMINDER_DAYS_MAX = 10


def _require_training_centre(actor: User) -> None:
    if not can_run_campaigns(actor):
        raise PermissionDenied(_("Only the training centre runs the check campaign (A-03)."))


# --- the campaign --------------------------------------------------------------------------


def _clean_reminder_days(days: Iterable[int]) -> list[int]:
    cleaned = sorted({int(day) for day in days}, reverse=True)
    if not cleaned or len(cleaned) > REMINDER_DAYS_MAX or not all(1 <= d <= 365 for d in cleaned):
        raise ValidationError(
            {
                "reminder_days": _(
                    "Give one to %(count)d reminder days, each from 1 to 365 days before the "
                    "deadline."
                )
                % {"count": REMINDER_DAYS_MAX}
            }
        )
    return cleaned


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    migration_deadline: datetime.date,
    confirmation_deadline: datetime.date,
    unused_after_days: int = 90,
    reminder_days: Iterable[int] = (30, 7, 1),
) -> AuditCampaign:
    """A new campaign in draft, its deadlines as data (A-03, A-04, L-13)."""
    _require_training_centre(actor)
    name = (name or "").strip()
    if not name or len(name) > CAMPAIGN_NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": _("Give the campaign a name of at most %(limit)d characters.")
                % {"limit": CAMPAIGN_NAME_MAX_LENGTH}
            }
        )
    if migration_deadline > confirmation_deadline:
        raise ValidationError(
            {
                "migration_deadline": _(
                    "The migration deadline (L-13) cannot fall after the confirmation deadline "
                    "(A-04)."
                )
            }
        )
    campaign = AuditCampaign(
        name=name,
        migration_deadline=migration_deadline,
        confirmation_deadline=confirmation_deadline,
        unused_after_days=unused_after_days,
        reminder_days=_clean_reminder_days(reminder_days),
        created_by=actor,
    )
    campaign.full_clean(exclude=["state"])
    campaign._history_user = actor
    campaign.save()
    return campaign


def _locked(campaign: AuditCampaign) -> AuditCampaign:
    return AuditCampaign.objects.select_for_update().get(pk=campaign.pk)


def _stale(campaign: AuditCampaign) -> ValidationError:
    return ValidationError(
        _("The campaign is “%(state)s” now: someone changed it a moment ago.")
        % {"state": campaign.get_state_display()},
        code="stale_state",
    )


@transaction.atomic
def campaign_open(
    *, campaign: AuditCampaign, actor: User, at: datetime.datetime | None = None
) -> dict[int, int]:
    """Open the campaign: every business-system account (in any state) and every hired
    liaison without an account becomes an entry, sorted into its case of A-03 in SQL over
    the whole set. Returns the number of entries per case.

    One campaign is open at a time: the entries of two would ask the labs twice.
    """
    _require_training_centre(actor)
    at = at or timezone.now()
    campaign = _locked(campaign)
    if not can_proceed(campaign.open):
        raise _stale(campaign)
    if AuditCampaign.objects.filter(state=CampaignState.OPEN).exists():
        raise ValidationError(
            _("Another campaign is open: close it before opening this one."), code="one_open"
        )
    campaign.open(at=at, by=actor, description=_("Opened over every account (A-03)."))
    campaign._history_user = actor
    campaign.save()
    campaign_entries_insert(campaign, at=at)
    return entry_counts(CampaignEntry.objects.filter(campaign=campaign))


@transaction.atomic
def campaign_close(
    *, campaign: AuditCampaign, actor: User, at: datetime.datetime | None = None
) -> AuditCampaign:
    """Close the campaign: its entries stay as they are, for the deadline job (A-04)."""
    _require_training_centre(actor)
    campaign = _locked(campaign)
    if not can_proceed(campaign.close):
        raise _stale(campaign)
    campaign.close(at=at or timezone.now(), by=actor, description=_("Closed."))
    campaign._history_user = actor
    campaign.save()
    return campaign


def entry_counts(entries: QuerySet[CampaignEntry]) -> dict[int, int]:
    """The number of ``entries`` in each case of A-03 (every case present, zero or not)."""
    counts = dict.fromkeys(Case.values, 0)
    for case, count in (
        entries.order_by().values("case").annotate(n=models.Count("id")).values_list("case", "n")
    ):
        counts[case] = count
    return counts
