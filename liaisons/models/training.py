"""Entry training (L-09): sessions organised by the training centre and who passed them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.validators import validate_session_date

from ..constants import TrainingMode, TrainingResult


class TrainingSession(models.Model):
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("mode"), max_length=20, choices=TrainingMode.choices)
    starts_on = models.DateField(_("starts on"), validators=[validate_session_date])
    ends_on = models.DateField(_("ends on"), validators=[validate_session_date])
    location = models.CharField(_("location or link"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("entry-training session")
        verbose_name_plural = _("entry-training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on})"


class TrainingEnrolment(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("session"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="training_enrolments",
        verbose_name=_("person"),
    )
    result = models.CharField(
        _("result"),
        max_length=20,
        choices=TrainingResult.choices,
        default=TrainingResult.ENROLLED,
        db_index=True,
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    result_recorded_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "person__name"]
        verbose_name = _("entry-training enrolment")
        verbose_name_plural = _("entry-training enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="training_enrolment_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"
