"""The one way a change of a login right's state is recorded for the business system's feed.

Every service and job that changes a right's state calls :func:`right_changes_record` in the
same transaction, so the feed (``RightChange``, read through the business-system API) holds
each change exactly once, in the order of commit within one process. The jobs pass many rights
at once: one ``bulk_create`` per batch.
"""

import datetime
from collections.abc import Iterable

from .models import AuditCampaign, EnforcementRun, LoginRight, RightChange
from .signals import announce_rights_changed


def right_changes_record(
    rights: Iterable[LoginRight],
    *,
    at: datetime.datetime,
    rule: str = "",
    campaign: AuditCampaign | None = None,
    run: EnforcementRun | None = None,
) -> list[RightChange]:
    """One feed row per right, in the state each right holds now (after its transition)."""
    changes = RightChange.objects.bulk_create(
        [
            RightChange(
                right_id=right.pk, state=right.state, rule=rule, at=at, campaign=campaign, run=run
            )
            for right in rights
        ]
    )
    # The same single point tells the check campaign (A-03), which keeps its entries' cases
    # current: whoever records a right's change has announced it.
    announce_rights_changed(change.right_id for change in changes)
    return changes
