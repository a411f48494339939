"""The check campaign (核查、确认、清理) over every account and every hired liaison (A-03, A-04)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from cqcportal.limits import REASON_MAX_LENGTH
from liaisons.constants import deadline_end

from ..constants import CampaignState as S
from ..constants import Case, Confirmation

CAMPAIGN_NAME_MAX_LENGTH = 100


def _default_reminder_days() -> list[int]:
    return [30, 7, 1]


class AuditCampaign(FSMModelMixin, models.Model):
    """One check of who may log in to the business system: draft → open → closed → enforced.

    Its deadlines are data: the 2011 campaign's are 2011-08-30 (migration, L-13) and
    2011-12-30 (confirmation, A-04); each ends at 24:00 China time on its date (A-05).
    """

    name = models.CharField(_("name"), max_length=CAMPAIGN_NAME_MAX_LENGTH, unique=True)
    migration_deadline = models.DateField(_("migration deadline (L-13)"))
    confirmation_deadline = models.DateField(_("confirmation deadline (A-04)"))
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    #: An account unused in the business system for longer is suggested as left (the lab decides).
    unused_after_days = models.PositiveSmallIntegerField(
        _("unused after (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    #: Days before the confirmation deadline on which labs with unconfirmed entries are reminded.
    reminder_days = models.JSONField(
        _("reminder days before the deadline"), default=_default_reminder_days
    )
    #: The circuit breaker: a run that would revoke more than this share of all active rights
    #: is held until the training centre confirms it.
    breaker_share = models.DecimalField(
        _("circuit-breaker share"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.300"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    enforced_at = models.DateTimeField(_("enforced at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-confirmation_deadline"]
        verbose_name = _("check campaign")
        verbose_name_plural = _("check campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(migration_deadline__lte=models.F("confirmation_deadline")),
                name="campaign_migration_before_confirmation",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def confirmation_ends_at(self) -> datetime.datetime:
        """24:00 Asia/Shanghai on the confirmation deadline (A-05)."""
        return deadline_end(self.confirmation_deadline)

    @property
    def migration_ends_at(self) -> datetime.datetime:
        return deadline_end(self.migration_deadline)

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.DRAFT, target=S.OPEN)
    def open(self, *, at, by=None, description=None):
        self.opened_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.OPEN, target=S.CLOSED)
    def close(self, *, at, by=None, description=None):
        self.closed_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.OPEN, S.CLOSED], target=S.ENFORCED)
    def mark_enforced(self, *, at, by=None, description=None):
        self.enforced_at = at


class CampaignEntry(models.Model):
    """One person or account in a campaign, sorted into a case of A-03 and confirmed by its lab
    (or its branch centre, for a lab with no active staff user) by the deadline (A-04).

    An entry is an account (``right``) with its person when the ID number matched one, or a
    hired liaison with no account (``right`` empty). ``case`` is kept current in SQL as people
    are hired, rights granted or people leave.
    """

    campaign = models.ForeignKey(AuditCampaign, on_delete=models.PROTECT, related_name="entries")
    right = models.ForeignKey(
        "access_audit.LoginRight",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_entries",
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_entries",
    )
    lab = models.ForeignKey(
        "directory.TestingLab",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_entries",
    )
    case = models.PositiveSmallIntegerField(_("case"), choices=Case.choices, db_index=True)
    #: The account was not used in the business system for longer than the campaign's
    #: ``unused_after_days``: suggested as left; the lab still decides.
    suggest_left = models.BooleanField(_("suggested as left"), default=False)
    confirmation = models.CharField(
        _("confirmation"),
        max_length=20,
        choices=Confirmation.choices,
        blank=True,
        default=Confirmation.UNCONFIRMED,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: Confirmed by the branch centre for a lab with no active staff user.
    confirmed_by_branch = models.BooleanField(_("confirmed by the branch centre"), default=False)
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["lab_id", "case", "pk"]
        verbose_name = _("campaign entry")
        verbose_name_plural = _("campaign entries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "right"],
                condition=Q(right__isnull=False),
                name="campaign_entry_one_per_account",
            ),
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(right__isnull=True),
                name="campaign_entry_one_per_person_without_account",
            ),
            models.CheckConstraint(
                condition=Q(right__isnull=False) | Q(person__isnull=False),
                name="campaign_entry_account_or_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=["campaign", "lab", "confirmation"], name="campaign_entry_lab_progress"
            ),
            models.Index(fields=["campaign", "case"], name="campaign_entry_case"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.campaign_id} · {self.right_id or '-'} · {self.person_id or '-'} · {self.case}"
        )


class CampaignReminderSent(models.Model):
    """A reminder of a campaign went to a lab (and, for the last one, its branch centre) on
    ``days_before`` days before the deadline: never sent twice."""

    campaign = models.ForeignKey(AuditCampaign, on_delete=models.CASCADE, related_name="+")
    lab = models.ForeignKey("directory.TestingLab", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign reminder sent")
        verbose_name_plural = _("campaign reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "lab", "days_before"], name="campaign_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.lab_id} · {self.days_before}"
