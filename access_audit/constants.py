"""Choices of the access audit: login rights to the certification business system and the
check campaign (A-01..A-06)."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaisons.constants import CHINA


class LoginRightState(models.TextChoices):
    """A business-system account's right to log in (A-01, A-06)."""

    ACTIVE = "active", _("Active")
    #: Follows a suspended, revoked or cancelled qualification at once (A-01); it does not
    #: come back by itself when the qualification is reinstated.
    SUSPENDED = "suspended", _("Suspended")
    #: Never deleted (A-06): granted again only through a request (A-02).
    REVOKED = "revoked", _("Revoked")


class RightRequestState(models.TextChoices):
    """A-02: applied for at the quality technology dept, granted by the general business dept."""

    SUBMITTED = "submitted", _("Submitted to the quality technology dept")
    ACCEPTED = "accepted", _("Accepted, with the general business dept")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ENFORCED = "enforced", _("Enforced")


class Case(models.IntegerChoices):
    """The five cases of A-03 (attachment 2 of the notice of 2011-05-26)."""

    KEEPS_WORKING = 1, _("1 · Qualified, on the roster, with a login right: keeps working")
    MAY_APPLY = 2, _("2 · Qualified, no login right: may apply for one")
    MUST_BE_HIRED = 3, _("3 · Login right, not qualified: must be hired before the deadline")
    LEFT = 4, _("4 · No longer doing the job: qualification and right end")
    NEITHER = 5, _("5 · Neither: apply for a qualification first, then for the right")


class Confirmation(models.TextChoices):
    """What the lab (or, for a lab with no active staff user, its branch centre) confirms of
    each of its people in a campaign (A-04)."""

    UNCONFIRMED = "", _("Not confirmed yet")
    WORKS = "works", _("Still works as a liaison")
    LEFT_TRANSFERRED = "left_transferred", _("Left: transferred")
    LEFT_RETIRED = "left_retired", _("Left: retired")
    NOT_OURS = "not_ours", _("Not one of ours")


#: The confirmations that put an entry into case 4.
LEFT = frozenset({Confirmation.LEFT_TRANSFERRED, Confirmation.LEFT_RETIRED})


class RunKind(models.TextChoices):
    MIGRATION = "migration", _("Migration deadline (L-13)")
    CONFIRMATION = "confirmation", _("Confirmation deadline (A-04)")


class RunState(models.TextChoices):
    RUNNING = "running", _("Running")
    #: The circuit breaker stopped it: it would revoke more than the configured share of all
    #: active rights; the training centre must confirm the run before it goes on.
    HELD = "held", _("Held by the circuit breaker")
    DONE = "done", _("Done")


def china_today(at: datetime.datetime | None = None) -> datetime.date:
    """The date in China at ``at`` (now by default): deadlines and reminders count China's
    days (A-05)."""
    return (at or timezone.now()).astimezone(CHINA).date()
