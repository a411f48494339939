"""Every write to the directory: people, employment numbers, accounts and their scope."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cqcportal.history import history_bulk_create
from cqcportal.mail import addresses_by_language, portal_link, send_in_their_language

from .constants import IMPORTANT_FIELDS, ROLE_SCOPE, SELF_MAINTAINED_FIELDS, Role, Scope
from .idnumbers import birth_date_of, sex_of, validate_id_number
from .models import (
    BranchCentre,
    CertificationBody,
    Department,
    EmploymentNumberCounter,
    Person,
    TestingLab,
    User,
)


@transaction.atomic
def person_create(
    *,
    id_number: str,
    name: str,
    actor: User | None,
    lab: TestingLab | None = None,
    body: CertificationBody | None = None,
    **data: str,
) -> Person:
    """Create the one record of a person (P-01); birth date and sex come from the ID number."""
    number = validate_id_number(id_number)
    if Person.objects.filter(id_number=number).exists():
        raise ValidationError(
            {"id_number": _("A person with this ID number is already on record (P-01).")},
            code="person_exists",
        )
    unknown = set(data) - set(SELF_MAINTAINED_FIELDS) - set(IMPORTANT_FIELDS)
    if unknown:
        raise TypeError(f"person_create got unexpected fields: {sorted(unknown)}")
    person = Person(
        id_number=number,
        name=name.strip(),
        birth_date=birth_date_of(number),
        sex=sex_of(number),
        lab=lab,
        body=body,
        **data,
    )
    person.full_clean()
    person._history_user = actor
    person.save()
    return person


@transaction.atomic
def person_update_self_maintained(*, person: Person, actor: User, **changes: str) -> Person:
    """Apply tier (a) changes (phone, e-mail, work unit, address) at once, kept in history."""
    unknown = set(changes) - set(SELF_MAINTAINED_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed by the person: %(fields)s (P-03).")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_self_maintained",
        )
    for field, value in changes.items():
        setattr(person, field, value.strip())
    person.full_clean()
    person._history_user = actor
    person.save(update_fields=[*changes])
    return person


def _format_employment_number(value: int) -> str:
    return f"{value:08d}"


def employment_numbers_draw(*, count: int) -> list[str]:
    """``count`` new employment numbers (P-02), drawn at once from the counter row.

    The counter row stays locked until the transaction ends, so no two transactions draw the
    same number. Only ``employment_numbers_assign`` calls it: it holds the people's locks.
    """
    if count <= 0:
        return []
    counter, _created = EmploymentNumberCounter.objects.select_for_update().get_or_create(pk=1)
    first = counter.last_value + 1
    counter.last_value += count
    counter.save(update_fields=["last_value"])
    return [_format_employment_number(value) for value in range(first, first + count)]


@transaction.atomic
def employment_numbers_assign(*, people: Sequence[Person]) -> list[Person]:
    """Give each of these people who has none their one employment number (P-02): the one
    numbering path, of a single first hire and of a decision's hires alike.

    The people's rows and then the counter row are locked, in this order, so two first hires
    of one person never draw two numbers and two first hires of two people never draw the
    same one; the unique constraint backs this up. A person who has a number keeps it, as
    stored (one given by a transaction that committed a moment ago too). The numbers are
    written; the instances are updated; the people given one now are returned, for the caller
    to record in the history with whatever else it changed.
    """
    stored = dict(
        Person.objects.select_for_update()
        .filter(pk__in=[person.pk for person in people])
        .order_by("pk")
        .values_list("pk", "employment_number")
    )
    numberless = sorted(pk for pk, number in stored.items() if not number)
    drawn = dict(zip(numberless, employment_numbers_draw(count=len(numberless)), strict=True))
    assigned: dict[int, Person] = {}
    for person in people:
        person.employment_number = stored[person.pk] or drawn[person.pk]
        if person.pk in drawn:
            assigned.setdefault(person.pk, person)
    if assigned:
        Person.objects.bulk_update(list(assigned.values()), ["employment_number"])
    return list(assigned.values())


@transaction.atomic
def person_assign_employment_number(*, person: Person, actor: User | None) -> str:
    """Give the person their one employment number at the first hire (P-02); a person who
    has one keeps it (``employment_numbers_assign``)."""
    assigned = employment_numbers_assign(people=[person])
    history_bulk_create(assigned, model=Person, user=actor, date=timezone.now(), update=True)
    return person.employment_number


@dataclass(frozen=True)
class Organisations:
    lab: TestingLab | None = None
    branch: BranchCentre | None = None
    department: Department | None = None
    body: CertificationBody | None = None


def _check_scope(role: str, orgs: Organisations) -> None:
    needed = ROLE_SCOPE[role]
    given = {
        Scope.LAB: orgs.lab,
        Scope.BRANCH: orgs.branch,
        Scope.DEPARTMENT: orgs.department,
        Scope.BODY: orgs.body,
    }
    for scope, org in given.items():
        if scope == needed and org is None:
            raise ValidationError(
                _("The role %(role)s must be bound to one %(scope)s.")
                % {"role": Role(role).label, "scope": Scope(scope).label},
                code="scope_missing",
            )
        if scope != needed and org is not None:
            raise ValidationError(
                _("The role %(role)s cannot be bound to a %(scope)s.")
                % {"role": Role(role).label, "scope": Scope(scope).label},
                code="scope_not_allowed",
            )


@transaction.atomic
def user_create_staff(
    *,
    username: str,
    role: str,
    actor: User | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    orgs: Organisations = Organisations(),  # noqa: B008 - immutable dataclass
) -> User:
    """Create a staff account bound to the one organisation its role needs."""
    _check_scope(role, orgs)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is taken.")}, code="username_taken")
    user = User(
        username=username,
        role=role,
        email=email,
        first_name=first_name,
        last_name=last_name,
        lab=orgs.lab,
        branch=orgs.branch,
        department=orgs.department,
        body=orgs.body,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = actor
    user.save()
    return user


@transaction.atomic
def person_account_ensure(*, person: Person, actor: User | None) -> tuple[User, bool]:
    """The person's portal account: username = ID number (P-01, L-08).

    A person who has an account keeps it; a new account gets no password, and a set-password
    link is e-mailed after commit (never a password in plain text).
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id:
        return person.user, False
    user = User(username=person.id_number, role=Role.PERSON, email=person.email)
    user.set_unusable_password()
    user._history_user = actor
    user.save()
    person.user = user
    person._history_user = actor
    person.save(update_fields=["user"])
    # From the mail worker, not the request that accepted the materials (issue 11).
    from .tasks import send_account_created_email

    user_id = user.pk
    transaction.on_commit(lambda: send_account_created_email.delay(user_id))
    return user, True


def send_set_password_email(*, user_id: int) -> int:
    """E-mail a new account its set-password link, once (L-08); returns how many addresses
    were written to. The message never names the ID number (P-04).

    In the new account's language (Chinese: a new account has chosen none), not in the
    language of the reviewer whose acceptance opened it (issue 10). The account is claimed
    (``account_mail_sent_at``) before sending and released if sending fails, so a retried
    or doubled task sends it once; an account whose password is set already gets none.
    """
    user = User.objects.select_related("person").filter(pk=user_id).first()
    if user is None or not user.email or user.has_usable_password():
        return 0
    claimed = User.objects.filter(pk=user_id, account_mail_sent_at=None).update(
        account_mail_sent_at=timezone.now()
    )
    if not claimed:
        return 0
    link = portal_link(
        "password_reset_confirm",
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    name = user.person.name if hasattr(user, "person") else user.get_full_name()
    try:
        return send_in_their_language(
            by_language=addresses_by_language([user]),
            subject=lambda: _("Your account on the CQC certification personnel portal"),
            template="registration/account_created_email.txt",
            context={"name": name, "link": link},
        )
    except BaseException:
        User.objects.filter(pk=user_id).update(account_mail_sent_at=None)
        raise


@transaction.atomic
def user_language_set(*, user: User, language: str, actor: User) -> None:
    """Remember the language a user reads the portal in, which their e-mails are written in."""
    if actor.pk != user.pk:
        raise PermissionDenied
    try:
        # "zh-Hans", "zh-cn": the portal's own spelling of a language it speaks.
        language = translation.get_supported_language_variant(language.lower())
    except LookupError:
        return
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return
    user.language = language
    user.save(update_fields=["language"])


@transaction.atomic
def evaluator_grant_lab(*, evaluator: User, lab: TestingLab, actor: User | None) -> None:
    """Let a department evaluator evaluate the liaisons of one lab (L-10), by object permission."""
    if evaluator.role != Role.DEPARTMENT_EVALUATOR:
        raise ValidationError(_("Only a department evaluator can be given labs to evaluate."))
    assign_perm("directory.evaluate_lab", evaluator, lab)


@transaction.atomic
def evaluator_revoke_lab(*, evaluator: User, lab: TestingLab, actor: User | None) -> None:
    """Take a lab away from a department evaluator."""
    remove_perm("directory.evaluate_lab", evaluator, lab)
