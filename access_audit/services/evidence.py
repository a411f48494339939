"""The verification of an enforcement run's evidence pack (A-04, A-06)."""

import logging

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from directory.models import User

from ..evidence.pack import PackCheck, evidence_pack_check
from ..models import EnforcementRun
from ..permissions.evidence import sees_evidence_pack

log = logging.getLogger(__name__)


def evidence_pack_verify(*, run: EnforcementRun, actor: User) -> PackCheck:
    """Recompute the SHA-256 of every file of the run's pack and say whether the pack is as
    it was stored (each file against its record and the manifest, the manifest against the
    run). Read-only; logged, so a verification leaves a trace."""
    if not sees_evidence_pack(actor):
        raise PermissionDenied(_("Only the CQC-wide departments verify an evidence pack."))
    check = evidence_pack_check(run)
    log.info(
        "evidence pack of run %s verified by user %s: %s",
        run.pk,
        actor.pk,
        "intact" if check.intact else "NOT intact",
    )
    return check
