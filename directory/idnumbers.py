"""Resident ID numbers (P-01, P-04) and unified social credit codes.

Validation is python-stdnum's (`cn.ric`, `cn.uscc`); this module turns its exceptions into
messages a person can act on, and derives birth date and sex from a valid number.
"""

import datetime
import re
import unicodedata
from urllib.parse import unquote_plus

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc

from .constants import Sex

# Every spelling of an ID number that may reach a log line or a URL (P-04): ASCII or
# full-width digits, raw or percent-encoded; spaces, dashes, ``+`` or ``%20`` between them;
# a trailing X in either case; the 18 characters or only their 17-digit prefix. A longer run
# of digits is some other number and stays as it is.
# A percent sign, or one encoded once more (a URL quoted twice).
_P = "%(?:25)?"
# Django's request log escapes a path's non-ASCII characters: ``\uff11`` for a full-width 1.
_ESC = r"\\u"
_DIGIT = rf"(?:[0-9\uff10-\uff19]|{_P}3[0-9]|{_P}EF{_P}BC{_P}9[0-9]|{_ESC}ff1[0-9])"
_CHECK = (
    rf"(?:[0-9Xx\uff10-\uff19\uff38\uff58]|{_P}3[0-9]|{_P}58|{_P}78"
    rf"|{_P}EF{_P}BC{_P}9[0-9]|{_P}EF{_P}BC{_P}B8|{_P}EF{_P}BD{_P}98|{_ESC}ff(?:1[0-9]|38|58))"
)
_SEPARATOR = (
    rf"(?:[ \t\-\u2010-\u2014\u3000\uff0d+]|{_P}20|{_P}2D"
    rf"|{_P}E3{_P}80{_P}80|{_P}EF{_P}BC{_P}8D|{_P}E2{_P}80{_P}9[0-4]"
    # The invisible characters that normalize_id_number strips (a copy from a chat), raw,
    # percent-encoded and as Django's request log escapes them (issue 9).
    rf"|[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]|{_P}C2{_P}AD"
    rf"|{_P}E2{_P}80{_P}(?:8[B-F]|A[8-E])|{_P}E2{_P}81{_P}A[0-4]|{_P}EF{_P}BB{_P}BF"
    rf"|{_ESC}(?:00ad|200[b-f]|201[0-4]|202[8-e]|206[0-4]|feff|3000|ff0d))"
)
# Nor the decimals of a fraction (a task's run time, 0.0022000000001159 s).
_NOT_A_DIGIT_BEFORE = r"(?<![0-9]\.)(?:(?<![0-9\uff10-\uff19])|(?<=%[0-9A-Fa-f]{2}))"
_NOT_A_DIGIT_AFTER = rf"(?![0-9\uff10-\uff19]|{_P}3[0-9]|{_P}EF{_P}BC{_P}9[0-9]|{_ESC}ff1[0-9])"
ID_NUMBER_ANY_SPELLING = re.compile(
    rf"{_NOT_A_DIGIT_BEFORE}{_DIGIT}(?:{_SEPARATOR}{{0,2}}{_DIGIT}){{16}}"
    rf"(?:{_SEPARATOR}{{0,2}}{_CHECK})?{_NOT_A_DIGIT_AFTER}",
    re.IGNORECASE,
)

# ASCII only: str.isdigit() and \d also take Arabic-Indic and other digits, which int() reads.
ID_NUMBER_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
# Spaces, hyphens and the invisible format characters (zero-width, direction marks) that a
# copy from a document or a chat carries along.
_ID_NUMBER_NOISE = re.compile(
    r"[\s\-\u00ad\u200b-\u200f\u2010-\u2014\u2028-\u202e\u2060-\u2064\ufeff]"
)


def normalize_id_number(value: str) -> str:
    """The canonical form: full-width digits made ASCII (NFKC), no spaces, hyphens or invisible
    characters, a trailing ``x`` made upper case."""
    return _ID_NUMBER_NOISE.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def validate_id_number(value: str) -> str:
    """Check an ID number against GB 11643 and return its canonical form (P-01).

    Raises ``ValidationError`` with a message that says what is wrong.
    """
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(count)d.") % {"count": len(number)},
            code="id_number_length",
        )
    if not ID_NUMBER_SHAPE.fullmatch(number):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."), code="id_number_format"
        )
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(
            _(
                "The check digit (the last character) does not match the other 17 digits; "
                "look for a mistyped digit."
            ),
            code="id_number_checksum",
        )
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_errors.InvalidComponent:
        raise ValidationError(
            _("The birth date in this ID number (digits 7 to 14: %(digits)s) is not a real date.")
            % {"digits": number[6:14]},
            code="id_number_birth_date",
        ) from None
    if birth_date > timezone.localdate() or birth_date.year < 1900:
        raise ValidationError(
            _("The birth date in this ID number (%(date)s) is impossible.")
            % {"date": birth_date.isoformat()},
            code="id_number_birth_date",
        )
    if not _known_region(number[:6]):
        raise ValidationError(
            _("The first six digits (%(region)s) are not a known administrative region.")
            % {"region": number[:6]},
            code="id_number_region",
        )
    return number


def _known_region(code: str) -> bool:
    """Whether ``code`` was ever a county-level division in stdnum's table.

    ``ric.validate`` also demands that the division existed in the birth year; a number
    issued after a district was created carries its code even for someone born earlier, so
    that check would turn real people away (see docs/decisions.md).
    """
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def birth_date_of(id_number: str) -> datetime.date:
    return ric.get_birth_date(id_number)


def sex_of(id_number: str) -> str:
    """The 17th digit is odd for men, even for women (GB 11643)."""
    return Sex.MALE if int(id_number[16]) % 2 else Sex.FEMALE


def mask_id_number(id_number: str) -> str:
    """``110105199001010021`` -> ``110105********0021``: region and last four only (P-04)."""
    if not id_number:
        return ""
    if len(id_number) <= 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def canonical_spelling(value: str) -> str:
    """``１１０１０５ 1990-0307 105x`` or ``110105%201990...`` -> ``11010519900307105X``: one
    spelling to compare or mask, whatever the keyboard or the URL encoder made of it."""
    text = value or ""
    for _round in range(3):  # a URL quoted twice or more
        if "%" not in text:
            break
        text = unquote_plus(text)
    if "\\u" in text:  # a line of Django's request log: non-ASCII escaped
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    # One normalisation with the sign-in and the validation; "+" is a space in a query.
    return normalize_id_number(text.replace("+", ""))


def mask_id_numbers_in(text: str) -> str:
    """Mask every ID number that stands in ``text``, in any spelling (log lines, P-04)."""
    if not text:
        return text
    return ID_NUMBER_ANY_SPELLING.sub(
        lambda m: mask_id_number(canonical_spelling(m.group(0))), text
    )


def looks_like_id_number(value: str) -> bool:
    """Whether a search term holds an ID number (or most of one): such a term is never put in
    a URL and is searched, if at all, only by those who may see ID numbers (P-04).

    Fifteen digits in a row is enough: the first-generation number has 15, and a name or an
    employment number (8 digits) never comes close.
    """
    return bool(re.search(r"[0-9]{15}", canonical_spelling(value))) or bool(
        ID_NUMBER_ANY_SPELLING.search(value or "")
    )


def validate_uscc(value: str) -> str:
    """Check a unified social credit code (GB 32100) and return its canonical form."""
    try:
        return uscc.validate(value)
    except stdnum_errors.InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters."), code="uscc_length"
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("The check character of this unified social credit code does not match."),
            code="uscc_checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="uscc_format"
        ) from None


def build_id_number(region: str, birth_date: datetime.date, sequence: int) -> str:
    """A valid ID number from its parts, with the check digit computed (demo and test data)."""
    body = f"{region}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def build_uscc(first17: str) -> str:
    """A valid unified social credit code from its first 17 characters (demo and test data)."""
    return first17 + uscc.calc_check_digit(first17)


def mask_account_name(name: str) -> str:
    """A username as the lockout's pages show it (P-04): an ID number masked, and so is anything
    with six digits in a row, which may be one mistyped; staff usernames as they are."""
    if name and re.search(r"[0-9]{6}", name):
        return mask_id_number(name)
    return name or ""
