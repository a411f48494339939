"""Who governs a certification body and who works for it (Q-02, Q-03, Q-04, Q-12)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..constants import QUALIFYING_TITLES, TITLE_MAX_LENGTH, TitleLevel
from .fields import account, protected


class BodyGovernance(models.Model):
    """The legal representative and the actual controller of a certification body (Q-02).

    One row per body, kept by ``quality_roles`` rather than on ``directory.CertificationBody``
    (docs/decisions.md, "A body's governance is a record of the quality roles"). Both are
    people of the body (P-01): the director is authorised by one of them and may not be the
    legal representative. The history shows who held each post on any day. Top management is
    the staff flagged ``is_top_management``.
    """

    body = models.OneToOneField(
        "directory.CertificationBody",
        on_delete=models.PROTECT,
        related_name="governance",
        verbose_name=_("certification body"),
    )
    legal_representative = protected(
        "directory.Person",
        _("legal representative"),
        related_name="+",
        null=True,
    )
    #: Empty when the body has none apart from its owners as a whole; the director is then
    #: authorised by the legal representative.
    actual_controller = protected(
        "directory.Person",
        _("actual controller"),
        related_name="+",
        null=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = account(_("updated by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("governance of a certification body")
        verbose_name_plural = _("governance of certification bodies")

    def __str__(self) -> str:
        return str(self.body)


class BodyStaff(models.Model):
    """A person (P-01) who works for a certification body, with what the eligibility of the
    key roles is judged on (Q-03, Q-04): the degree is the person's ``education``; work is
    counted in calendar years from the dates below (``cqcportal.periods``).

    Never deleted: a person who leaves keeps the row with ``left_on``.
    """

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="quality_staff"
    )
    person = protected("directory.Person", _("person"), related_name="body_staff")
    #: The post in the body (职务): 总经理, 副总经理, 认证部经理 ...
    position = models.CharField(_("post in the body"), max_length=TITLE_MAX_LENGTH, blank=True)
    full_time_work_since = models.DateField(_("full-time work since"), null=True, blank=True)
    #: Certification, accreditation, testing or inspection work (认证认可检验检测相关专业工作);
    #: part of the full-time work, so it cannot start before it.
    professional_work_since = models.DateField(_("professional work since"), null=True, blank=True)
    title_level = models.CharField(
        _("professional title"),
        max_length=20,
        choices=TitleLevel.choices,
        default=TitleLevel.NONE,
    )
    is_top_management = models.BooleanField(_("member of top management"), default=False)
    #: Q-02: the director may double as management representative or quality manager.
    is_management_representative = models.BooleanField(
        _("management representative"), default=False
    )
    is_quality_manager = models.BooleanField(_("quality manager"), default=False)
    #: Q-12: set first when an accountability case opens; while set, the person acts in no
    #: key role in the portal.
    permissions_suspended_at = models.DateTimeField(
        _("permissions suspended at"), null=True, blank=True
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = account(_("created by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "person__name", "pk"]
        verbose_name = _("staff member of a certification body")
        verbose_name_plural = _("staff of certification bodies")
        constraints = [
            models.UniqueConstraint(fields=["body", "person"], name="body_staff_once_per_body"),
            models.CheckConstraint(
                condition=Q(professional_work_since__isnull=True)
                | Q(full_time_work_since__isnull=True)
                | Q(professional_work_since__gte=models.F("full_time_work_since")),
                name="body_staff_professional_within_full_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.body}"

    @property
    def has_qualifying_title(self) -> bool:
        return self.title_level in QUALIFYING_TITLES

    @property
    def permissions_suspended(self) -> bool:
        return self.permissions_suspended_at is not None

    def clean(self) -> None:
        today = timezone.localdate()
        errors = {}
        for name in ("full_time_work_since", "professional_work_since"):
            value = getattr(self, name)
            if value is not None and value > today:
                errors[name] = _("This date is in the future.")
        if (
            self.full_time_work_since
            and self.professional_work_since
            and self.professional_work_since < self.full_time_work_since
        ):
            errors["professional_work_since"] = _(
                "Professional work is part of the full-time work: it cannot start before it."
            )
        if errors:
            raise ValidationError(errors)
