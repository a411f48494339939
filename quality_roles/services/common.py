"""What every quality-role service does the same way."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cqcportal.limits import REASON_MAX_LENGTH
from directory.models import CertificationBody


def today() -> datetime.date:
    """Today in China (TIME_ZONE is Asia/Shanghai)."""
    return timezone.localdate()


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def raise_problems(problems: list[ValidationError]) -> None:
    """Every problem at once, each with its rule id (``liaisons.rules`` does the same)."""
    if problems:
        raise ValidationError(problems)


def lock_body(body_id: int) -> CertificationBody:
    """The body's row, locked for the transaction: every step on a body's key roles takes
    it first, so two of them wait for each other (Q-01)."""
    return CertificationBody.objects.select_for_update().get(pk=body_id)


def require_state(record: Model, transition, verb: str) -> None:
    """The record is in a state the transition leaves, or someone acted a moment ago."""
    if not can_proceed(transition):
        raise ValidationError(
            _(
                "This cannot be %(verb)s: it is now “%(state)s”. Someone may have acted on it a "
                "moment ago; reload the page to see its current state."
            )
            % {"verb": verb, "state": record.get_state_display()},
            code="stale_state",
        )


def required_reason(text: str, *, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {field: ValidationError(_("A reason is required."), code="reason_required")}
        )
    return limited(text, field=field)


def limited(text: str, *, field: str = "comment", limit: int = REASON_MAX_LENGTH) -> str:
    """A comment within its limit (the transitions save without ``full_clean``)."""
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Write at most %(limit)d characters (this text has %(count)d).")
                    % {"limit": limit, "count": len(text)},
                    code="max_length",
                )
            }
        )
    return text


def not_in_future(day: datetime.date, *, field: str) -> None:
    if day > today():
        raise ValidationError(
            {field: ValidationError(_("This date is in the future."), code="future_date")}
        )
