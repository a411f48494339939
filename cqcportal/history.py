"""History written a set at a time, as a single ``save()`` writes it (django-simple-history)."""

import datetime
from collections.abc import Sequence

from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_manager_for_model


def history_bulk_create(
    objs: Sequence[models.Model],
    *,
    model: type[models.Model],
    user,
    date: datetime.datetime,
    update: bool,
    reason: str = "",
) -> None:
    """One historical record per object (``~`` when ``update``, else ``+``), in bulk.

    simple-history's own bulk helpers leave out the snapshot of the tracked many-to-many
    fields that ``save()`` writes with every record; without it the timeline would read the
    next record as the fields being removed. This writes the snapshot too: one query to read
    the current rows of each such field, one insert.
    """
    if not objs:
        return
    records = get_history_manager_for_model(model).bulk_history_create(
        objs, update=update, default_user=user, default_date=date, default_change_reason=reason
    )
    if not records:  # SIMPLE_HISTORY_ENABLED is off
        return
    record_of = {obj.pk: record.pk for obj, record in zip(objs, records, strict=True)}
    for field in getattr(records[0], "_history_m2m_fields", ()):
        snapshot = HistoricalRecords.m2m_models[field]
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = through.objects.filter(**{f"{source}_id__in": list(record_of)}).values_list(
            "pk", f"{source}_id", f"{target}_id"
        )
        snapshot.objects.bulk_create(
            [
                snapshot(
                    history_id=record_of[owner],
                    id=pk,
                    **{f"{source}_id": owner, f"{target}_id": other},
                )
                for pk, owner, other in rows
            ]
        )
