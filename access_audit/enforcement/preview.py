"""Who would lose the login right if the confirmation deadline passed now (A-04), per lab and
per branch, for the user who asks: the dry run's own definition (``targets``) cut to the
user's entries (a lab its own, a branch centre its labs', the training centre all)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from ..models import AuditCampaign, CampaignEntry
from ..selectors.campaigns import campaign_entries
from . import targets

#: The most people the preview lists on its page (the counts cover all).
PREVIEW_LIST_LIMIT = 500


@dataclass
class Preview:
    at: datetime.datetime
    entries: QuerySet[CampaignEntry]
    total: int
    per_lab: list[dict]
    per_branch: list[dict]


def enforcement_preview(
    *, user, campaign: AuditCampaign, at: datetime.datetime | None = None
) -> Preview:
    """The entries of the campaign ``user`` sees whose account's right the confirmation
    deadline would revoke if it passed at ``at`` (now by default)."""
    at = at or timezone.now()
    rights = targets.revocation_targets(campaign, ends=at)
    entries = (
        campaign_entries(user=user, campaign=campaign)
        .filter(right__in=rights.values("pk"))
        .select_related("right", "person", "lab__branch")
        .order_by("lab__name", "right__username")
    )
    grouped = entries.order_by()
    per_lab = list(
        grouped.values("lab_id", "lab__name", "lab__branch__name")
        .annotate(n=Count("id"))
        .order_by("lab__branch__name", "lab__name")
    )
    per_branch = list(
        grouped.values("lab__branch_id", "lab__branch__name")
        .annotate(n=Count("id"))
        .order_by("lab__branch__name")
    )
    return Preview(
        at=at,
        entries=entries,
        total=sum(row["n"] for row in per_lab),
        per_lab=per_lab,
        per_branch=per_branch,
    )
