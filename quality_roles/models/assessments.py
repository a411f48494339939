"""The regulator's assessments of directors (Q-13)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..constants import AssessmentResult
from .appointments import DirectorAppointment
from .fields import account, limited_text, protected


class DirectorAssessment(models.Model):
    """An inspector's assessment of a body's director: the one thing inspectors write (Q-13).

    The result is published on the public page once ``published_at`` is set; a failed
    assessment opens a rectification order (``RectificationOrder.assessment``).
    """

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="director_assessments"
    )
    director = protected(DirectorAppointment, _("quality director"), related_name="assessments")
    inspector = account(_("inspector"), null=False)
    assessed_on = models.DateField(_("assessed on"))
    result = models.CharField(_("result"), max_length=10, choices=AssessmentResult.choices)
    findings = limited_text(_("findings"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("director assessment")
        verbose_name_plural = _("director assessments")
        indexes = [
            models.Index(
                fields=["-published_at"],
                condition=Q(published_at__isnull=False),
                name="assessment_published",
            )
        ]

    def __str__(self) -> str:
        return f"{self.director} · {self.assessed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:assessment_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
