"""Login rights to CQC's certification business system (A-01, A-06)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from cqcportal.limits import REASON_MAX_LENGTH

from .constants import LoginRightState as S


class LoginRight(FSMModelMixin, models.Model):
    """A person's right to log in to the business system. Never deleted (A-06): a revoked
    right keeps who or what revoked it, when and why."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="login_rights",
        verbose_name=_("person"),
    )
    account = models.CharField(_("business-system account"), max_length=50)
    state = FSMField(_("state"), default=S.ACTIVE, choices=S.choices, protected=True, db_index=True)
    granted_at = models.DateTimeField(_("granted at"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when a rule revoked the right (for example A-01)."),
    )
    revoke_reason = models.TextField(
        _("reason of the revocation"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name", "-granted_at"]
        verbose_name = _("login right")
        verbose_name_plural = _("login rights")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state="active"),
                name="login_right_one_active_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.account}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.ACTIVE, target=S.REVOKED)
    def revoke(self, *, at, reason, by=None, description=None):
        self.revoked_at = at
        self.revoked_by = by
        self.revoke_reason = reason
