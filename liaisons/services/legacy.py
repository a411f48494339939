"""L-13: the legacy liaisons, hired on paper before the personnel system, brought into it.

The training centre imports the paper roster: first as a dry run that reports every row with
its problems and writes nothing, then for real, in one transaction, only when no row has a
problem (so a corrected file can simply be imported again). Each row makes or reuses the
person (P-01) and gives them a legacy qualification, which counts as hired until the migration
deadline (``liaisons.selectors.counting_qualifications``) unless migrated by a hire through
the system. No employment number is drawn here: that happens at the migration hire (P-02).
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.constants import CertificationFieldCode
from directory.idnumbers import mask_id_number, validate_id_number
from directory.models import Person, TestingLab, User
from directory.services import person_create

from ..constants import MIGRATION_DEADLINE
from ..models import LiaisonQualification
from ..permissions import is_training_centre
from ..rules import business_scope, fields_outside_scope
from .coverage import labs_coverage_refresh

#: Between two fields in the "fields" column: 、 or a comma (half or full width), or ; .
FIELD_SEPARATORS = re.compile(r"[、,，;；]+")

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


@dataclass
class LegacyRowReport:
    """What one row of the file would become, or why it cannot."""

    row: int
    masked_id_number: str
    name: str
    lab_name: str = ""
    fields: list[str] = field(default_factory=list)
    hired_on: datetime.date | None = None
    person_exists: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class LegacyImportReport:
    rows: list[LegacyRowReport]
    dry_run: bool
    imported: int = 0

    @property
    def error_rows(self) -> list[LegacyRowReport]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows


def field_lookup() -> dict[str, str]:
    """Every spelling of a certification field that a paper roster may use: the code and the
    name in Chinese and in English, compared without case and spaces."""
    lookup = {}
    for choice in CertificationFieldCode:
        lookup[_fold(choice.value)] = choice.value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[_fold(str(choice.label))] = choice.value
    return lookup


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def parse_date(value) -> datetime.date | None:
    """A date as a spreadsheet or a person writes it; ``None`` when it is not one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    # A spreadsheet date written out as text may carry a time: "2008-03-01 00:00:00".
    text = text.split(" ")[0].split("T")[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


class _Labs:
    """The labs of the file, found by unified social credit code or by exact name."""

    def __init__(self):
        self._by_uscc: dict[str, TestingLab] = {}
        self._by_name: dict[str, list[TestingLab]] = {}
        self._scopes: dict[int, set[str]] = {}
        for lab in TestingLab.objects.prefetch_related("business_scope"):
            self._by_uscc[lab.uscc.upper()] = lab
            self._by_name.setdefault(lab.name.strip(), []).append(lab)
            self._scopes[lab.pk] = business_scope(lab)  # prefetched

    def find(self, value: str) -> tuple[TestingLab | None, str]:
        text = value.strip()
        if not text:
            return None, _("The lab is missing.")
        lab = self._by_uscc.get(text.upper())
        if lab is None:
            named = self._by_name.get(text, [])
            if len(named) > 1:
                return None, _(
                    "Several testing labs are named “%(name)s”; give the unified social credit "
                    "code instead."
                ) % {"name": text}
            lab = named[0] if named else None
        if lab is None:
            return None, _(
                "Unknown testing lab “%(lab)s”: no lab has this unified social credit code or name."
            ) % {"lab": text}
        if not lab.is_active:
            return None, _("The testing lab “%(lab)s” is no longer active.") % {"lab": lab.name}
        return lab, ""

    def scope(self, lab: TestingLab) -> set[str]:
        return self._scopes[lab.pk]


def _split_fields(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in FIELD_SEPARATORS.split(str(value or "")) if part.strip()]


def _check_rows(rows: Iterable[Mapping]) -> tuple[list[LegacyRowReport], list[dict]]:
    """Every row checked; the ones without problems also as what to write."""
    rows = list(rows)
    labs = _Labs()
    fields_by_name = field_lookup()
    numbers = {}
    for row in rows:
        try:
            numbers[id(row)] = validate_id_number(str(row.get("id_number") or ""))
        except ValidationError:
            pass
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=set(numbers.values()))}
    current_holders = set(
        LiaisonQualification.objects.current()
        .filter(person__id_number__in=set(numbers.values()))
        .values_list("person__id_number", flat=True)
    )
    today = timezone.localdate()
    seen: dict[str, int] = {}
    reports, writes = [], []
    for index, row in enumerate(rows, start=1):
        raw_number = str(row.get("id_number") or "").strip()
        name = str(row.get("name") or "").strip()
        report = LegacyRowReport(
            row=int(row.get("row") or index),
            masked_id_number=mask_id_number(raw_number),
            name=name,
        )
        errors = report.errors
        number = numbers.get(id(row))
        if number is None:
            try:
                validate_id_number(raw_number)
            except ValidationError as error:
                errors.append(_("ID number: %(message)s") % {"message": " ".join(error.messages)})
        if not name:
            errors.append(_("The name is missing."))
        elif len(name) > Person._meta.get_field("name").max_length:
            errors.append(_("The name is too long."))
        person = people.get(number) if number else None
        report.person_exists = person is not None
        if number:
            if number in seen:
                errors.append(
                    _("This ID number is already on row %(row)d of the file.")
                    % {"row": seen[number]}
                )
            else:
                seen[number] = report.row
            if number in current_holders:
                errors.append(_("This person is already a current liaison; nothing to import."))
            if person is not None and name and person.name != name:
                errors.append(
                    _(
                        "The name on record for this ID number is “%(name)s”; a change of name "
                        "goes through the branch centre (P-03)."
                    )
                    % {"name": person.name}
                )
        lab, problem = labs.find(str(row.get("lab") or ""))
        if problem:
            errors.append(problem)
        else:
            report.lab_name = lab.name
        codes = []
        tokens = _split_fields(row.get("fields"))
        if not tokens:
            errors.append(_("No certification field is given."))
        for token in tokens:
            code = fields_by_name.get(_fold(token))
            if code is None:
                errors.append(_("Unknown certification field “%(field)s”.") % {"field": token})
            elif code not in codes:
                codes.append(code)
        report.fields = codes
        if lab is not None:
            outside = fields_outside_scope(codes, labs.scope(lab))  # L-05
            if outside:
                errors.append(
                    _("%(fields)s is not in the CQC business scope of %(lab)s.")
                    % {
                        "fields": ", ".join(str(CertificationFieldCode(c).label) for c in outside),
                        "lab": lab.name,
                    }
                )
        hired_on = parse_date(row.get("hired_on"))
        report.hired_on = hired_on
        if hired_on is None:
            errors.append(
                _("The hiring date “%(value)s” is not a date (write it as 2008-03-01).")
                % {"value": str(row.get("hired_on") or "")}
            )
        elif hired_on > today:
            errors.append(_("The hiring date is in the future."))
        elif hired_on > MIGRATION_DEADLINE:
            errors.append(
                _(
                    "A legacy liaison was hired on paper before the migration deadline "
                    "(%(deadline)s); a later hire goes through the system (L-13)."
                )
                % {"deadline": MIGRATION_DEADLINE.isoformat()}
            )
        reports.append(report)
        if not errors:
            writes.append(
                {
                    "id_number": number,
                    "name": name,
                    "person": person,
                    "lab": lab,
                    "fields": codes,
                    "hired_on": hired_on,
                }
            )
    return reports, writes


@transaction.atomic
def legacy_liaisons_import(
    *, rows: Iterable[Mapping], actor: User, dry_run: bool
) -> LegacyImportReport:
    """The training centre imports legacy liaisons (L-13): a dry run reports every row and
    writes nothing; a real run writes every row, or nothing when any row has a problem.

    ``rows`` are mappings with ``id_number``, ``name``, ``lab`` (USCC or name), ``fields``
    (codes or names separated by 、 or a comma, or a list), ``hired_on`` and optionally
    ``row``, the row's number in the file, used in the report.
    """
    if not is_training_centre(actor):
        raise PermissionDenied(_("Only the training centre imports legacy liaisons (L-13)."))
    reports, writes = _check_rows(rows)
    report = LegacyImportReport(rows=reports, dry_run=dry_run)
    if dry_run:
        return report
    if not reports:
        raise ValidationError(_("The file holds no liaison."), code="legacy_import_empty")
    if report.error_rows:
        raise ValidationError(
            _("%(count)d rows have problems; nothing was imported. Correct the file and try again.")
            % {"count": len(report.error_rows)},
            code="legacy_import_has_errors",
        )
    reason = _("Imported from the paper roster of legacy liaisons (L-13).")
    affected_labs = {}
    for entry in writes:
        lab = entry["lab"]
        person = entry["person"]
        if person is None:
            person = person_create(
                id_number=entry["id_number"], name=entry["name"], actor=actor, lab=lab
            )
        elif person.lab_id != lab.pk:
            person.lab = lab
            person._history_user = actor
            person._change_reason = reason
            person.save(update_fields=["lab"])
        qualification = LiaisonQualification(
            person=person, lab=lab, hired_on=entry["hired_on"], is_legacy=True
        )
        qualification.full_clean(exclude=["state", "fields"])
        qualification._history_user = actor
        qualification._change_reason = reason
        qualification.save()
        qualification.fields.set(entry["fields"])
        affected_labs[lab.pk] = lab
    # L-06: before the deadline a legacy liaison covers their lab's fields.
    labs_coverage_refresh(lab_ids=affected_labs)
    report.imported = len(writes)
    return report
