"""L-13 at the migration deadline: legacy qualifications not migrated stop counting as hired,
recorded on the qualification with its history (not only computed when read).

Called by the deadline job of the app above (``access_audit/enforcement/``), a batch at a
time: each call is one transaction that marks a set of qualifications lapsed in SQL, writes
their history records in bulk (``cqcportal.history``) and refreshes their labs' coverage
(L-06). Idempotent: a lapsed qualification is never picked again, so a run killed between two
calls is finished by the next one. The qualification's state is kept (a lapsed liaison may
still be migrated, L-13); ``LiaisonQualificationQuerySet.hired`` leaves it out from
``lapsed_at`` on.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cqcportal.history import history_bulk_create
from directory.models import User

from ..constants import CURRENT_QUALIFICATION_STATES
from ..models import LiaisonQualification
from .coverage import labs_coverage_refresh

#: The rule a lapse records (in the history's reason and on the rights that follow it).
LAPSE_RULE = "L-13"


def qualifications_to_lapse() -> QuerySet[LiaisonQualification]:
    """Legacy qualifications still held, not migrated and not recorded as lapsed yet."""
    return LiaisonQualification.objects.filter(
        is_legacy=True,
        migrated_at__isnull=True,
        lapsed_at__isnull=True,
        state__in=sorted(CURRENT_QUALIFICATION_STATES),
    )


@transaction.atomic
def qualifications_lapse_unmigrated(
    *,
    as_of: datetime.datetime,
    run_id: int | None = None,
    actor: User | None = None,
    limit: int = 5000,
) -> list[tuple[int, int]]:
    """L-13: record up to ``limit`` legacy qualifications not migrated as lapsed at ``as_of``
    (the instant the deadline passed, A-05), in one transaction with their history records;
    returns the ``(qualification id, person id)`` pairs lapsed. Call again until it returns
    nothing. ``actor`` is empty when the rule itself acts (the deadline job)."""
    rows = list(
        qualifications_to_lapse()
        .select_for_update(skip_locked=False)
        .order_by("pk")
        .values_list("pk", "person_id", "lab_id")[:limit]
    )
    if not rows:
        return []
    pks = [pk for pk, _person, _lab in rows]
    LiaisonQualification.objects.filter(pk__in=pks, lapsed_at__isnull=True).update(
        lapsed_at=as_of, lapse_run_id=run_id
    )
    history_bulk_create(
        [LiaisonQualification(pk=pk) for pk in pks],
        model=LiaisonQualification,
        user=actor,
        date=as_of,
        update=True,
        # simple-history's reason column holds 100 characters.
        reason=_("L-13: not migrated by the migration deadline; no longer counts as hired.")[:100],
    )
    labs_coverage_refresh(lab_ids={lab for _pk, _person, lab in rows})
    return [(pk, person) for pk, person, _lab in rows]
