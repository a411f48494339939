"""The feed of right changes the business system reads, and how far it has read."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import LoginRightState
from .rights import RULE_MAX_LENGTH


class RightChange(models.Model):
    """One change of a login right's state, in the order it happened. Its ``id`` is the cursor
    of ``GET /api/v1/business-system/changes/?since=<cursor>``: the business system keeps its
    own copy from this feed and never depends on the portal being up to let people log in.
    Written by every service and job that changes a right's state (in bulk by the jobs)."""

    id = models.BigAutoField(primary_key=True)
    right = models.ForeignKey(
        "access_audit.LoginRight", on_delete=models.PROTECT, related_name="changes"
    )
    state = models.CharField(_("state"), max_length=20, choices=LoginRightState.choices)
    rule = models.CharField(_("rule"), max_length=RULE_MAX_LENGTH, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)
    campaign = models.ForeignKey(
        "access_audit.AuditCampaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    run = models.ForeignKey(
        "access_audit.EnforcementRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )
    #: When the general business dept was told that the business system had not received
    #: this withdrawal of a right within a day (told once; ``access_audit.tasks.feed``).
    unreceived_flagged_at = models.DateTimeField(
        _("flagged as not received at"), null=True, blank=True
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("login-right change")
        verbose_name_plural = _("login-right changes")

    def __str__(self) -> str:
        return f"{self.id} · {self.right_id} · {self.state}"


class FeedClient(models.Model):
    """A reader of the feed (the business system), authenticated by a token that can do
    nothing else. The token itself is never stored: only its SHA-256."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_sha256 = models.CharField(_("token SHA-256"), max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    #: The highest ``RightChange.id`` the client has read: a revocation at or below it has
    #: reached the business system.
    read_up_to = models.BigIntegerField(_("read up to"), default=0)
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("business-system feed client")
        verbose_name_plural = _("business-system feed clients")

    def __str__(self) -> str:
        return self.name
