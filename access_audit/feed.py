"""The one way a change of a login right's state is recorded for the business system's feed.

Every service and job that changes a right's state calls :func:`right_changes_record` in the
same transaction, so the feed (``RightChange``, read through the business-system API) holds
each change exactly once, in the order of commit within one process. The deadline job writes
a batch at a time with :func:`right_changes_record_set` (``INSERT ... SELECT``: building a
feed object per right in Python was most of its time, bench/README.md).
"""

import datetime
from collections.abc import Iterable

from django.db import connection

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


def right_changes_record_set(
    right_ids: list[int],
    *,
    at: datetime.datetime,
    rule: str,
    campaign: AuditCampaign | None,
    run: EnforcementRun | None,
) -> int:
    """:func:`right_changes_record` for the deadline job's batches: the feed rows copied
    inside the database from the rights as they are stored now (``INSERT ... SELECT``, in the
    order of their ids), then announced the same way. Returns the rows written."""
    if not right_ids:
        return 0
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":  # one array, not thousands of placeholders
        where, params = "= ANY(%s)", [list(right_ids)]
    else:
        where, params = f"IN ({', '.join(['%s'] * len(right_ids))})", list(right_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(RightChange._meta.db_table)} (right_id, state, rule, at, "  # noqa: S608 - names from the models, values as parameters
            f"campaign_id, run_id) SELECT id, state, %s, %s, %s, %s "
            f"FROM {qn(LoginRight._meta.db_table)} WHERE id {where} ORDER BY id",
            [rule, at, getattr(campaign, "pk", None), getattr(run, "pk", None), *params],
        )
        written = cursor.rowcount
    announce_rights_changed(right_ids)
    return written
