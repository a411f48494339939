"""Accountability (Q-12): the person's permissions are suspended first, then the case is
investigated and decided; no measure for a duty the director or a lead performed."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from ..constants import AccountabilityGround, AccountabilityMeasureKind
from ..constants import CaseState as S
from .advice import DirectorAdvice
from .external_labs import CooperationProposal
from .fields import account, limited_text, protected, reason
from .governance import BodyStaff
from .incidents import IncidentReport
from .powers import DirectorMeasure, RectificationOrder, SpotCheck


class AccountabilityCase(FSMModelMixin, models.Model):
    """A case against a person of the body (art. 15).

    Opening it suspends the person's permissions in the body first (``BodyStaff.
    permissions_suspended_at``, a real effect: the person acts in no key role in the portal
    while it is set). The ``duty_*`` links name a duty the person performed that the case
    concerns: a measure against a director or lead for it is refused (Q-12, art. 16).
    """

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="accountability_cases"
    )
    staff = protected(BodyStaff, _("person concerned"), related_name="accountability_cases")
    ground = models.CharField(_("ground"), max_length=30, choices=AccountabilityGround.choices)
    description = limited_text(_("what the person is held to account for"), blank=False)
    state = FSMField(_("state"), default=S.OPEN, choices=S.choices, protected=True, db_index=True)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = account(_("opened by"))
    permissions_suspended_at = models.DateTimeField(_("permissions suspended at"))
    permissions_restored_at = models.DateTimeField(
        _("permissions restored at"), null=True, blank=True
    )
    investigation = limited_text(_("investigation"))
    investigated_at = models.DateTimeField(_("investigated at"), null=True, blank=True)
    investigated_by = account(_("investigated by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = account(_("closed by"))
    closing_note = reason(_("closing note"))
    # The duty performed that the case concerns, if any.
    duty_advice = protected(
        DirectorAdvice, _("advice given"), related_name="accountability_cases", null=True
    )
    duty_incident = protected(
        IncidentReport, _("incident reported"), related_name="accountability_cases", null=True
    )
    duty_measure = protected(
        DirectorMeasure, _("measure taken"), related_name="accountability_cases", null=True
    )
    duty_spot_check = protected(
        SpotCheck, _("spot check made"), related_name="accountability_cases", null=True
    )
    duty_proposal = protected(
        CooperationProposal,
        _("cooperation proposal made"),
        related_name="accountability_cases",
        null=True,
    )
    duty_rectification = protected(
        RectificationOrder,
        _("rectification order issued"),
        related_name="accountability_cases",
        null=True,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(permissions_suspended_at__lte=models.F("opened_at")),
                name="case_permissions_suspended_first",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.person} · {self.get_ground_display()}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:case_detail", args=[self.pk])

    @property
    def concerns_a_duty_performed(self) -> bool:
        return any(
            getattr(self, f"{name}_id") is not None
            for name in (
                "duty_advice",
                "duty_incident",
                "duty_measure",
                "duty_spot_check",
                "duty_proposal",
                "duty_rectification",
            )
        )

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.OPEN, target=S.INVESTIGATED)
    def record_investigation(self, *, at, by, investigation, description=None):
        self.investigation = investigation
        self.investigated_at = at
        self.investigated_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.OPEN, S.INVESTIGATED], target=S.CLOSED)
    def close(self, *, at, by, note, restore_permissions, description=None):
        self.closed_at = at
        self.closed_by = by
        self.closing_note = note
        if restore_permissions:
            self.permissions_restored_at = at


class AccountabilityMeasure(models.Model):
    """One measure decided in a case: the eight of art. 15 (Q-12)."""

    case = protected(AccountabilityCase, _("accountability case"), related_name="measures")
    kind = models.CharField(_("measure"), max_length=30, choices=AccountabilityMeasureKind.choices)
    detail = limited_text(_("detail"))
    decided_on = models.DateField(_("decided on"))
    decided_by = account(_("measure decided by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "decided_on", "pk"]
        verbose_name = _("accountability measure")
        verbose_name_plural = _("accountability measures")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.decided_on:%Y-%m-%d}"
