"""A business-system account and its right to log in (A-01, A-06)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from cqcportal.limits import PERSON_NAME_MAX_LENGTH, REASON_MAX_LENGTH
from directory.idnumbers import mask_id_number

from ..constants import LoginRightState as S

#: The business system's usernames (its own limit is shorter; this is what it exports).
USERNAME_MAX_LENGTH = 64
#: The rule ids a revocation or suspension records (A-01, A-04, L-12, L-13 ...).
RULE_MAX_LENGTH = 8


class LoginRight(FSMModelMixin, models.Model):
    """One account of CQC's certification business system and its right to log in there.

    The account is matched to a person by ID number when it is imported or granted; an
    account matching no person keeps ``person`` empty and is listed for follow-up, never
    dropped. Never deleted (A-06): a revoked right keeps who or what revoked it, when, under
    which rule and in which campaign, and can be granted again through a request (A-02).
    """

    username = models.CharField(
        _("business-system username"), max_length=USERNAME_MAX_LENGTH, unique=True
    )
    #: As the business system holds it, normalised (upper-case X); matched against people.
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    #: The name the business system shows for the account.
    name = models.CharField(
        _("name in the business system"), max_length=PERSON_NAME_MAX_LENGTH, blank=True
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="login_rights",
        verbose_name=_("person"),
    )
    lab = models.ForeignKey(
        "directory.TestingLab",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="login_rights",
        verbose_name=_("testing lab"),
    )
    last_login_on = models.DateField(_("last login in the business system"), null=True, blank=True)
    state = FSMField(_("state"), default=S.ACTIVE, choices=S.choices, protected=True, db_index=True)
    #: Empty for an account imported from the business system with no known grant.
    granted_at = models.DateTimeField(_("granted at"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when a rule revoked the right (for example A-01 or A-04)."),
    )
    #: The rule under which the right was last suspended or revoked.
    rule = models.CharField(_("rule"), max_length=RULE_MAX_LENGTH, blank=True)
    revoke_reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    #: The campaign whose deadline revoked the right (A-04, A-06).
    campaign = models.ForeignKey(
        "access_audit.AuditCampaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked in campaign"),
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["username"]
        verbose_name = _("login right")
        verbose_name_plural = _("login rights")
        indexes = [models.Index(fields=["lab", "state"], name="login_right_lab_state")]
        constraints = [
            # The business system does not tell ``Zhang`` from ``zhang``: one account.
            models.UniqueConstraint(Lower("username"), name="login_right_username_any_case")
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.person or self.name}"

    @property
    def masked_id_number(self) -> str:
        """As lists and exports show it (P-04)."""
        return mask_id_number(self.id_number)

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.ACTIVE, target=S.SUSPENDED)
    def suspend(self, *, at, rule, reason, by=None, description=None):
        self.suspended_at = at
        self.rule = rule
        self.revoke_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.ACTIVE, S.SUSPENDED], target=S.REVOKED)
    def revoke(self, *, at, reason, rule="", campaign=None, by=None, description=None):
        self.revoked_at = at
        self.revoked_by = by
        self.rule = rule
        self.revoke_reason = reason
        self.campaign = campaign

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.SUSPENDED, S.REVOKED], target=S.ACTIVE)
    def grant_again(self, *, at, by, description=None):
        """A-06: only through a granted request (A-02); the history keeps both."""
        self.granted_at = at
        self.granted_by = by
        self.suspended_at = None
        self.revoked_at = None
        self.revoked_by = None
        self.rule = ""
        self.revoke_reason = ""
        self.campaign = None
