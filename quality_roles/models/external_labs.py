"""External testing labs a body's projects work with, and the leads' reviews of them (Q-10)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from ..constants import (
    CODE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    LabEvaluationResult,
    ProposalAction,
)
from ..constants import CooperationState as C
from ..constants import ProposalState as P
from .appointments import DirectorAppointment, LeadAppointment
from .catalogue import CertificationProject
from .fields import account, limited_text, protected
from .fields import reason as reason_text


class ExternalLab(models.Model):
    """An external testing lab (外部检验检测机构) a body works with. Not one of CQC's
    contracted labs (``directory.TestingLab``): any lab a body subcontracts testing to."""

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="external_labs"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    #: The unified social credit code, when known.
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    #: The lab's inspection and testing accreditation number (CMA, 资质认定证书编号).
    accreditation_number = models.CharField(
        _("accreditation number"), max_length=CODE_MAX_LENGTH, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "name"]
        verbose_name = _("external testing lab")
        verbose_name_plural = _("external testing labs")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:external_lab_detail", args=[self.pk])


class LabCooperation(FSMModelMixin, models.Model):
    """A project's cooperation with an external lab; paused or ended on a lead's proposal that
    the director approves (Q-10)."""

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="lab_cooperations"
    )
    lab = protected(ExternalLab, _("external testing lab"), related_name="cooperations")
    project = protected(
        CertificationProject, _("certification project"), related_name="lab_cooperations"
    )
    since = models.DateField(_("since"), null=True, blank=True)
    state = FSMField(_("state"), default=C.ACTIVE, choices=C.choices, protected=True, db_index=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "lab__name", "pk"]
        verbose_name = _("cooperation with an external lab")
        verbose_name_plural = _("cooperations with external labs")
        constraints = [
            models.UniqueConstraint(fields=["lab", "project"], name="lab_cooperation_once")
        ]

    def __str__(self) -> str:
        return f"{self.lab} · {self.project}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:cooperation_detail", args=[self.pk])

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=C.ACTIVE, target=C.PAUSED)
    def pause(self, *, at, by=None, description=None):
        self.state_changed_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=C.PAUSED, target=C.ACTIVE)
    def resume(self, *, at, by=None, description=None):
        self.state_changed_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[C.ACTIVE, C.PAUSED], target=C.ENDED)
    def end(self, *, at, by=None, description=None):
        self.state_changed_at = at


class LabEvaluation(models.Model):
    """A lead's review of an external lab's qualifications and service (Q-10)."""

    cooperation = protected(LabCooperation, _("cooperation"), related_name="evaluations")
    lead = protected(LeadAppointment, _("project quality lead"), related_name="lab_evaluations")
    evaluated_on = models.DateField(_("evaluated on"))
    result = models.CharField(_("result"), max_length=30, choices=LabEvaluationResult.choices)
    findings = limited_text(_("findings"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = account(_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("external lab evaluation")
        verbose_name_plural = _("external lab evaluations")

    def __str__(self) -> str:
        return f"{self.cooperation} · {self.evaluated_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:cooperation_detail", args=[self.cooperation_id])


class CooperationProposal(FSMModelMixin, models.Model):
    """A proposal to pause, end or resume a cooperation, decided by the director (Q-10).

    The project's lead proposes; a resumption may also be proposed by the director (who then
    decides it as any other, on the record), so exactly one of ``lead`` and
    ``proposing_director`` is set, and the director only for a resumption."""

    cooperation = protected(LabCooperation, _("cooperation"), related_name="proposals")
    evaluation = protected(LabEvaluation, _("evaluation"), related_name="proposals", null=True)
    lead = protected(
        LeadAppointment, _("proposed by"), related_name="cooperation_proposals", null=True
    )
    proposing_director = protected(
        DirectorAppointment,
        _("proposed by the director"),
        related_name="resumption_proposals",
        null=True,
    )
    action = models.CharField(_("proposal"), max_length=10, choices=ProposalAction.choices)
    reason = limited_text(_("reason"), blank=False)
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    state = FSMField(
        _("state"), default=P.PROPOSED, choices=P.choices, protected=True, db_index=True
    )
    director = protected(
        DirectorAppointment,
        _("decided by the director"),
        related_name="cooperation_decisions",
        null=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = account(_("decision recorded by"))
    decision_comment = reason_text(_("comment on the decision"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("cooperation proposal")
        verbose_name_plural = _("cooperation proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation"],
                condition=Q(state="proposed"),
                name="cooperation_one_open_proposal",
            ),
            models.CheckConstraint(
                condition=Q(lead__isnull=False, proposing_director__isnull=True)
                | Q(
                    lead__isnull=True,
                    proposing_director__isnull=False,
                    action=ProposalAction.RESUME,
                ),
                name="cooperation_proposal_one_proposer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.cooperation}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:proposal_detail", args=[self.pk])

    @property
    def proposer(self):
        """The staff member who proposed it: the lead, or the director for a resumption."""
        appointment = self.lead if self.lead_id else self.proposing_director
        return appointment.staff if appointment is not None else None

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=P.PROPOSED, target=P.APPROVED)
    def approve(self, *, at, by, director, comment="", description=None):
        self.decided_at, self.decided_by, self.director = at, by, director
        self.decision_comment = comment

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=P.PROPOSED, target=P.REJECTED)
    def reject(self, *, at, by, director, comment, description=None):
        self.decided_at, self.decided_by, self.director = at, by, director
        self.decision_comment = comment
