"""Reads of the deadline job's runs, cut to the user (A-04): the training centre and the
CQC-wide departments see them; no one else (404, as for a missing run)."""

from django.db.models import QuerySet

from directory.selectors import get_in_scope_or_404

from ..models import EnforcementRun
from ..permissions.enforcement import sees_runs


def run_list(*, user) -> QuerySet[EnforcementRun]:
    runs = EnforcementRun.objects.select_related("campaign", "confirmed_by", "started_by")
    return runs if sees_runs(user) else runs.none()


def run_in_scope_or_404(*, user, pk) -> EnforcementRun:
    return get_in_scope_or_404(run_list(user=user), pk)
