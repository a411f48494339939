"""Every read of the check campaign that a user sees, already cut to that user's scope (A-03,
A-04): a lab its own entries, a branch centre its labs', the CQC-wide departments all."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from directory.constants import Role
from directory.models import User
from directory.selectors import get_in_scope_or_404
from liaisons.constants import CHINA

from ..constants import CampaignState, Confirmation
from ..models import AuditCampaign, CampaignEntry
from ..permissions.campaigns import sees_campaigns, sees_every_entry

_UNCONFIRMED = Q(confirmation=Confirmation.UNCONFIRMED)


def campaign_list(*, user) -> QuerySet[AuditCampaign]:
    """The training centre and the CQC-wide departments: every campaign, drafts included;
    branch centres and labs: the campaigns once opened."""
    campaigns = AuditCampaign.objects.all()
    if sees_every_entry(user):
        return campaigns
    if sees_campaigns(user):
        return campaigns.exclude(state=CampaignState.DRAFT)
    return campaigns.none()


def campaign_in_scope_or_404(*, user, pk) -> AuditCampaign:
    return get_in_scope_or_404(campaign_list(user=user), pk)


def campaign_entries(*, user, campaign: AuditCampaign) -> QuerySet[CampaignEntry]:
    """The campaign's entries ``user`` sees: a lab its own, a branch centre its labs'."""
    entries = CampaignEntry.objects.filter(campaign=campaign)
    if not campaign_list(user=user).filter(pk=campaign.pk).exists():
        return entries.none()
    if sees_every_entry(user):
        return entries
    if user.role == Role.LAB_STAFF:
        return entries.filter(lab_id=user.lab_id)
    if user.role == Role.BRANCH_REVIEWER:
        return entries.filter(lab__branch_id=user.branch_id)
    return entries.none()


def entry_list(*, user) -> QuerySet[CampaignEntry]:
    """Every entry of every campaign ``user`` sees (for an entry's own page)."""
    entries = CampaignEntry.objects.filter(campaign__in=campaign_list(user=user).values("pk"))
    if sees_every_entry(user):
        return entries
    if user.role == Role.LAB_STAFF:
        return entries.filter(lab_id=user.lab_id)
    if user.role == Role.BRANCH_REVIEWER:
        return entries.filter(lab__branch_id=user.branch_id)
    return entries.none()


# --- progress ------------------------------------------------------------------------------


def _confirmed_counts(rows: QuerySet) -> QuerySet:
    return rows.annotate(
        total=Count("id"),
        confirmed=Count("id", filter=~_UNCONFIRMED),
        suggested=Count("id", filter=_UNCONFIRMED & Q(suggest_left=True)),
    ).annotate(open=F("total") - F("confirmed"))


def progress_by_branch(entries: QuerySet[CampaignEntry]) -> list[dict]:
    """Per branch centre: entries, confirmed, still open; entries without a lab apart."""
    rows = _confirmed_counts(
        entries.order_by().values("lab__branch_id", "lab__branch__name", "lab__branch__code")
    ).order_by("lab__branch__code")
    return [_with_share(row) for row in rows]


def progress_by_lab(entries: QuerySet[CampaignEntry]) -> QuerySet:
    """Per lab: entries, confirmed, suggested as left and not yet confirmed, and whether the
    lab has an active staff user (else its branch centre confirms for it, A-04)."""
    staffed = User.objects.filter(role=Role.LAB_STAFF, is_active=True, lab_id=OuterRef("lab_id"))
    return _confirmed_counts(
        entries.order_by().values("lab_id", "lab__name", "lab__branch_id", "lab__branch__name")
    ).annotate(staffed=Exists(staffed))


def _with_share(row: dict) -> dict:
    row["percent"] = round(100 * row["confirmed"] / row["total"]) if row["total"] else 100
    return row


def with_shares(rows) -> list[dict]:
    return [_with_share(dict(row)) for row in rows]


@dataclass(frozen=True)
class TimeLeft:
    """The time left to a deadline's end (24:00 China time on its date, A-05)."""

    ends_at: datetime.datetime
    days: int
    hours: int
    passed: bool


def time_left(ends_at: datetime.datetime, *, now: datetime.datetime | None = None) -> TimeLeft:
    left = ends_at - (now or timezone.now())
    if left <= datetime.timedelta(0):
        return TimeLeft(ends_at=ends_at, days=0, hours=0, passed=True)
    return TimeLeft(ends_at=ends_at, days=left.days, hours=left.seconds // 3600, passed=False)


def progress_over_time(
    entries: QuerySet[CampaignEntry], *, campaign: AuditCampaign, now=None
) -> list[tuple[datetime.date, int]]:
    """The number of entries confirmed by the end of each China day, from the day the
    campaign opened to today (or the deadline, if it passed), from the entries'
    ``confirmed_at``."""
    now = now or timezone.now()
    if campaign.opened_at is None:
        return []
    first = campaign.opened_at.astimezone(CHINA).date()
    last = min(now.astimezone(CHINA).date(), campaign.confirmation_deadline)
    per_day = dict(
        entries.filter(confirmed_at__isnull=False)
        .order_by()
        .annotate(day=TruncDate("confirmed_at", tzinfo=CHINA))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    before = sum(n for day, n in per_day.items() if day < first)
    series, total, day = [], before, first
    while day <= last:
        total += per_day.get(day, 0)
        series.append((day, total))
        day += datetime.timedelta(days=1)
    return series
