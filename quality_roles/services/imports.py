"""A body imports its certificate list (Q-05).

First as a preview that checks every row and writes nothing, then for real, in one
transaction under the body's lock, only when no row has a problem: all rows or none, so a
corrected file can simply be imported again. An import adds certificates; a number the
portal already holds is a problem of its row (a certificate is changed on its own page, never
overwritten by a file). The responsible lead is named by the ID number of a lead in office at
the importing body who answers for the row's project or category (``quality_roles.scopes``);
a certificate imported without one is uncovered at once (Q-05), which the preview says row by
row.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqcportal.history import history_bulk_create
from directory.idnumbers import mask_id_number
from directory.models import CertificationBody, User

from .. import permissions, scopes
from ..constants import CertificateState, LeadAppointmentState
from ..imports import CertificateListResource
from ..models import Certificate, CertificationProject, LeadAppointment, ProductCategory
from .common import lock_body, require

#: How each column is named in a row's problems.
COLUMN_LABELS = {
    "number": gettext_lazy("Certificate number"),
    "product": gettext_lazy("Product"),
    "project": gettext_lazy("Project or category"),
    "state": gettext_lazy("State"),
    "lead": gettext_lazy("Responsible lead"),
}
#: Values looked up per query.
CHUNK = 500


@dataclass
class CertificateRowReport:
    """What one row of the file would become, or why it cannot."""

    row: int
    number: str
    product: str
    project_label: str = ""
    state: str = ""
    lead_name: str = ""
    masked_lead_id_number: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def state_label(self) -> str:
        return str(CertificateState(self.state).label) if self.state else ""

    @property
    def uncovered(self) -> bool:
        """Q-05: a valid certificate without a lead."""
        return self.state == CertificateState.VALID and not self.lead_name


@dataclass
class CertificateImportReport:
    rows: list[CertificateRowReport]
    dry_run: bool
    imported: int = 0

    @property
    def error_rows(self) -> list[CertificateRowReport]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows

    @property
    def uncovered(self) -> int:
        return sum(1 for row in self.rows if row.ok and row.uncovered)


def _chunked(values: Iterable[str]):
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _catalogue(body: CertificationBody) -> dict[str, tuple[str, object]]:
    """The body's projects and categories by code (without case): a project wins."""
    found: dict[str, tuple[str, object]] = {}
    for category in ProductCategory.objects.filter(body=body, is_active=True):
        found[category.code.casefold()] = ("category", category)
    for project in CertificationProject.objects.filter(body=body).select_related("category"):
        found[project.code.casefold()] = ("project", project)
    return found


def _leads(numbers: set[str], body: CertificationBody) -> dict[str, LeadAppointment]:
    """The leads in office by their person's ID number; this body's before any other's."""
    found: dict[str, LeadAppointment] = {}
    for chunk in _chunked(numbers):
        leads = LeadAppointment.objects.select_related("staff__person").filter(
            state=LeadAppointmentState.ACTIVE, staff__person__id_number__in=chunk
        )
        for lead in leads:
            number = lead.staff.person.id_number
            if number not in found or lead.body_id == body.pk:
                found[number] = lead
    return found


def _answers_for(scope: scopes.LeadScope, kind: str, item) -> bool:
    """Q-05: whether the row's lead answers for the row's project (and its category) or
    category, as the certificate will be written."""
    if kind == "project":
        return scope.answers_for(project=item, category=item.category)
    return scope.answers_for(project=None, category=item)


def _check_rows(
    rows: list[Mapping], *, body: CertificationBody
) -> tuple[list[CertificateRowReport], list[dict]]:
    """Every row checked; the ones without problems also as what to write."""
    resource = CertificateListResource()
    cleaned = [resource.clean_row(row) for row in rows]
    taken = set()
    for chunk in _chunked(values["number"] for values, _p in cleaned if values.get("number")):
        taken.update(Certificate.objects.filter(number__in=chunk).values_list("number", flat=True))
    catalogue = _catalogue(body)
    leads = _leads({values["lead"] for values, _p in cleaned if values.get("lead")}, body)
    scope_of = scopes.scopes_of(lead for lead in leads.values() if lead.body_id == body.pk)
    seen: dict[str, int] = {}
    reports, writes = [], []
    for index, (row, (values, problems)) in enumerate(zip(rows, cleaned, strict=True), start=1):
        report = CertificateRowReport(
            row=int(row.get("row") or index),
            number=str(values.get("number") or row.get("number") or "")[:60],
            product=str(values.get("product") or row.get("product") or "")[:80],
            state=values.get("state", ""),
            masked_lead_id_number=mask_id_number(str(row.get("lead") or "")[:40]),
        )
        reports.append(report)
        errors = report.errors
        for column, message in problems.items():
            errors.append(f"{COLUMN_LABELS[column]}: {message}")
        number = values.get("number")
        if number:
            if number in seen:
                errors.append(
                    _("The certificate number is already on row %(row)d of the file.")
                    % {"row": seen[number]}
                )
            else:
                seen[number] = report.row
            if number in taken:
                errors.append(_("The portal already holds a certificate with this number."))
        code = values.get("project")
        kind_and_item = catalogue.get(code.casefold()) if code else None
        if code and kind_and_item is None:
            errors.append(
                _(
                    "Project or category: “%(code)s” is the code of no certification project or "
                    "product category of this body."
                )
                % {"code": code[:40]}
            )
        elif kind_and_item is not None:
            report.project_label = str(kind_and_item[1])
        lead = leads.get(values["lead"]) if values.get("lead") else None
        if values.get("lead"):
            if lead is None:
                errors.append(
                    _("Responsible lead: no project quality lead in office has this ID number.")
                )
            elif lead.body_id != body.pk:
                errors.append(
                    _(
                        "Responsible lead: this person is a lead of another certification body, "
                        "not of this one (Q-05)."
                    )
                )
            else:
                report.lead_name = lead.staff.person.name
                if kind_and_item is not None and not _answers_for(
                    scope_of[lead.pk], *kind_and_item
                ):
                    errors.append(
                        _("Responsible lead: %(problem)s")
                        % {
                            "problem": scopes.outside_scope_problem(
                                lead, what=str(kind_and_item[1])
                            ).message
                        }
                    )
        if errors:
            continue
        kind, item = kind_and_item
        writes.append(
            {
                "number": number,
                "product": values["product"],
                "project": item if kind == "project" else None,
                "category": item if kind == "category" else item.category,
                "state": values["state"],
                "responsible_lead": lead,
            }
        )
    return reports, writes


def _write(writes: list[dict], *, body: CertificationBody, actor: User) -> int:
    now = timezone.now()
    certificates = [Certificate(body=body, state_changed_at=now, **values) for values in writes]
    try:
        with transaction.atomic():
            created = Certificate.objects.bulk_create(certificates, batch_size=CHUNK)
    except IntegrityError:
        # A certificate of one of these numbers was stored since the check: nothing is written.
        raise ValidationError(
            _("A certificate of this file was stored a moment ago; import the file again."),
            code="import_conflict",
        ) from None
    history_bulk_create(
        created,
        model=Certificate,
        user=actor,
        date=now,
        update=False,
        reason=_("Imported from the body's certificate list."),
    )
    return len(created)


@transaction.atomic
def certificates_import(
    *, body: CertificationBody, rows: Iterable[Mapping], actor: User, dry_run: bool
) -> CertificateImportReport:
    """Import a body's certificate list (rows as ``imports.read_certificate_rows`` gives
    them): a dry run reports every row and writes nothing; a real run writes every row, or
    nothing when any row has a problem (Q-05: a row without a lead is uncovered at once)."""
    require(
        permissions.can_manage_certificates(actor, body),
        _("The quality director or the body's administrator imports the body's certificates."),
    )
    if not dry_run:
        body = lock_body(body.pk)
    rows = list(rows)
    reports, writes = _check_rows(rows, body=body)
    report = CertificateImportReport(rows=reports, dry_run=dry_run)
    if dry_run:
        return report
    if not reports:
        raise ValidationError(_("The file holds no certificate."), code="import_empty")
    if report.error_rows:
        raise ValidationError(
            _("%(count)d rows have problems; nothing was imported. Correct the file and try again.")
            % {"count": len(report.error_rows)},
            code="import_has_errors",
        )
    report.imported = _write(writes, body=body, actor=actor)
    return report
