"""What an application must hold before it is submitted (L-01..L-05), all problems at once."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqcportal.periods import has_years, years_complete_on
from directory.constants import Education
from directory.idnumbers import validate_id_number

from .constants import MIN_WORK_EXPERIENCE_YEARS, AssessmentItemKind, MaterialKind

#: L-07: a return or a rejection carries a reason (``cqcportal.limits.clean_reason``).
REASON_REQUIRED = gettext_lazy("A reason is required (L-07).")

#: L-01: associate degree (大专) or higher.
ELIGIBLE_EDUCATION = frozenset({Education.ASSOCIATE, Education.BACHELOR, Education.POSTGRADUATE})


def _problem(rule: str, message: str) -> ValidationError:
    return ValidationError(
        _("%(rule)s: %(message)s") % {"rule": rule, "message": message}, code=rule
    )


def education_problems(person) -> list[ValidationError]:
    if person.education and person.education not in ELIGIBLE_EDUCATION:
        return [_problem("L-01", _("an associate degree (大专) or higher is required."))]
    return []


def experience_problems(work_started_on, *, today: datetime.date) -> list[ValidationError]:
    """L-01: at least one year (含) of work experience, in calendar years, on ``today``."""
    years = MIN_WORK_EXPERIENCE_YEARS
    if not work_started_on or has_years(work_started_on, years=years, on=today):
        return []
    complete_on = years_complete_on(work_started_on, years=years)
    return [
        _problem(
            "L-01",
            _("at least one year of work experience is required; one year is complete on %(date)s.")
            % {"date": complete_on.isoformat()},
        )
    ]


def recommendation_problems(application) -> list[ValidationError]:
    """L-03: every entry of the recommendation form filled; ID number and e-mail valid.

    The entries are the applicant's data as the application states them (``Applicant``)."""
    person = application.applicant
    required = [
        (person.name, _("the applicant's name")),
        (person.political_status, _("the political status")),
        (person.education, _("the education")),
        (person.major, _("the major")),
        (person.phone, _("the phone number")),
        (person.email, _("the e-mail address")),
        (person.work_unit, _("the work unit")),
        (person.address, _("the address")),
        (application.work_started_on, _("the date work started")),
        (application.work_history, _("the work history")),
        (application.recommendation, _("the lab's recommendation")),
        (application.lab_signatory, _("who signs for the lab")),
    ]
    problems = [
        _problem("L-03", _("the recommendation form lacks %(item)s.") % {"item": label})
        for value, label in required
        if not value or (isinstance(value, str) and not value.strip())
    ]
    try:
        validate_id_number(person.id_number)
    except ValidationError:
        problems.append(_problem("L-03", _("the ID number is not valid.")))
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError:
            problems.append(_problem("L-03", _("the e-mail address is not valid.")))
    return problems


def business_scope(lab) -> set[str]:
    """The codes of the lab's CQC business scope: the fields its liaisons may hold (L-05).
    Reads a prefetched ``business_scope`` when there is one."""
    return {field.code for field in lab.business_scope.all()}


def fields_outside_scope(codes: Iterable[str], scope: Iterable[str]) -> list[str]:
    """L-05: those of ``codes``, in their order, that are not in ``scope`` (a lab's business
    scope, ``business_scope``): what a liaison of that lab may not apply for or hold."""
    scope = set(scope)
    return [code for code in codes if code not in scope]


def field_problems(application, field_codes: set[str]) -> list[ValidationError]:
    """L-05: at least one field, all of them in the lab's CQC business scope."""
    if not field_codes:
        return [_problem("L-05", _("no certification field is applied for."))]
    outside = fields_outside_scope(sorted(field_codes), business_scope(application.lab))
    if outside:
        return [
            _problem(
                "L-05",
                _("%(fields)s is not in the lab's CQC business scope.")
                % {"fields": ", ".join(outside)},
            )
        ]
    return []


def assessment_problems(application, field_codes: set[str]) -> list[ValidationError]:
    """L-04: three prescribed items first, then one entry per field, all evaluated and signed."""
    entries = list(application.assessment_entries.select_related("field").order_by("position"))
    problems = []
    prescribed = [e for e in entries if e.kind == AssessmentItemKind.PRESCRIBED]
    if len(prescribed) != 3 or any(e.kind != AssessmentItemKind.PRESCRIBED for e in entries[:3]):
        problems.append(
            _problem("L-04", _("the record must start with the three CQC-prescribed items."))
        )
    trained = {e.field_id for e in entries if e.kind == AssessmentItemKind.FIELD}
    for code in sorted(field_codes - trained):
        problems.append(
            _problem("L-04", _("the field %(field)s has no training entry.") % {"field": code})
        )
    unsigned = [e for e in entries if not e.evaluation.strip() or not e.signatory.strip()]
    for entry in unsigned:
        problems.append(
            _problem(
                "L-04",
                _("“%(item)s” is not evaluated and signed by the lab.") % {"item": entry.content},
            )
        )
    return problems


def material_problems(application) -> list[ValidationError]:
    """L-02: the five materials and the declaration."""
    present = set(application.materials.values_list("kind", flat=True))
    problems = [
        _problem("L-02", _("the material “%(kind)s” is missing.") % {"kind": kind.label})
        for kind in MaterialKind
        if kind not in present
    ]
    if not application.declaration_accepted:
        problems.append(
            _problem("L-02", _("the impartiality and confidentiality declaration is not accepted."))
        )
    return problems


def application_problems(application, *, today: datetime.date) -> list[ValidationError]:
    """Every missing or wrong item of an application, in rule order."""
    field_codes = set(application.fields.values_list("code", flat=True))
    problems = [
        *education_problems(application.applicant),
        *experience_problems(application.work_started_on, today=today),
        *material_problems(application),
        *recommendation_problems(application),
        *assessment_problems(application, field_codes),
        *field_problems(application, field_codes),
    ]
    return problems
