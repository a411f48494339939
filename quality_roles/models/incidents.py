"""Reports of major events (Q-07): a lead tells the director at once, the director tells the
regulator within 24 hours of learning of it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from ..constants import NAME_MAX_LENGTH, REFERENCE_MAX_LENGTH, IncidentKind
from ..constants import IncidentState as S
from .appointments import DirectorAppointment, LeadAppointment
from .catalogue import CertificationProject
from .certificates import Certificate
from .fields import account, limited_text, protected, reason


class IncidentReport(FSMModelMixin, models.Model):
    """A major certification-quality problem, a major quality accident of a certified product
    or a major public-opinion event (art. 17), as the body learned of it.

    ``due_at`` is ``learned_at`` plus 24 hours, stored so the hourly job finds what is overdue
    in SQL; ``escalated_at`` is set once when it passes unreported.
    """

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="incident_reports"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=IncidentKind.choices)
    title = models.CharField(_("title"), max_length=NAME_MAX_LENGTH)
    description = limited_text(_("what happened"))
    project = protected(
        CertificationProject, _("certification project"), related_name="incident_reports", null=True
    )
    certificate = protected(
        Certificate, _("certificate"), related_name="incident_reports", null=True
    )
    learned_at = models.DateTimeField(_("learned of it at"))
    reported_by = account(_("recorded by"))
    #: The lead who reported it to the director (Q-07), when a lead did.
    reporting_lead = protected(
        LeadAppointment,
        _("reported by the project quality lead"),
        related_name="incident_reports",
        null=True,
    )
    #: The director in office who answers for the report to the regulator.
    director = protected(
        DirectorAppointment, _("quality director"), related_name="incident_reports", null=True
    )
    reached_director_at = models.DateTimeField(_("reached the director at"), null=True, blank=True)
    due_at = models.DateTimeField(_("report to the regulator due at"), db_index=True)
    reported_to_regulator_at = models.DateTimeField(
        _("reported to the regulator at"), null=True, blank=True
    )
    regulator_reference = models.CharField(
        _("regulator's reference"), max_length=REFERENCE_MAX_LENGTH, blank=True
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    #: When the e-mails went out (a retried task sends nothing twice).
    director_notified_at = models.DateTimeField(_("director e-mailed at"), null=True, blank=True)
    escalation_notified_at = models.DateTimeField(
        _("escalation e-mailed at"), null=True, blank=True
    )
    state = FSMField(_("state"), default=S.OPEN, choices=S.choices, protected=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = reason(_("closing note"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-learned_at", "-pk"]
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_at__gte=models.F("learned_at")),
                name="incident_due_after_learned",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:incident_detail", args=[self.pk])

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.OPEN, target=S.REPORTED)
    def report_to_regulator(self, *, at, reference="", by=None, description=None):
        self.reported_to_regulator_at = at
        self.regulator_reference = reference

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.OPEN, S.REPORTED], target=S.CLOSED)
    def close(self, *, at, note, by=None, description=None):
        self.closed_at = at
        self.closing_note = note
