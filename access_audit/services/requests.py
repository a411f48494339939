"""A-02: a login right is applied for at the quality technology dept and granted by the
general business dept.

Submitted by the person or by the staff of their lab, for a person whose liaison qualification
is active and counts as hired (A-01, L-13): anyone else must first be hired (L-07). The quality
technology dept accepts or refuses; the general business dept grants (a new account, or the
person's suspended or revoked one granted again, A-06) or refuses; the submitter's side may
withdraw while it is open. Each step records who, when and a comment; a refusal needs a
reason. Each step locks the request's row and checks its state after the lock, so of two
people acting at the same moment the second is told in words that someone acted first.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cqcportal.limits import REASON_MAX_LENGTH
from directory.models import Person, User
from liaisons.selectors import counting_qualifications

from ..constants import LoginRightState, RightRequestState
from ..models import LoginRight, LoginRightRequest
from ..models.rights import USERNAME_MAX_LENGTH
from ..permissions import rights as permissions
from .rights import account_by_username, belongs_to, login_right_grant, username_taken_error

#: Requests still in progress: one of these per person at a time.
OPEN_STATES = (RightRequestState.SUBMITTED, RightRequestState.ACCEPTED)

#: A business-system username: letters (any script), digits, and . _ @ - ; no spaces.
USERNAME_PATTERN = re.compile(r"[^\W_][\w.@-]*")


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def clean_username(value: str) -> str:
    """The username as the business system takes it, or a ``ValidationError`` on ``username``
    saying what is wrong."""
    username = (value or "").strip()
    if not username:
        raise _field_error("username", _("Give the business-system username."), "required")
    if len(username) > USERNAME_MAX_LENGTH:
        raise _field_error(
            "username",
            _("A username has at most %(limit)d characters.") % {"limit": USERNAME_MAX_LENGTH},
            "max_length",
        )
    if not USERNAME_PATTERN.fullmatch(username):
        raise _field_error(
            "username",
            _(
                "A username starts with a letter or digit and holds only letters, digits and "
                ". _ @ - (no spaces)."
            ),
            "invalid_username",
        )
    return username


def clean_comment(value: str, *, field: str = "comment", required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise _field_error(field, _("A reason is required."), "reason_required")
    if len(text) > REASON_MAX_LENGTH:
        raise _field_error(
            field, _("At most %(count)d characters.") % {"count": REASON_MAX_LENGTH}, "max_length"
        )
    return text


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this to this login-right request."))


def _lock(request: LoginRightRequest) -> LoginRightRequest:
    """The request's row, locked for the rest of the transaction, as it is now."""
    return (
        LoginRightRequest.objects.select_for_update(of=("self",))
        .select_related("person", "lab")
        .get(pk=request.pk)
    )


def _stale(request: LoginRightRequest, verb: str) -> ValidationError:
    return ValidationError(
        _(
            "This request cannot be %(verb)s: it is now “%(state)s”. Someone may have acted on "
            "it a moment ago; reload the page to see its current state."
        )
        % {"verb": verb, "state": request.get_state_display()},
        code="stale_state",
    )


def _require_state(request: LoginRightRequest, transition, verb: str) -> None:
    if not can_proceed(transition):
        raise _stale(request, verb)


def counting_qualification(person: Person, *, lock: bool = False):
    """The person's liaison qualification that is active and counts as hired (L-13), if any;
    locked for the transaction if ``lock``, so that a change of its state waits (or is waited
    for) and a right is never granted beside a qualification ended at the same moment."""
    qualifications = counting_qualifications().filter(person=person).select_related("lab")
    if lock:
        qualifications = qualifications.select_for_update(of=("self",))
    return qualifications.order_by("pk").first()


def _require_qualified(person: Person, *, step: str = "", lock: bool = False):
    """A-01: no login right without an active liaison qualification; the refusal says what
    to do first: be hired (L-07), then apply (A-02)."""
    qualification = counting_qualification(person, lock=lock)
    if qualification is not None:
        return qualification
    if step:
        message = _(
            "%(name)s no longer holds an active liaison qualification, so no login right may "
            "be %(step)s (A-01); refuse the request instead."
        ) % {"name": person.name, "step": step}
    else:
        message = _(
            "%(name)s holds no active liaison qualification, so no login right can be requested "
            "(A-01). The person must first be hired as a liaison officer (L-07): the lab "
            "applies for the qualification, and once it is granted, for the login right (A-02)."
        ) % {"name": person.name}
    raise ValidationError(message, code="not_qualified")


def _notify(request: LoginRightRequest) -> None:
    from ..tasks.requests import send_login_right_request_notice

    pk = request.pk
    transaction.on_commit(lambda: send_login_right_request_notice.delay(pk))


# --- the steps -------------------------------------------------------------------------------


@transaction.atomic
def login_right_request_submit(
    *, person: Person, username: str, actor: User, comment: str = ""
) -> LoginRightRequest:
    """Apply for the person's login right at the quality technology dept (A-02): by the
    person, or by the staff of their lab, only for a person whose liaison qualification is
    active (A-01); one open request per person."""
    person = Person.objects.get(pk=person.pk)
    _require(permissions.can_submit_for(actor, person))
    username = clean_username(username)
    comment = clean_comment(comment)
    qualification = _require_qualified(person)
    if actor.pk != person.user_id and qualification.lab_id != actor.lab_id:
        raise ValidationError(
            _(
                "%(name)s's liaison qualification represents another lab; that lab applies for "
                "the login right (A-02)."
            )
            % {"name": person.name},
            code="other_lab",
        )
    open_request = LoginRightRequest.objects.filter(person=person, state__in=OPEN_STATES).first()
    if open_request is not None:
        raise ValidationError(
            _(
                "%(name)s already has an open request for a login right (it is “%(state)s”); "
                "wait for its decision or withdraw it."
            )
            % {"name": person.name, "state": open_request.get_state_display()},
            code="request_open",
        )
    active = LoginRight.objects.filter(person=person, state=LoginRightState.ACTIVE).first()
    if active is not None:
        raise ValidationError(
            _("%(name)s already holds an active login right (account “%(username)s”).")
            % {"name": person.name, "username": active.username},
            code="already_active",
        )
    account = account_by_username(username)
    if account is not None and not belongs_to(account, person):
        raise username_taken_error(username)
    request = LoginRightRequest(
        person=person,
        lab=qualification.lab,
        username=account.username if account is not None else username,
        # The person's own suspended or revoked account: granted again.
        right=account,
        submitted_by=actor,
        comment=comment,
    )
    request.full_clean(exclude=["state", "person", "lab", "right", "submitted_by"])
    request._history_user = actor
    try:
        # One open request per person (a unique index): of two submitted at the same moment
        # the second waits for the first and fails here; the savepoint keeps the transaction.
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s already has an open request for a login right; reload the page.")
            % {"name": person.name},
            code="request_open",
        ) from None
    return request


@transaction.atomic
def login_right_request_accept(
    *, request: LoginRightRequest, actor: User, comment: str = ""
) -> LoginRightRequest:
    """The quality technology dept has checked the request and passes it on to the general
    business dept (A-02)."""
    request = _lock(request)
    _require(permissions.is_quality_technology(actor))
    _require_state(request, request.accept, _("accepted"))
    comment = clean_comment(comment)
    _require_qualified(request.person, step=_("accepted"))
    request.accept(at=timezone.now(), by=actor, comment=comment, description=comment)
    request._history_user = actor
    request.save()
    return request


@transaction.atomic
def login_right_request_grant(
    *, request: LoginRightRequest, actor: User, comment: str = ""
) -> LoginRightRequest:
    """The general business dept grants the login right (A-02): the account is created for the
    username, or the person's suspended or revoked account is granted again and its history
    keeps both (A-06). Refused for a username that is another person's account, and for a
    person who has lost their qualification meanwhile (A-01)."""
    request = _lock(request)
    _require(permissions.is_general_business(actor))
    _require_state(request, request.grant, _("granted"))
    comment = clean_comment(comment)
    _require_qualified(request.person, step=_("granted"), lock=True)
    now = timezone.now()
    right = login_right_grant(
        person=request.person,
        lab=request.lab,
        username=request.username,
        actor=actor,
        at=now,
        comment=comment or _("Granted on request %(number)d (A-02).") % {"number": request.pk},
    )
    request.right = right
    request.grant(at=now, by=actor, comment=comment, description=comment)
    request._history_user = actor
    request.save()
    _notify(request)
    return request


@transaction.atomic
def login_right_request_refuse(
    *, request: LoginRightRequest, actor: User, reason: str
) -> LoginRightRequest:
    """The quality technology dept (at its step) or the general business dept (at its own)
    refuses the request; a reason is required and nothing else changes (A-02)."""
    request = _lock(request)
    step = permissions.refuse_step(actor)
    _require(step is not None)
    reason = clean_comment(reason, field="reason", required=True)
    if request.state != step:
        raise _stale(request, _("refused by you"))
    request.refuse(at=timezone.now(), by=actor, reason=reason, description=reason)
    request._history_user = actor
    request.save()
    _notify(request)
    return request


@transaction.atomic
def login_right_request_withdraw(
    *, request: LoginRightRequest, actor: User, comment: str = ""
) -> LoginRightRequest:
    """The submitter's side (the person, or the staff of the request's lab) withdraws an open
    request."""
    request = _lock(request)
    _require(permissions.can_withdraw(actor, request))
    _require_state(request, request.withdraw, _("withdrawn"))
    comment = clean_comment(comment)
    request.withdraw(at=timezone.now(), by=actor, description=comment)
    request._history_user = actor
    request.save()
    return request
