"""The general business dept imports the business system's account list.

First as a preview that checks every row and writes nothing, then for real, in one
transaction, only when no row has a problem: all rows or none, so a corrected file can simply
be imported again. Accounts are matched by username (whatever the case of its letters): a new
one is created, a known one updated, and a changed state goes through the right's transitions
and the business system's feed like any other change. An account whose ID number matches no
person is kept with no person and listed for follow-up (``selectors.follow_up_list``), never
dropped. Accounts of the portal missing from the file are left as they are: a list may cover
part of the business system.

The import records what the business system holds: an active account of someone without a
qualification stays active here (it is case 3 of the check, for the campaign to sort out);
only a change of a qualification suspends a right at once (A-01). An account the portal holds
as suspended or revoked becomes active again only through a granted request (A-02, A-06), so a
file saying otherwise is refused on that row.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from directory.idnumbers import mask_id_number
from directory.models import Person, User
from liaisons.selectors import counting_qualifications

from ..constants import LoginRightState
from ..feed import right_changes_record
from ..imports import AccountListResource, LabLookup
from ..models import LoginRight
from ..permissions import rights as permissions

S = LoginRightState

#: How each column is named in a row's problems.
COLUMN_LABELS = {
    "username": gettext_lazy("Username"),
    "id_number": gettext_lazy("ID number"),
    "name": gettext_lazy("Name"),
    "lab": gettext_lazy("Testing lab"),
    "last_login_on": gettext_lazy("Last login"),
    "state": gettext_lazy("State"),
}
#: The account fields an import sets, besides the state.
IMPORTED_FIELDS = ("id_number", "name", "lab", "last_login_on")
#: State changes an import may make (the business system suspended or revoked the account).
ALLOWED_CHANGES = {(S.ACTIVE, S.SUSPENDED), (S.ACTIVE, S.REVOKED), (S.SUSPENDED, S.REVOKED)}
#: Accounts looked up per query.
CHUNK = 500

NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


@dataclass
class AccountRowReport:
    """What one row of the file would become, or why it cannot."""

    row: int
    username: str
    masked_id_number: str
    name: str
    lab_name: str = ""
    last_login_on: object = None
    state: str = ""
    state_before: str = ""
    action: str = ""
    person_name: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def matched(self) -> bool:
        return bool(self.person_name)

    @property
    def state_label(self) -> str:
        return str(S(self.state).label) if self.state else ""

    @property
    def state_before_label(self) -> str:
        return str(S(self.state_before).label) if self.state_before else ""

    @property
    def state_changes(self) -> bool:
        return bool(self.state_before) and self.state_before != self.state


@dataclass
class AccountImportReport:
    rows: list[AccountRowReport]
    dry_run: bool
    imported: int = 0

    @property
    def error_rows(self) -> list[AccountRowReport]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.ok and row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        good = [row for row in self.rows if row.ok]
        return {
            "new": self.count(NEW),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "state_changes": sum(1 for row in good if row.state_changes),
            "unmatched": sum(1 for row in good if not row.matched),
        }

    @property
    def changes(self) -> list[AccountRowReport]:
        """The rows that change something, for the preview."""
        return [row for row in self.rows if row.ok and row.action != UNCHANGED]


_COMPARED = (*IMPORTED_FIELDS, "person")


def _comparable(values: Mapping) -> tuple:
    """The compared fields' values, a related object by its primary key."""
    return tuple(getattr(values[n], "pk", values[n]) for n in _COMPARED)


def _account_values(account: LoginRight) -> tuple:
    """``_comparable`` of an account as stored, without loading its relations."""
    return tuple(getattr(account, f"{n}_id" if n in ("lab", "person") else n) for n in _COMPARED)


def _existing_accounts(usernames: Iterable[str], *, lock: bool) -> dict[str, LoginRight]:
    """The portal's accounts of these usernames, by lower-case username."""
    keys = sorted({name.lower() for name in usernames})
    found: dict[str, LoginRight] = {}
    for start in range(0, len(keys), CHUNK):
        accounts = (
            LoginRight.objects.annotate(key=Lower("username"))
            .filter(key__in=keys[start : start + CHUNK])
            .select_related("person")
            .order_by("-pk")
        )
        if lock:
            accounts = accounts.select_for_update(of=("self",))
        # The oldest account wins when two differ only in case (order: newest first).
        found.update({account.key: account for account in accounts})
    return found


def _people(numbers: set[str]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    numbers_list = sorted(numbers)
    for start in range(0, len(numbers_list), CHUNK):
        for person in Person.objects.filter(id_number__in=numbers_list[start : start + CHUNK]):
            people[person.id_number] = person
    return people


def _check_rows(
    rows: list[Mapping], *, lock: bool
) -> tuple[list[AccountRowReport], list[tuple[dict, LoginRight | None]]]:
    """Every row checked; the ones without problems also as what to write."""
    resource = AccountListResource(labs=LabLookup())
    cleaned = []
    for index, row in enumerate(rows, start=1):
        values, problems = resource.clean_row(row)
        cleaned.append((index, row, values, problems))
    accounts = _existing_accounts(
        (values["username"] for _i, _r, values, _p in cleaned if "username" in values), lock=lock
    )
    people = _people(
        {values["id_number"] for _i, _r, values, _p in cleaned if "id_number" in values}
    )
    qualified = set(
        counting_qualifications()
        .filter(person_id__in=[p.pk for p in people.values()])
        .values_list("person_id", flat=True)
    )
    seen: dict[str, int] = {}
    reports, writes = [], []
    for index, row, values, problems in cleaned:
        report = AccountRowReport(
            row=int(row.get("row") or index),
            username=str(values.get("username") or row.get("username") or "")[:80],
            masked_id_number=mask_id_number(str(row.get("id_number") or "")[:40]),
            name=str(values.get("name") or row.get("name") or "")[:80],
            lab_name=values["lab"].name if values.get("lab") else "",
            last_login_on=values.get("last_login_on"),
            state=values.get("state", ""),
        )
        reports.append(report)
        errors = report.errors
        for column, message in problems.items():
            errors.append(f"{COLUMN_LABELS[column]}: {message}")
        username = values.get("username")
        account = None
        if username:
            key = username.lower()
            if key in seen:
                errors.append(
                    _("The username is already on row %(row)d of the file.") % {"row": seen[key]}
                )
            else:
                seen[key] = report.row
            account = accounts.get(key)
        number = values.get("id_number")
        person = people.get(number) if number else None
        if (
            account is not None
            and account.person_id is not None
            and number
            and (person is None or person.pk != account.person_id)
        ):
            errors.append(
                _(
                    "The portal holds this account for another person (%(name)s, ID number "
                    "%(number)s); check the file."
                )
                % {"name": account.person.name, "number": account.person.masked_id_number}
            )
        state = values.get("state")
        if account is not None and state and state != account.state:
            report.state_before = account.state
            if (account.state, state) not in ALLOWED_CHANGES:
                if state == S.ACTIVE:
                    errors.append(
                        _(
                            "The portal holds this account as “%(state)s”; it becomes active "
                            "again only through a granted request (A-02, A-06). Correct the "
                            "file, or apply for the right."
                        )
                        % {"state": account.get_state_display()}
                    )
                else:
                    errors.append(
                        _("The portal holds this account as revoked; it cannot become “%(state)s”.")
                        % {"state": S(state).label}
                    )
        if errors:
            continue
        if person is not None:
            report.person_name = person.name
            if values["name"] and values["name"] != person.name:
                report.notes.append(
                    _("The person on record with this ID number is named “%(name)s”.")
                    % {"name": person.name}
                )
            if person.pk not in qualified:
                report.notes.append(_("No active liaison qualification (A-01)."))
        else:
            report.notes.append(
                _("No person holds this ID number: the account is kept and listed for follow-up.")
            )
        values["person"] = person
        if account is None:
            report.action = NEW
        else:
            same = _account_values(account) == _comparable(values)
            report.action = UNCHANGED if same and state == account.state else UPDATE
        writes.append((values, account))
    return reports, writes


def _write(writes: list[tuple[dict, LoginRight | None]], *, actor: User) -> int:
    now = timezone.now()
    reason = _("Imported from the business system's account list.")
    created = [
        LoginRight(
            username=values["username"],
            id_number=values["id_number"],
            name=values["name"],
            person=values["person"],
            lab=values["lab"],
            last_login_on=values["last_login_on"],
            state=values["state"],
            imported_at=now,
        )
        for values, account in writes
        if account is None
    ]
    changed_state, unchanged = [], []
    for values, account in writes:
        if account is None:
            continue
        state = values["state"]
        if _account_values(account) == _comparable(values) and state == account.state:
            unchanged.append(account.pk)
            continue
        for name in _COMPARED:
            setattr(account, name, values[name])
        if state != account.state:
            if state == S.SUSPENDED:
                account.suspend(at=now, rule="", reason=reason, by=actor, description=reason)
            else:
                account.revoke(at=now, reason=reason, by=actor, description=reason)
            changed_state.append(account)
        account.imported_at = now
        account._history_user = actor
        account._change_reason = reason
        account.save()
    try:
        created = bulk_create_with_history(
            created,
            LoginRight,
            batch_size=CHUNK,
            default_user=actor,
            default_change_reason=reason,
        )
    except IntegrityError:
        # A grant of one of these usernames committed since the check: nothing is written.
        raise ValidationError(
            _("An account of this file was created a moment ago; import the file again."),
            code="import_conflict",
        ) from None
    for start in range(0, len(unchanged), CHUNK):
        LoginRight.objects.filter(pk__in=unchanged[start : start + CHUNK]).update(imported_at=now)
    # The business system's feed holds every account from its first state on, and each change.
    right_changes_record([*created, *changed_state], at=now)
    return len(writes)


@transaction.atomic
def login_rights_import(
    *, rows: Iterable[Mapping], actor: User, dry_run: bool
) -> AccountImportReport:
    """Import the business system's account list (rows as ``imports.read_account_rows``
    gives them): a dry run reports every row and writes nothing; a real run writes every row,
    or nothing when any row has a problem."""
    if not permissions.can_import_accounts(actor):
        raise PermissionDenied(
            _("Only the general business dept imports the business system's account list.")
        )
    rows = list(rows)
    reports, writes = _check_rows(rows, lock=not dry_run)
    report = AccountImportReport(rows=reports, dry_run=dry_run)
    if dry_run:
        return report
    if not reports:
        raise ValidationError(_("The file holds no account."), code="import_empty")
    if report.error_rows:
        raise ValidationError(
            _("%(count)d rows have problems; nothing was imported. Correct the file and try again.")
            % {"count": len(report.error_rows)},
            code="import_has_errors",
        )
    report.imported = _write(writes, actor=actor)
    return report
