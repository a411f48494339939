"""What the evidence of an enforcement run sent: the notice to each affected lab (A-04)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnforcementNoticeSent(models.Model):
    """A run's notice went to a lab (its staff, its address, and its branch centre when the
    lab has no active staff user), listing the lab's accounts the run took away: never sent
    twice. Claimed before the mail goes out and dropped if sending fails
    (``access_audit.evidence.notices``)."""

    run = models.ForeignKey(
        "access_audit.EnforcementRun", on_delete=models.PROTECT, related_name="notices"
    )
    lab = models.ForeignKey("directory.TestingLab", on_delete=models.PROTECT, related_name="+")
    #: The accounts of the lab that the notice listed.
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    #: How many addresses were written to.
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["run", "lab"]
        verbose_name = _("enforcement notice sent")
        verbose_name_plural = _("enforcement notices sent")
        constraints = [
            models.UniqueConstraint(fields=["run", "lab"], name="enforcement_notice_once_per_lab")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.lab_id}"
