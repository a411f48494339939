"""Writes of a login right's state: it follows the liaison qualification (A-01), and it is
granted, or granted again, through a request (A-02, A-06).

Every change of a right's state is recorded for the business system's feed in the same
transaction (``access_audit.feed.right_changes_record``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.limits import REASON_MAX_LENGTH
from directory.models import Person, TestingLab, User
from liaisons.selectors import person_holds_active_qualification

from ..constants import LoginRightState
from ..feed import right_changes_record
from ..models import LoginRight

#: The rule a suspension that follows a qualification records (A-01).
FOLLOWS_QUALIFICATION = "A-01"
#: The rule a grant through a request records in the feed (A-02).
GRANTED_ON_REQUEST = "A-02"


@transaction.atomic
def login_rights_follow_qualifications(
    *, person: Person, actor: User | None, reason: str
) -> list[LoginRight]:
    """Suspend the person's active login rights at once unless they hold an active liaison
    qualification that counts as hired (A-01, L-13); returns the rights suspended.

    Every change of a qualification's state leads here (liaisons announces it, ``receivers``
    listens). A suspended right does not come back when the qualification is reinstated: it is
    granted again only through a request (A-02, A-06).
    """
    if person_holds_active_qualification(person=person):
        return []
    now = timezone.now()
    reason = (reason or "").strip()[:REASON_MAX_LENGTH] or _(
        "No active liaison qualification (A-01)."
    )
    suspended = []
    for right in (
        LoginRight.objects.select_for_update()
        .filter(person=person, state=LoginRightState.ACTIVE)
        .order_by("pk")
    ):
        right.suspend(
            at=now, rule=FOLLOWS_QUALIFICATION, reason=reason, by=actor, description=reason
        )
        right._history_user = actor
        right._change_reason = reason
        right.save()
        suspended.append(right)
    right_changes_record(suspended, at=now, rule=FOLLOWS_QUALIFICATION)
    return suspended


def account_by_username(username: str, *, lock: bool = False) -> LoginRight | None:
    """The account of this username, whatever the case of its letters (the business system
    does not tell ``Zhang`` from ``zhang``); locked for the transaction if ``lock``."""
    accounts = LoginRight.objects.annotate(key=Lower("username")).filter(
        key=username.strip().lower()
    )
    if lock:
        accounts = accounts.select_for_update(of=("self",))
    return accounts.order_by("pk").first()


def belongs_to(account: LoginRight, person: Person) -> bool:
    """Whether the account is the person's: linked to them, or not linked to anyone and
    holding their ID number (an imported account whose person appeared since)."""
    if account.person_id is not None:
        return account.person_id == person.pk
    return bool(account.id_number) and account.id_number == person.id_number


def username_taken_error(username: str) -> ValidationError:
    message = _(
        "The business-system account “%(username)s” belongs to another person; choose another "
        "username (A-02)."
    ) % {"username": username}
    return ValidationError({"username": ValidationError(message, code="username_taken")})


def login_right_grant(
    *,
    person: Person,
    lab: TestingLab,
    username: str,
    actor: User,
    at: datetime.datetime,
    comment: str = "",
) -> LoginRight:
    """Grant the person a login right under ``username`` (A-02): a new account, or the
    person's own suspended or revoked account granted again, its history keeping both (A-06).

    Called by ``login_right_request_grant`` inside its transaction, after the permission and
    the qualification (A-01) were checked. Refuses a username that is another person's
    account, and a second active right of the same person.
    """
    other_active = (
        LoginRight.objects.filter(person=person, state=LoginRightState.ACTIVE)
        .annotate(key=Lower("username"))
        .exclude(key=username.lower())
        .first()
    )
    if other_active is not None:
        raise ValidationError(
            _(
                "%(name)s already holds an active login right (account “%(username)s”); one "
                "is enough (A-02)."
            )
            % {"name": person.name, "username": other_active.username},
            code="already_active",
        )
    account = account_by_username(username, lock=True)
    if account is None:
        account = LoginRight(
            username=username,
            id_number=person.id_number,
            name=person.name,
            person=person,
            lab=lab,
            granted_at=at,
            granted_by=actor,
        )
        account.full_clean(exclude=["state", "person", "lab", "granted_by"])
        account._history_user = actor
        account._change_reason = comment
        try:
            # A savepoint: a grant of the same username a moment before makes the insert
            # fail, and the refusal below must leave the transaction usable.
            with transaction.atomic():
                account.save()
        except IntegrityError:
            raise username_taken_error(username) from None
    else:
        if not belongs_to(account, person):
            raise username_taken_error(username)
        if account.state == LoginRightState.ACTIVE:
            raise ValidationError(
                _(
                    "The account “%(username)s” is active already. Someone may have acted a "
                    "moment ago; reload the page."
                )
                % {"username": account.username},
                code="already_active",
            )
        account.grant_again(at=at, by=actor, description=comment)
        account.person = person
        account.lab = lab
        account.id_number = person.id_number
        account._history_user = actor
        account._change_reason = comment
        account.save()
    right_changes_record([account], at=at, rule=GRANTED_ON_REQUEST)
    return account
