"""Who would lose the login right if the confirmation deadline passed now (A-04), per lab and
per branch, for the user who asks: the dry run's own definition (``targets``) cut to the
user's entries (a lab its own, a branch centre its labs', the training centre all).

The page lists the first ``PREVIEW_LIST_LIMIT``; the export (``preview_headers``,
``preview_rows``) has everyone, read a chunk at a time by key so that 400,000 people never sit
in memory.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import CampaignState, Case, Confirmation
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


def awaits_deadline(campaign: AuditCampaign) -> bool:
    """Whether the campaign's confirmation deadline is still to come (or to be enforced): only
    then is there anyone the deadline would take the right from."""
    return campaign.state in (CampaignState.OPEN, CampaignState.CLOSED)


def preview_entries(
    *, user, campaign: AuditCampaign, at: datetime.datetime
) -> QuerySet[CampaignEntry]:
    """The entries of the campaign ``user`` sees whose account's right the confirmation
    deadline would revoke if it passed at ``at``."""
    rights = targets.revocation_targets(campaign, ends=at)
    return campaign_entries(user=user, campaign=campaign).filter(right__in=rights.values("pk"))


def enforcement_preview(
    *, user, campaign: AuditCampaign, at: datetime.datetime | None = None
) -> Preview:
    """The entries of the campaign ``user`` sees whose account's right the confirmation
    deadline would revoke if it passed at ``at`` (now by default)."""
    at = at or timezone.now()
    entries = (
        preview_entries(user=user, campaign=campaign, at=at)
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


# --- the export ----------------------------------------------------------------------------


def preview_headers() -> list[str]:
    """The preview's columns as its page shows them, in the active language."""
    return [
        _("Business-system username"),
        _("Name"),
        _("Testing lab"),
        _("Case"),
        _("Why"),
    ]


def preview_rows(entries: QuerySet[CampaignEntry], *, chunk: int = 2000) -> Iterator[list]:
    """The rows of ``entries`` (from :func:`preview_entries`) as the page shows them, read
    ``chunk`` at a time by key (no cursor held open, nothing but a chunk in memory)."""
    cases = {value: str(label) for value, label in Case.choices}
    no_lab = _("No lab")
    not_qualified = _("Not a hired liaison (case 3 not put right)")
    unconfirmed = _("Not confirmed by the lab")
    columns = ("right__username", "person__name", "right__name", "lab__name", "case")
    last = 0
    while True:
        batch = list(
            entries.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "confirmation", *columns)[:chunk]
        )
        if not batch:
            return
        last = batch[-1][0]
        for _pk, confirmation, username, person_name, account_name, lab, case in batch:
            yield [
                username,
                person_name or account_name or "",
                lab or no_lab,
                cases.get(case, ""),
                unconfirmed if confirmation == Confirmation.UNCONFIRMED else not_qualified,
            ]
