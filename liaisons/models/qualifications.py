"""The liaison qualification (hired, L-07..L-13) and departures (L-12)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from cqcportal.limits import REASON_MAX_LENGTH

from ..constants import (
    CURRENT_QUALIFICATION_STATES,
    DepartureOutcome,
    DepartureReason,
    QualificationState,
    legacy_counts_at,
)

Q_ = QualificationState

#: A qualification held now: active or suspended, and not a legacy one whose migration hire
#: replaced it (L-13). A person holds at most one (the constraint below); a hire or a
#: departure ends it (L-12).
CURRENT = Q(state__in=sorted(CURRENT_QUALIFICATION_STATES), migrated_at__isnull=True)


class LiaisonQualificationQuerySet(models.QuerySet):
    """The rules that pick qualifications, each written once; ``LiaisonQualification`` has
    the same rule for one object as a property."""

    def current(self) -> "LiaisonQualificationQuerySet":
        """The qualifications held now (``CURRENT``): the person's current qualification."""
        return self.filter(CURRENT)

    def hired(self, *, at=None) -> "LiaisonQualificationQuerySet":
        """L-13: whatever state they are in, the qualifications that count as hired at ``at``
        (now by default): every one hired through the system, and a legacy one (hired on
        paper) until 24:00 China Standard Time on the migration deadline (A-05), unless its
        migration hire replaced it."""
        at = at or timezone.now()
        # A lapse recorded by the deadline job (``services/lapse.py``) ends it from its
        # instant on, whatever deadline the campaign named; before it, it still counted.
        not_replaced = self.filter(migrated_at__isnull=True).exclude(lapsed_at__lte=at)
        if legacy_counts_at(at):
            return not_replaced
        return not_replaced.filter(is_legacy=False)

    def counting(self, *, at=None) -> "LiaisonQualificationQuerySet":
        """Active qualifications that count as hired at ``at`` (L-13): the liaisons who cover
        their lab's fields (L-06) and may hold a business-system login right (A-01)."""
        return self.hired(at=at).filter(state=Q_.ACTIVE)

    def to_migrate(self) -> "LiaisonQualificationQuerySet":
        """L-13: legacy qualifications still held and not yet migrated (``can_be_migrated``)."""
        return self.current().filter(is_legacy=True)


class LiaisonQualification(FSMModelMixin, models.Model):
    """A person's qualification as certification liaison officer of one lab.

    Legacy qualifications (L-13) were hired on paper before the system; they count as hired
    only until the migration deadline unless migrated (``LiaisonQualificationQuerySet.hired``).
    """

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="liaison_qualifications",
        verbose_name=_("person"),
    )
    lab = models.ForeignKey(
        "directory.TestingLab",
        on_delete=models.PROTECT,
        related_name="liaison_qualifications",
        verbose_name=_("testing lab"),
    )
    fields = models.ManyToManyField(
        "directory.CertificationField", related_name="+", verbose_name=_("certification fields")
    )
    state = FSMField(
        _("state"), default=Q_.ACTIVE, choices=Q_.choices, protected=True, db_index=True
    )
    state_reason = models.TextField(
        _("reason of the state"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    application = models.OneToOneField(
        "liaisons.LiaisonApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qualification",
        verbose_name=_("application"),
    )
    hired_on = models.DateField(_("hired on"))
    is_legacy = models.BooleanField(_("legacy (hired on paper)"), default=False)
    migrated_at = models.DateTimeField(_("migrated at"), null=True, blank=True)
    #: L-13: when the deadline job recorded that this legacy qualification, not migrated by
    #: the migration deadline, stopped counting as hired (``services/lapse.py``). The state
    #: is kept: the liaison may still be migrated, and then counts again through the new one.
    lapsed_at = models.DateTimeField(_("lapsed at (L-13)"), null=True, blank=True)
    #: The deadline job's run that recorded the lapse (an id of the app above; no foreign
    #: key, liaisons never depends on it).
    lapse_run_id = models.BigIntegerField(_("lapse run"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[fields])

    objects = LiaisonQualificationQuerySet.as_manager()

    class Meta:
        ordering = ["person__name", "id"]
        verbose_name = _("liaison qualification")
        verbose_name_plural = _("liaison qualifications")
        indexes = [models.Index(fields=["lab", "state"])]
        constraints = [
            # A person is the liaison of at most one lab at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=CURRENT,
                name="liaison_qualification_one_current_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.lab}"

    @property
    def is_current(self) -> bool:
        """``LiaisonQualificationQuerySet.current`` for this qualification: held now."""
        return self.state in CURRENT_QUALIFICATION_STATES and self.migrated_at is None

    @property
    def counts_as_hired(self) -> bool:
        """``LiaisonQualificationQuerySet.counting`` for this qualification, now (L-13)."""
        now = timezone.now()
        if self.state != Q_.ACTIVE or self.migrated_at is not None:
            return False
        if self.lapsed_at is not None and self.lapsed_at <= now:
            return False
        return not self.is_legacy or legacy_counts_at(now)

    @property
    def needs_migration(self) -> bool:
        return self.is_legacy and self.migrated_at is None

    @property
    def can_be_migrated(self) -> bool:
        """L-13: a legacy qualification not yet migrated and still held (``to_migrate``); a
        revoked or cancelled one is over, and its liaison is hired, if at all, as a new
        applicant."""
        return self.is_legacy and self.is_current

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=Q_.ACTIVE, target=Q_.SUSPENDED)
    def suspend(self, *, reason, by=None, description=None):
        self.state_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=Q_.SUSPENDED, target=Q_.ACTIVE)
    def reinstate(self, *, reason, by=None, description=None):
        self.state_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[Q_.ACTIVE, Q_.SUSPENDED], target=Q_.REVOKED)
    def revoke(self, *, reason, by=None, description=None):
        self.state_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[Q_.ACTIVE, Q_.SUSPENDED], target=Q_.CANCELLED)
    def cancel(self, *, reason, by=None, description=None):
        self.state_reason = reason


class Departure(models.Model):
    """L-12: the lab confirms that a liaison left; the qualification is suspended or cancelled."""

    qualification = models.ForeignKey(
        LiaisonQualification,
        on_delete=models.PROTECT,
        related_name="departures",
        verbose_name=_("qualification"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DepartureReason.choices)
    left_on = models.DateField(_("left on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=DepartureOutcome.choices)
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")

    def __str__(self) -> str:
        return f"{self.qualification} · {self.get_reason_display()}"
