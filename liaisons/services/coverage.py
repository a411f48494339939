"""The coverage of each lab's business scope by its liaisons (L-06): the gaps, opened and
closed as qualifications come and go, and announced by e-mail when they open."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from directory.models import TestingLab

from ..models import CoverageGap


def coverage_refresh(*, lab: TestingLab) -> list[str]:
    """Open a gap row for every newly uncovered field of the lab's scope and close the rows of
    fields covered again (L-06). New gaps are announced by one e-mail, after commit. Returns
    the codes of the new gaps."""
    return labs_coverage_refresh(lab_ids=[lab.pk]).get(lab.pk, [])


def coverage_gaps_close(*, covered: set[tuple[int, str]], at: datetime.datetime) -> int:
    """Close the open gaps of these (lab id, field code) pairs, now covered (L-06); returns
    how many were closed."""
    if not covered:
        return 0
    candidates = CoverageGap.objects.filter(
        closed_at=None,
        lab_id__in={lab_id for lab_id, _code in covered},
        field_id__in={code for _lab_id, code in covered},
    ).values_list("pk", "lab_id", "field_id")
    closing = [pk for pk, lab_id, code in candidates if (lab_id, code) in covered]
    if closing:
        CoverageGap.objects.filter(pk__in=closing).update(closed_at=at)
    return len(closing)


def labs_coverage_refresh(*, lab_ids: Iterable[int]) -> dict[int, list[str]]:
    """``coverage_refresh`` of several labs, a set at a time: one query for their gaps, one
    for their open rows, one update, one insert; one e-mail per lab with new gaps."""
    from ..selectors import labs_coverage_gaps
    from ..tasks import send_coverage_gap_notice

    lab_ids = list(lab_ids)
    if not lab_ids:
        return {}
    now = timezone.now()
    gaps = labs_coverage_gaps(lab_ids=lab_ids)
    open_rows = {
        (lab_id, code): pk
        for pk, lab_id, code in CoverageGap.objects.filter(
            lab_id__in=lab_ids, closed_at=None
        ).values_list("pk", "lab_id", "field_id")
    }
    uncovered = {(lab_id, code) for lab_id, codes in gaps.items() for code in codes}
    covered_again = [pk for key, pk in open_rows.items() if key not in uncovered]
    if covered_again:
        CoverageGap.objects.filter(pk__in=covered_again).update(closed_at=now)
    new = {
        lab_id: [code for code in codes if (lab_id, code) not in open_rows]
        for lab_id, codes in gaps.items()
    }
    new = {lab_id: codes for lab_id, codes in new.items() if codes}
    CoverageGap.objects.bulk_create(
        [
            CoverageGap(lab_id=lab_id, field_id=code, opened_at=now)
            for lab_id, codes in new.items()
            for code in codes
        ]
    )
    for lab_id, codes in new.items():
        transaction.on_commit(
            lambda lab_id=lab_id, codes=codes: send_coverage_gap_notice.delay(lab_id, codes)
        )
    return new
