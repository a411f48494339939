"""P-03 tiers (b) and (c): change requests through the branch centre to the training centre."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from cqcportal.limits import REASON_MAX_LENGTH

from ..constants import ChangeRequestState, ChangeTier

S = ChangeRequestState


def change_form_upload_to(instance: "ChangeRequest", filename: str) -> str:
    return f"liaisons/change_forms/{uuid.uuid4().hex}"


class ChangeRequest(FSMModelMixin, models.Model):
    """A requested change of important (b) or qualification (c) data, applied only on approval.

    ``changes`` maps field names to new values: for tier (b) the person's fields (name,
    political_status, education, major); for tier (c) ``fields`` (a list of field codes) and
    ``lab`` (a lab id) of the qualification.
    """

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("person"),
    )
    qualification = models.ForeignKey(
        "liaisons.LiaisonQualification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name=_("qualification"),
    )
    branch = models.ForeignKey(
        "directory.BranchCentre",
        on_delete=models.PROTECT,
        related_name="liaison_change_requests",
        verbose_name=_("branch centre"),
    )
    tier = models.CharField(_("tier"), max_length=20, choices=ChangeTier.choices)
    changes = models.JSONField(_("requested changes"))
    previous = models.JSONField(_("values before"), default=dict, blank=True)
    justification = models.TextField(
        _("justification"),
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    change_form = models.FileField(
        _("personnel-information change form"),
        upload_to=change_form_upload_to,
        blank=True,
        max_length=200,
    )
    change_form_content_type = models.CharField(max_length=50, blank=True)
    state = FSMField(
        _("state"), default=S.SUBMITTED, choices=S.choices, protected=True, db_index=True
    )
    decision_reason = models.TextField(
        _("reason of the decision"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_tier_display()}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.SUBMITTED, target=S.FORWARDED)
    def forward(self, *, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.FORWARDED, target=S.APPROVED)
    def approve(self, *, at, by=None, description=None):
        self.decided_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.SUBMITTED, S.FORWARDED], target=S.REJECTED)
    def reject(self, *, reason, at, by=None, description=None):
        self.decision_reason = reason
        self.decided_at = at
