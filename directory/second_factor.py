"""The second factor (issue 9): whether a user must pass it, and the services that enrol an
authenticator, check a code and renew the recovery codes.

The devices are django-otp's: one TOTP authenticator (``TOTPDevice``) and one static device
(``StaticDevice``) holding single-use recovery codes. Both throttle failed codes (1, 2, 4 ...
seconds, ``OTP_*_THROTTLE_FACTOR``); a code is therefore never checked inside a transaction
that a failure would roll back, or the throttle would forget the failure.
"""

import logging
import re
from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .constants import Role
from .idnumbers import mask_id_number
from .models import User
from .permissions import is_decider, may_turn_off_second_factor

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_CODES_NAME = "recovery codes"
#: Six digits from the authenticator; anything else is taken for a recovery code.
_TOTP_CODE = re.compile(r"^\d{6}$")
MAX_CODE_LENGTH = 32


def has_authenticator(user: User) -> bool:
    """Whether the user has confirmed a TOTP authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


#: The session remembers whether its user has an authenticator, so that a page costs no query
#: for it (the middleware asks on every request of a user not yet verified).
SESSION_KEY = "two_step_has_authenticator"


def session_has_authenticator(request) -> bool:
    """``has_authenticator`` of the signed-in user, remembered in the session."""
    user = request.user
    known = request.session.get(SESSION_KEY)
    if known is not None and known[0] == user.pk:
        return bool(known[1])
    answer = has_authenticator(user)
    request.session[SESSION_KEY] = (user.pk, answer)
    return answer


def forget_session_authenticator(request) -> None:
    """After an enrolment or a turn-off, the next request asks the database again."""
    request.session.pop(SESSION_KEY, None)


def second_factor_required(user: User, *, request=None) -> bool:
    """Deciders when the settings require it, and anyone who has an authenticator."""
    if settings.SECOND_FACTOR_REQUIRED and is_decider(user):
        return True
    if request is not None:
        return session_has_authenticator(request)
    return has_authenticator(user)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def authenticator_label(user: User) -> str:
    """The name the authenticator app shows: never a person's full ID number (P-04)."""
    if user.role == Role.PERSON:
        return mask_id_number(user.username)
    return user.get_username()


def otpauth_url(device: TOTPDevice) -> str:
    """The ``otpauth://`` URL an authenticator app reads from the QR code."""
    issuer = settings.OTP_TOTP_ISSUER
    params = urlencode(
        {
            "secret": secret_text(device, grouped=False),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    label = quote(f"{issuer}:{authenticator_label(device.user)}")
    return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"


def secret_text(device: TOTPDevice, *, grouped: bool = True) -> str:
    """The key in base32, as typed into an authenticator by hand (groups of four)."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    if not grouped:
        return secret
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The QR code of the device's otpauth URL as inline SVG: drawn here, no outside service."""
    return segno.make(otpauth_url(device), error="m").svg_inline(
        scale=5, border=2, svgclass="qr-code", omitsize=True
    )


def authenticator_start(*, actor: User) -> TOTPDevice:
    """An unconfirmed authenticator for the actor to scan; one already started is reused."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")[:MAX_CODE_LENGTH].lower()


def _check(device: Device, code: str) -> bool:
    """True when the device accepts the code; a refusal while throttled says how long to wait."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_throttled_message(info), code="throttled")
    return device.verify_token(code)


def _throttled_message(info: dict | None) -> str:
    seconds = 1
    if info and info.get("locked_until"):
        seconds = max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)
    return _("Too many wrong codes. Try again in %(seconds)d seconds.") % {"seconds": seconds}


def authenticator_confirm(*, device: TOTPDevice, code: str, actor: User) -> list[str]:
    """Confirm the actor's new authenticator with a code from it; returns new recovery codes.

    A confirmed authenticator replaces any earlier one (a new phone), and the recovery codes
    are renewed with it.
    """
    if device.user_id != actor.pk or device.confirmed:
        raise PermissionDenied
    if not _check(device, _normalise(code)):
        raise ValidationError(_("That code is not right. Enter the code the app shows now."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(actor)
    logger.info("second factor: user %s confirmed an authenticator", actor.pk)
    return codes


def second_factor_check(*, user: User, code: str) -> Device:
    """The device that accepts ``code`` (a TOTP code or an unused recovery code) for ``user``.

    Raises ValidationError when it is wrong or when the device is throttled.
    """
    code = _normalise(code)
    if _TOTP_CODE.match(code):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        if _check(device, code):
            return device
    raise ValidationError(_("That code is not right."), code="wrong")


def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New recovery codes for the actor; the old ones stop working."""
    if not has_authenticator(actor):
        raise ValidationError(_("Set up an authenticator app first."))
    with transaction.atomic():
        codes = _recovery_codes_replace(actor)
    logger.info("second factor: user %s renewed the recovery codes", actor.pk)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    device.throttle_reset(commit=False)
    device.confirmed = True
    device.save()
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def second_factor_turn_off(*, actor: User) -> None:
    """Remove the actor's authenticator and recovery codes, where the settings allow it."""
    if not may_turn_off_second_factor(actor):
        raise PermissionDenied
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
    logger.info("second factor: user %s turned it off", actor.pk)
