"""Enforcement runs at a campaign's deadlines and their evidence packs (L-13, A-04, A-06)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import RunKind, RunState


class EnforcementRun(models.Model):
    """One run of the deadline job (or its dry run) for one campaign and deadline.

    ``as_of`` is the day the run takes as today; a run is idempotent and safe to kill and run
    again: a second run of the same campaign and kind finds nothing left to change.
    """

    campaign = models.ForeignKey(
        "access_audit.AuditCampaign", on_delete=models.PROTECT, related_name="runs"
    )
    kind = models.CharField(_("deadline"), max_length=20, choices=RunKind.choices)
    as_of = models.DateField(_("as of"))
    dry_run = models.BooleanField(_("dry run"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=RunState.choices, default=RunState.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The training centre's confirmation of a run the circuit breaker held.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    #: Counts of the run: per case, per lab, per branch, changed rows.
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    #: SHA-256 of the evidence pack's manifest (the list of its files and their digests).
    manifest_sha256 = models.CharField(_("manifest SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("enforcement run")
        verbose_name_plural = _("enforcement runs")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_kind_display()} · {self.as_of}"


def _evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.run.campaign_id}/{instance.run_id}/{filename}"


class EvidenceFile(models.Model):
    """A file of a run's evidence pack (the PDF report, the spreadsheets, the manifest), with
    its SHA-256, so an auditor can prove later that nothing was changed."""

    run = models.ForeignKey(EnforcementRun, on_delete=models.PROTECT, related_name="evidence")
    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["run", "name"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.UniqueConstraint(fields=["run", "name"], name="evidence_file_once_per_run")
        ]

    def __str__(self) -> str:
        return self.name
