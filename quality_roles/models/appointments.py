"""Appointments to the two key roles: the quality director (Q-01, Q-02, Q-03, Q-06) and the
project quality leads (Q-04, Q-09).

The transitions only change fields; the services in ``quality_roles.services.appointments``
lock the rows, check who acts and the rules, and save.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from ..constants import DIRECTOR_OPEN_STATES, LEAD_CURRENT_STATES, AuthoriserCapacity
from ..constants import DirectorAppointmentState as D
from ..constants import LeadAppointmentState as L
from .catalogue import CertificationProject, ProductCategory
from .fields import account, protected, reason
from .governance import BodyStaff


class DirectorAppointment(FSMModelMixin, models.Model):
    """A person's appointment as the body's quality director (认证质量总监).

    Nominated by the body, authorised by its legal representative or actual controller (Q-02,
    who is recorded), filed with the regulator (Q-06), active, ended. At most one is active per
    body, which the database holds (Q-01); activating a new one ends the one in office in the
    same transaction (docs/decisions.md, "A new director takes over in one step").
    """

    body = protected(
        "directory.CertificationBody",
        _("certification body"),
        related_name="director_appointments",
    )
    staff = protected(BodyStaff, _("director"), related_name="director_appointments")
    state = FSMField(
        _("state"), default=D.NOMINATED, choices=D.choices, protected=True, db_index=True
    )
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    nominated_by = account(_("nominated by"))
    nomination_note = reason(_("note on the nomination"))
    # the authorisation by the legal representative or the actual controller.
    authorised_on = models.DateField(_("authorised on"), null=True, blank=True)
    authoriser = protected("directory.Person", _("authorised by"), related_name="+", null=True)
    authoriser_capacity = models.CharField(
        _("authorised as"), max_length=30, choices=AuthoriserCapacity.choices, blank=True
    )
    authorised_at = models.DateTimeField(_("authorisation recorded at"), null=True, blank=True)
    authorised_recorded_by = account(_("authorisation recorded by"))
    # the filing with the regulator (the record itself is a ``Filing``).
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filing recorded at"), null=True, blank=True)
    filed_by = account(_("filing recorded by"))
    starts_on = models.DateField(_("in office from"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = account(_("activated by"))
    ended_on = models.DateField(_("in office until"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended or withdrawn at"), null=True, blank=True)
    ended_by = account(_("ended or withdrawn by"))
    end_reason = reason(_("reason for the end or withdrawal"))
    successor = protected("self", _("succeeded by"), related_name="+", null=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-nominated_at", "-pk"]
        verbose_name = _("quality director appointment")
        verbose_name_plural = _("quality director appointments")
        constraints = [
            # one quality director per body.
            models.UniqueConstraint(
                fields=["body"],
                condition=Q(state="active"),
                name="director_one_active_per_body",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(state__in=DIRECTOR_OPEN_STATES),
                name="director_one_open_nomination_per_person",
            ),
            # past the authorisation, who authorised is on record.
            models.CheckConstraint(
                condition=~Q(state__in=["authorised", "filed", "active"])
                | (Q(authoriser__isnull=False) & ~Q(authoriser_capacity="")),
                name="director_authoriser_recorded",
            ),
        ]
        indexes = [models.Index(fields=["body", "state"], name="director_body_state")]

    def __str__(self) -> str:
        return f"{self.staff.person} · {self.get_state_display()}"

    @property
    def person(self):
        return self.staff.person

    @property
    def is_open(self) -> bool:
        return self.state in DIRECTOR_OPEN_STATES

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=D.NOMINATED, target=D.AUTHORISED)
    def authorise(self, *, at, by, authoriser, capacity, authorised_on, description=None):
        self.authoriser = authoriser
        self.authoriser_capacity = capacity
        self.authorised_on = authorised_on
        self.authorised_at = at
        self.authorised_recorded_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=D.AUTHORISED, target=D.FILED)
    def file(self, *, at, by, filed_on, description=None):
        self.filed_on = filed_on
        self.filed_at = at
        self.filed_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=D.FILED, target=D.ACTIVE)
    def activate(self, *, at, by, starts_on, description=None):
        self.starts_on = starts_on
        self.activated_at = at
        self.activated_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=D.ACTIVE, target=D.ENDED)
    def end(self, *, at, by, ended_on, reason, successor=None, description=None):
        self.ended_on = ended_on
        self.ended_at = at
        self.ended_by = by
        self.end_reason = reason
        self.successor = successor

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=list(DIRECTOR_OPEN_STATES), target=D.WITHDRAWN)
    def withdraw(self, *, at, by, reason, description=None):
        self.ended_at = at
        self.ended_by = by
        self.end_reason = reason


class LeadAppointment(FSMModelMixin, models.Model):
    """A person's appointment as a project quality lead (认证项目质量负责人).

    Nominated by the body's active director (Q-09), appointed by the body, responsible for
    named certification projects or whole product categories, reporting to the body's
    director whoever holds the post; ended with a reason (and, for Q-05, a successor).
    """

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="lead_appointments"
    )
    staff = protected(BodyStaff, _("project quality lead"), related_name="lead_appointments")
    state = FSMField(
        _("state"), default=L.NOMINATED, choices=L.choices, protected=True, db_index=True
    )
    #: Q-09: the director appointment in office when the lead was nominated.
    nominated_under = protected(
        DirectorAppointment, _("nominated by the director"), related_name="nominated_leads"
    )
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    nominated_by = account(_("nominated by"))
    nomination_note = reason(_("note on the nomination"))
    projects = models.ManyToManyField(
        CertificationProject,
        blank=True,
        related_name="lead_appointments",
        verbose_name=_("certification projects"),
    )
    product_categories = models.ManyToManyField(
        ProductCategory,
        blank=True,
        related_name="lead_appointments",
        verbose_name=_("product categories"),
    )
    starts_on = models.DateField(_("in office from"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = account(_("activated by"))
    ended_on = models.DateField(_("in office until"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended or withdrawn at"), null=True, blank=True)
    ended_by = account(_("ended or withdrawn by"))
    end_reason = reason(_("reason for the end or withdrawal"))
    #: Q-05: who takes over the certificates of an ended lead.
    successor = protected("self", _("succeeded by"), related_name="+", null=True)
    history = HistoricalRecords(m2m_fields=[projects, product_categories])

    class Meta:
        ordering = ["body", "-nominated_at", "-pk"]
        verbose_name = _("project quality lead appointment")
        verbose_name_plural = _("project quality lead appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(state__in=LEAD_CURRENT_STATES),
                name="lead_one_current_per_person",
            ),
        ]
        indexes = [models.Index(fields=["body", "state"], name="lead_body_state")]

    def __str__(self) -> str:
        return f"{self.staff.person} · {self.get_state_display()}"

    @property
    def person(self):
        return self.staff.person

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=L.NOMINATED, target=L.ACTIVE)
    def activate(self, *, at, by, starts_on, description=None):
        self.starts_on = starts_on
        self.activated_at = at
        self.activated_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=L.ACTIVE, target=L.ENDED)
    def end(self, *, at, by, ended_on, reason, successor=None, description=None):
        self.ended_on = ended_on
        self.ended_at = at
        self.ended_by = by
        self.end_reason = reason
        self.successor = successor

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=L.NOMINATED, target=L.WITHDRAWN)
    def withdraw(self, *, at, by, reason, description=None):
        self.ended_at = at
        self.ended_by = by
        self.end_reason = reason
