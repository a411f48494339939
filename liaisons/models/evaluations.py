"""Continuous evaluation (L-10): evaluations by departments and branch centres, and the
training centre's decision to keep, suspend or revoke."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqcportal.limits import EVALUATION_COMMENT_MAX_LENGTH, REASON_MAX_LENGTH

from ..constants import EvaluationDecisionKind, EvaluationRating


class Evaluation(models.Model):
    qualification = models.ForeignKey(
        "liaisons.LiaisonQualification",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("qualification"),
    )
    rating = models.CharField(_("rating"), max_length=20, choices=EvaluationRating.choices)
    comment = models.TextField(
        _("comment"),
        max_length=EVALUATION_COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(EVALUATION_COMMENT_MAX_LENGTH)],
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    # Exactly one of department and branch: who evaluated (L-10).
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    branch = models.ForeignKey(
        "directory.BranchCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch centre"),
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-evaluated_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False, branch__isnull=True)
                | models.Q(department__isnull=True, branch__isnull=False),
                name="evaluation_by_department_or_branch",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="evaluation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.qualification} · {self.get_rating_display()}"


class EvaluationDecision(models.Model):
    qualification = models.ForeignKey(
        "liaisons.LiaisonQualification",
        on_delete=models.PROTECT,
        related_name="evaluation_decisions",
        verbose_name=_("qualification"),
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=EvaluationDecisionKind.choices
    )
    reason = models.TextField(
        _("reason"),
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("evaluation decision")
        verbose_name_plural = _("evaluation decisions")

    def __str__(self) -> str:
        return f"{self.qualification} · {self.get_decision_display()}"
