"""Plausibility checks shared by the models, forms and API: names and dates (issue 9).

They sit on the model fields, so every service that calls ``full_clean`` refuses what they
refuse, and the forms and serializers that take these values use them too, to answer next to
the field.
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: No one the portal records started work or was trained before this.
EARLIEST_PLAUSIBLE_DATE = datetime.date(1950, 1, 1)
#: Training sessions are planned ahead, but not this far.
SESSION_PLANNING_HORIZON_DAYS = 2 * 366

# Categories that print nothing: format characters (zero-width, direction marks and overrides),
# controls, separators.
_INVISIBLE = {"Cf", "Cc", "Zs", "Zl", "Zp"}


def validate_person_name(value: str) -> None:
    """A name must show at least one character, and carry no invisible one: a zero-width space
    or a direction override makes two different names look alike on every list and print."""
    if not value:
        return
    if not any(unicodedata.category(char) not in _INVISIBLE for char in value):
        raise ValidationError(
            _("A name needs at least one visible character."), code="name_invisible"
        )
    if any(unicodedata.category(char) == "Cf" for char in value):
        raise ValidationError(
            _(
                "This name contains invisible characters (zero-width or text-direction marks), "
                "perhaps copied with it; type it again."
            ),
            code="name_invisible_characters",
        )


def _not_before_1950(value: datetime.date) -> None:
    if value < EARLIEST_PLAUSIBLE_DATE:
        raise ValidationError(
            _("A date before %(year)d cannot be right here; check the year.")
            % {"year": EARLIEST_PLAUSIBLE_DATE.year},
            code="date_too_early",
        )


def validate_past_date(value: datetime.date | None) -> None:
    """A date that has happened (work started, trained on): 1950 or later, not in the future."""
    if value is None:
        return
    _not_before_1950(value)
    if value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="date_in_future")


def validate_session_date(value: datetime.date | None) -> None:
    """A training session's date: 1950 or later, planned at most two years ahead."""
    if value is None:
        return
    _not_before_1950(value)
    if value > timezone.localdate() + datetime.timedelta(days=SESSION_PLANNING_HORIZON_DAYS):
        raise ValidationError(
            _("A session is planned at most two years ahead; check the year."),
            code="date_too_far_ahead",
        )
