"""Requests for a login right (A-02)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from cqcportal.limits import REASON_MAX_LENGTH

from ..constants import RightRequestState as S
from .rights import USERNAME_MAX_LENGTH


def _comment(label):
    return models.TextField(
        label,
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )


def _who(name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=name,
    )


class LoginRightRequest(FSMModelMixin, models.Model):
    """A request for a person's login right: submitted by or for a person with an active
    liaison qualification (A-01), accepted by the quality technology dept, granted or refused
    by the general business dept (A-02); each step keeps who, when and a comment."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="login_right_requests",
        verbose_name=_("person"),
    )
    lab = models.ForeignKey(
        "directory.TestingLab",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("testing lab"),
    )
    username = models.CharField(_("business-system username"), max_length=USERNAME_MAX_LENGTH)
    #: Set when the request grants again an account's right that was suspended or revoked (A-06).
    right = models.ForeignKey(
        "access_audit.LoginRight",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("login right"),
    )
    state = FSMField(
        _("state"), default=S.SUBMITTED, choices=S.choices, protected=True, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = _who(_("submitted by"))
    comment = _comment(_("comment"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = _who(_("accepted by"))
    accept_comment = _comment(_("comment of the quality technology dept"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = _who(_("decided by"))
    #: The general business dept's comment; a refusal's reason (required).
    decision_comment = _comment(_("comment of the general business dept"))
    #: When the submitter was told of the decision: the notice task claims the request before
    #: sending, so a retried or doubled task writes once. A delivery record, not history.
    notice_sent_at = models.DateTimeField(
        _("notice sent at"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["notice_sent_at"])

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("login-right request")
        verbose_name_plural = _("login-right requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state__in=["submitted", "accepted"]),
                name="login_right_request_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.username}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.SUBMITTED, target=S.ACCEPTED)
    def accept(self, *, at, by, comment="", description=None):
        self.accepted_at, self.accepted_by, self.accept_comment = at, by, comment

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.ACCEPTED, target=S.GRANTED)
    def grant(self, *, at, by, comment="", description=None):
        self.decided_at, self.decided_by, self.decision_comment = at, by, comment

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.SUBMITTED, S.ACCEPTED], target=S.REFUSED)
    def refuse(self, *, at, by, reason, description=None):
        self.decided_at, self.decided_by, self.decision_comment = at, by, reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.SUBMITTED, S.ACCEPTED], target=S.WITHDRAWN)
    def withdraw(self, *, at, by, description=None):
        self.decided_at, self.decided_by = at, by
