"""Length limits of the portal's free text (issue 9).

Every text a user types has a limit: a text printed on a paper form fits the form's box (the
recommendation form, ``liaisons/templates/liaisons/documents/recommendation.html``, prints on
one A4 page with every text at its limit: ``liaisons/tests/test_documents.py`` holds it to
that), and a text kept only on screen fits a few paragraphs. Without limits one 100,000-
character work history made a print task run six minutes.

``TextField(max_length=...)`` limits only the forms Django builds from a model, so each model
field also carries a ``MaxLengthValidator`` (checked by the services' ``full_clean``), and
each form and serializer field names the same limit.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

#: The recommendation form's "work history" box (工作经历): about twelve lines of its width.
WORK_HISTORY_MAX_LENGTH = 240
#: Lines of the work history: one per post, as the paper form has room for.
WORK_HISTORY_MAX_LINES = 6
#: The recommendation form's "the lab's opinion" box (推荐单位意见), above the signature.
RECOMMENDATION_MAX_LENGTH = 100
#: What the printed forms have room for, of the directory's data they print (the database
#: columns are wider; these limits are validators, so existing rows need no migration).
# A name of an ethnic minority, written with its middle dots (买买提依明·阿不都热合曼), runs
# past 16 characters; the forms print a long name smaller.
PERSON_NAME_MAX_LENGTH = 30
MAJOR_MAX_LENGTH = 30
PHONE_MAX_LENGTH = 20
EMAIL_MAX_LENGTH = 64
WORK_UNIT_MAX_LENGTH = 60
ADDRESS_MAX_LENGTH = 60
LAB_NAME_MAX_LENGTH = 50
BRANCH_NAME_MAX_LENGTH = 20
#: A signatory's name on a form (推荐单位负责人, 签字): a name and perhaps a title.
SIGNATORY_MAX_LENGTH = 12
#: A row of the training assessment record (培训考核记录): what was taught, and its evaluation;
#: thirteen rows share one page.
TRAINING_CONTENT_MAX_LENGTH = 32
TRAINING_EVALUATION_MAX_LENGTH = 16
#: Reasons, comments and justifications of a step (screen only, and the history).
REASON_MAX_LENGTH = 1000
#: The text of an annual evaluation (screen only).
EVALUATION_COMMENT_MAX_LENGTH = 2000


@deconstructible
class MaxLinesValidator:
    """At most ``limit`` non-empty lines (a text printed line by line, such as the work
    history, must fit its box by lines as well as by characters)."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        lines = [line for line in str(value or "").splitlines() if line.strip()]
        if len(lines) > self.limit:
            raise ValidationError(
                _("Write at most %(limit)d lines (this text has %(count)d).")
                % {"limit": self.limit, "count": len(lines)},
                code="max_lines",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxLinesValidator) and other.limit == self.limit


def clean_reason(
    value: str | None, *, required_message: str | None = None, field: str | None = None
) -> str:
    """The reason a step requires (a return, a rejection, a decision): trimmed, not empty, at
    most ``REASON_MAX_LENGTH`` characters. Forms and services both check it here; the
    services because they also serve the API and save without ``full_clean``. With
    ``field``, the error names that field."""
    reason = (value or "").strip()
    try:
        if not reason:
            if required_message is None:
                required_message = _("A reason is required.")
            raise ValidationError(required_message, code="reason_required")
        MaxLengthValidator(REASON_MAX_LENGTH)(reason)
    except ValidationError as error:
        if field is None:
            raise
        raise ValidationError({field: error.error_list}) from error
    return reason


def field_limit(model, name: str) -> int:
    """The most characters a model field takes: its column's length or a lower validator's."""
    field = model._meta.get_field(name)
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    return min(filter(None, [field.max_length, *limits]))
