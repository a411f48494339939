"""Filings of the director's details with the regulator (Q-06)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..constants import DIRECTOR_DETAILS, REFERENCE_MAX_LENGTH, FilingKind
from .appointments import DirectorAppointment
from .fields import account, protected


class Filing(models.Model):
    """What the body filed, or must file, with the regulator's approval system about its
    director (Q-06): the appointment itself, or a change of the director's details, which is
    due 30 days after the change (``due_on``; the day of the change is not counted).

    ``details`` holds the director's details as filed (or, while due, as they now stand), so
    the next change is found by comparing with it. The daily job flags a filing still due
    after ``due_on`` (``late_flagged_at``); it stays on record when it is filed late.
    """

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="director_filings"
    )
    appointment = protected(DirectorAppointment, _("director appointment"), related_name="filings")
    kind = models.CharField(_("kind"), max_length=20, choices=FilingKind.choices)
    #: The details that changed since the last filing (keys of ``DIRECTOR_DETAILS``).
    changed_fields = models.JSONField(_("what changed"), default=list, blank=True)
    changed_on = models.DateField(_("changed on"))
    #: Empty for the filing of the appointment: the director takes office only once it is filed.
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    details = models.JSONField(_("details filed"), default=dict, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    reference = models.CharField(
        _("regulator's reference"), max_length=REFERENCE_MAX_LENGTH, blank=True
    )
    filed_recorded_by = account(_("filing recorded by"))
    late_flagged_at = models.DateTimeField(_("flagged late at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = account(_("created by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-changed_on", "-pk"]
        verbose_name = _("filing with the regulator")
        verbose_name_plural = _("filings with the regulator")
        constraints = [
            # Changes made before the filing is done are filed together with it.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(filed_on__isnull=True),
                name="filing_one_due_per_appointment",
            ),
            models.CheckConstraint(
                condition=~Q(kind="change") | Q(due_on__isnull=False),
                name="filing_change_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.changed_on:%Y-%m-%d}"

    @property
    def changed_labels(self) -> list[str]:
        return [str(DIRECTOR_DETAILS.get(name, name)) for name in self.changed_fields]

    @property
    def is_due(self) -> bool:
        return self.filed_on is None

    @property
    def is_late(self) -> bool:
        """Filed after its due date, or flagged by the daily job while still due."""
        if self.due_on is None:
            return False
        if self.filed_on is not None:
            return self.filed_on > self.due_on
        return self.late_flagged_at is not None
