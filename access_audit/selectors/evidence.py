"""Reads of the enforcement runs' evidence, already cut to the user's scope (A-04, P-04):
the CQC-wide departments every run's pack and list, a branch centre its labs' rows, a lab its
own; 404 alike for a missing run and one out of scope."""

from django.db.models import QuerySet

from directory.selectors import get_in_scope_or_404

from ..evidence.pack import evidence_runs
from ..evidence.rows import run_withdrawals
from ..models import EnforcementRun, EvidenceFile, RightChange
from ..permissions.evidence import revocation_scope, sees_evidence_pack
from .campaigns import campaign_list


def evidence_run_list(*, user) -> QuerySet[EnforcementRun]:
    """The done, real runs of the campaigns ``user`` sees (none for anyone without a scope)."""
    if revocation_scope(user) is None:
        return EnforcementRun.objects.none()
    return (
        evidence_runs()
        .filter(campaign__in=campaign_list(user=user).values("pk"))
        .select_related("campaign")
    )


def evidence_run_in_scope_or_404(*, user, pk) -> EnforcementRun:
    return get_in_scope_or_404(evidence_run_list(user=user), pk)


def run_revocations(*, user, run: EnforcementRun) -> QuerySet[RightChange]:
    """The rights ``run`` took away that ``user`` sees: all, their branch's labs', their lab's."""
    scope = revocation_scope(user)
    if scope is None or not evidence_run_list(user=user).filter(pk=run.pk).exists():
        return RightChange.objects.none()
    return run_withdrawals(run).filter(**scope)


def evidence_file_list(*, user) -> QuerySet[EvidenceFile]:
    """The stored pack files ``user`` may download: the CQC-wide departments', nobody else's."""
    if not sees_evidence_pack(user):
        return EvidenceFile.objects.none()
    return EvidenceFile.objects.filter(run__in=evidence_run_list(user=user).values("pk"))


def evidence_file_in_scope_or_404(*, user, pk) -> EvidenceFile:
    return get_in_scope_or_404(evidence_file_list(user=user).select_related("run"), pk)
