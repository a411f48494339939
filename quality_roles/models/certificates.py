"""The body's product certificates and who answers for each (Q-05)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from ..constants import CERTIFICATE_NUMBER_MAX_LENGTH, NAME_MAX_LENGTH, PRODUCT_MAX_LENGTH
from ..constants import CertificateState as S
from .appointments import LeadAppointment
from .catalogue import CertificationProject, ProductCategory
from .fields import protected, reason


class Certificate(FSMModelMixin, models.Model):
    """A product certificate of the body, under a certification project or a product category.

    Q-05: a valid certificate is *uncovered* when it has no responsible lead appointment or its
    lead is no longer active (``quality_roles.coverage``).
    """

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="certificates"
    )
    number = models.CharField(
        _("certificate number"), max_length=CERTIFICATE_NUMBER_MAX_LENGTH, unique=True
    )
    product = models.CharField(_("product"), max_length=PRODUCT_MAX_LENGTH)
    #: The certified organisation (获证组织).
    holder = models.CharField(_("certificate holder"), max_length=NAME_MAX_LENGTH, blank=True)
    project = protected(
        CertificationProject, _("certification project"), related_name="certificates", null=True
    )
    category = protected(
        ProductCategory, _("product category"), related_name="certificates", null=True
    )
    state = FSMField(_("state"), default=S.VALID, choices=S.choices, protected=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    responsible_lead = protected(
        LeadAppointment,
        _("responsible project quality lead"),
        related_name="certificates",
        null=True,
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    state_reason = reason(_("reason for the state"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | Q(category__isnull=False),
                name="certificate_project_or_category",
            ),
        ]
        indexes = [
            # The coverage check and the director's list: a body's certificates by state.
            models.Index(fields=["body", "state", "number"], name="certificate_body_state"),
            # Q-05: the coverage anti-join reads a body's valid certificates' leads from the
            # index alone (bench/quality_coverage.py).
            models.Index(
                fields=["body", "responsible_lead"],
                condition=Q(state=S.VALID),
                name="certificate_valid_lead",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:certificate_detail", args=[self.pk])

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.VALID, target=S.SUSPENDED)
    def suspend(self, *, at, reason, by=None, description=None):
        """Q-08: the director may suspend a certificate's use."""
        self.state_changed_at = at
        self.state_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.SUSPENDED, target=S.VALID)
    def reinstate(self, *, at, reason="", by=None, description=None):
        self.state_changed_at = at
        self.state_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.VALID, S.SUSPENDED], target=S.WITHDRAWN)
    def withdraw(self, *, at, reason, by=None, description=None):
        self.state_changed_at = at
        self.state_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.VALID, S.SUSPENDED], target=S.EXPIRED)
    def expire(self, *, at, by=None, description=None):
        self.state_changed_at = at
