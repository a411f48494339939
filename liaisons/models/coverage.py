"""L-06: a field of a lab's business scope that no active liaison covers, while it lasts."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CoverageGap(models.Model):
    """Opened when a gap arises, closed when a liaison covers the field again; an open row
    is what keeps a gap from being announced twice."""

    lab = models.ForeignKey(
        "directory.TestingLab",
        on_delete=models.CASCADE,
        related_name="coverage_gaps",
        verbose_name=_("testing lab"),
    )
    field = models.ForeignKey(
        "directory.CertificationField",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("certification field"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["lab", "field__position"]
        verbose_name = _("coverage gap")
        verbose_name_plural = _("coverage gaps")
        constraints = [
            models.UniqueConstraint(
                fields=["lab", "field"],
                condition=Q(closed_at__isnull=True),
                name="coverage_gap_one_open_per_field",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lab} · {self.field}"
