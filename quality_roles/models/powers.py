"""What the director may do without further management approval (Q-08): spot checks,
rectification orders (also opened by a failed assessment, Q-13) and measures."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from ..constants import MeasureKind, RectificationSource
from ..constants import MeasureState as M
from ..constants import RectificationState as R
from .appointments import DirectorAppointment
from .catalogue import CertificationProject
from .certificates import Certificate
from .fields import account, limited_text, protected
from .fields import reason as reason_text
from .governance import BodyStaff


class SpotCheck(models.Model):
    """The director's spot check of a project and its files (Q-08), with the findings."""

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="spot_checks"
    )
    director = protected(DirectorAppointment, _("quality director"), related_name="spot_checks")
    project = protected(
        CertificationProject, _("certification project"), related_name="spot_checks"
    )
    checked_on = models.DateField(_("checked on"))
    #: The project files read (档案资料).
    files_read = limited_text(_("files read"))
    findings = limited_text(_("findings"))
    issues_found = models.BooleanField(_("issues found"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = account(_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")

    def __str__(self) -> str:
        return f"{self.project} · {self.checked_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:spot_check_detail", args=[self.pk])


class RectificationOrder(FSMModelMixin, models.Model):
    """An order to put something right: issued by the director after a spot check (Q-08), or
    opened by a failed assessment of the director by the regulator (Q-13). Actions, an owner
    and a deadline; the owner reports them done, the effectiveness is checked, and it closes
    (or goes back open when the actions did not work)."""

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="rectification_orders"
    )
    source = models.CharField(_("source"), max_length=20, choices=RectificationSource.choices)
    spot_check = protected(
        SpotCheck, _("spot check"), related_name="rectification_orders", null=True
    )
    assessment = protected(
        "quality_roles.DirectorAssessment",
        _("assessment"),
        related_name="rectification_orders",
        null=True,
    )
    #: The director who issued it (a spot check's order).
    issued_by_director = protected(
        DirectorAppointment,
        _("issued by the director"),
        related_name="rectification_orders",
        null=True,
    )
    project = protected(
        CertificationProject,
        _("certification project"),
        related_name="rectification_orders",
        null=True,
    )
    problem = limited_text(_("problem"), blank=False)
    actions = limited_text(_("actions required"), blank=False)
    owner = protected(BodyStaff, _("owner"), related_name="rectification_orders", null=True)
    deadline = models.DateField(_("deadline for the actions"))
    state = FSMField(_("state"), default=R.OPEN, choices=R.choices, protected=True, db_index=True)
    actions_reported_at = models.DateTimeField(_("actions reported done at"), null=True, blank=True)
    actions_report = limited_text(_("actions taken"))
    effectiveness_check = limited_text(_("effectiveness check"))
    effectiveness_checked_at = models.DateTimeField(
        _("effectiveness checked at"), null=True, blank=True
    )
    effectiveness_checked_by = account(_("effectiveness checked by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = account(_("issued by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(source="spot_check", spot_check__isnull=False, assessment__isnull=True)
                    | Q(source="assessment", assessment__isnull=False, spot_check__isnull=True)
                ),
                name="rectification_source_matches",
            )
        ]
        indexes = [models.Index(fields=["body", "state"], name="rectification_body_state")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.deadline:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:rectification_detail", args=[self.pk])

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=R.OPEN, target=R.CHECKING)
    def report_done(self, *, at, report, by=None, description=None):
        self.actions_reported_at = at
        self.actions_report = report

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=R.CHECKING, target=R.CLOSED)
    def close_effective(self, *, at, by, check, description=None):
        self.effectiveness_check = check
        self.effectiveness_checked_at = at
        self.effectiveness_checked_by = by
        self.closed_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=R.CHECKING, target=R.OPEN)
    def reopen_ineffective(self, *, at, by, check, description=None):
        self.effectiveness_check = check
        self.effectiveness_checked_at = at
        self.effectiveness_checked_by = by


class DirectorMeasure(FSMModelMixin, models.Model):
    """Q-08: the director pauses a project, suspends a certificate's use or suspends the body's
    certification activities, with a reason, needing no other approval; lifted later."""

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="director_measures"
    )
    director = protected(DirectorAppointment, _("quality director"), related_name="measures")
    kind = models.CharField(_("kind"), max_length=30, choices=MeasureKind.choices)
    project = protected(
        CertificationProject, _("certification project"), related_name="measures", null=True
    )
    certificate = protected(Certificate, _("certificate"), related_name="measures", null=True)
    #: Which activities, for a suspension of the body's activities (相关认证活动).
    scope = limited_text(_("activities suspended"))
    reason = reason_text(_("reason"), blank=False)
    state = FSMField(
        _("state"), default=M.IN_FORCE, choices=M.choices, protected=True, db_index=True
    )
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = account(_("taken by"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = account(_("lifted by"))
    lift_reason = limited_text(_("reason for lifting"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = _("director measure")
        verbose_name_plural = _("director measures")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="pause_project", project__isnull=False, certificate__isnull=True)
                    | Q(kind="suspend_certificate", certificate__isnull=False, project__isnull=True)
                    | Q(kind="suspend_activities", project__isnull=True, certificate__isnull=True)
                ),
                name="director_measure_target_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.taken_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:measure_detail", args=[self.pk])

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=M.IN_FORCE, target=M.LIFTED)
    def lift(self, *, at, by, reason, description=None):
        self.lifted_at = at
        self.lifted_by = by
        self.lift_reason = reason
