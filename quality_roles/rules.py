"""Who may hold the two key roles (Q-02, Q-03, Q-04, Q-09): every problem at once, each with
its rule id and a sentence the user can act on.

Years of work are calendar years counted by ``cqcportal.periods``, the helper L-01 uses, so a
person has six years on the sixth anniversary of the day work started, and not the day before.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cqcportal.periods import full_years_between, has_years, years_complete_on
from directory.constants import Education

from .constants import QUALIFYING_TITLES, AuthoriserCapacity, KeyRole


@dataclass(frozen=True)
class Requirement:
    """Years of full-time work, and of professional work (or an intermediate title) within it."""

    full_time_years: int
    professional_years: int


#: Q-03 (art. 4 (二)) and Q-04 (art. 8 (二)), by degree; any other degree is refused.
REQUIREMENTS: dict[str, dict[str, Requirement]] = {
    KeyRole.DIRECTOR: {
        Education.POSTGRADUATE: Requirement(full_time_years=6, professional_years=4),
        Education.BACHELOR: Requirement(full_time_years=8, professional_years=6),
    },
    KeyRole.LEAD: {
        Education.POSTGRADUATE: Requirement(full_time_years=4, professional_years=2),
        Education.BACHELOR: Requirement(full_time_years=6, professional_years=4),
    },
}

#: The rule each role's eligibility comes from.
ELIGIBILITY_RULE = {KeyRole.DIRECTOR: "Q-03", KeyRole.LEAD: "Q-04"}


def rule_problem(rule: str, message: str) -> ValidationError:
    """A refusal that names its rule: "Q-03: needs 2 more years of full-time work ..."."""
    return ValidationError(
        _("%(rule)s: %(message)s") % {"rule": rule, "message": message}, code=rule
    )


def _missing_years(start: datetime.date, *, years: int, on: datetime.date) -> tuple[int, str]:
    """How many more years are needed, and the date on which they are complete."""
    return years - full_years_between(start, on), years_complete_on(start, years=years).isoformat()


def eligibility_problems(
    *,
    role: str,
    education: str,
    full_time_work_since: datetime.date | None,
    professional_work_since: datetime.date | None,
    title_level: str,
    on: datetime.date,
) -> list[ValidationError]:
    """What keeps a person from the key role ``role`` on the date ``on`` (Q-03 for the
    director, Q-04 for a lead): the degree; the years of full-time work; the years of
    professional work within it, unless an intermediate or higher title stands in for them.

    Each problem says which condition is missing and by how much ("needs 2 more years of
    full-time work (until 2027-03-01)"). An empty list: eligible.
    """
    rule = ELIGIBILITY_RULE[role]
    requirement = REQUIREMENTS[role].get(education)
    if requirement is None:
        if not education:
            return [
                rule_problem(
                    rule,
                    _("the education is not on record; a bachelor's degree or higher is required."),
                )
            ]
        return [
            rule_problem(
                rule,
                _("a bachelor's degree or higher is required (on record: %(education)s).")
                % {"education": Education(education).label},
            )
        ]
    problems = []
    needed = requirement.full_time_years
    if full_time_work_since is None:
        problems.append(
            rule_problem(
                rule,
                ngettext(
                    "the date full-time work started is not on record "
                    "(%(years)d year of full-time work is required).",
                    "the date full-time work started is not on record "
                    "(%(years)d years of full-time work are required).",
                    needed,
                )
                % {"years": needed},
            )
        )
    elif not has_years(full_time_work_since, years=needed, on=on):
        more, until = _missing_years(full_time_work_since, years=needed, on=on)
        problems.append(
            rule_problem(
                rule,
                ngettext(
                    "needs %(count)d more year of full-time work (until %(date)s).",
                    "needs %(count)d more years of full-time work (until %(date)s).",
                    more,
                )
                % {"count": more, "date": until},
            )
        )
    if title_level in QUALIFYING_TITLES:
        return problems
    needed = requirement.professional_years
    if professional_work_since is None:
        problems.append(
            rule_problem(
                rule,
                ngettext(
                    "no professional work is on record: %(years)d year of professional work "
                    "or an intermediate or higher title is required.",
                    "no professional work is on record: %(years)d years of professional work "
                    "or an intermediate or higher title are required.",
                    needed,
                )
                % {"years": needed},
            )
        )
    elif not has_years(professional_work_since, years=needed, on=on):
        more, until = _missing_years(professional_work_since, years=needed, on=on)
        problems.append(
            rule_problem(
                rule,
                ngettext(
                    "needs %(count)d more year of professional work (until %(date)s) "
                    "or an intermediate or higher title.",
                    "needs %(count)d more years of professional work (until %(date)s) "
                    "or an intermediate or higher title.",
                    more,
                )
                % {"count": more, "date": until},
            )
        )
    return problems


def staff_eligibility_problems(staff, *, role: str, on: datetime.date) -> list[ValidationError]:
    """``eligibility_problems`` of a body's staff member; the degree is the person's
    education (P-01)."""
    return eligibility_problems(
        role=role,
        education=staff.person.education,
        full_time_work_since=staff.full_time_work_since,
        professional_work_since=staff.professional_work_since,
        title_level=staff.title_level,
        on=on,
    )


def director_problems(staff, *, governance, on: datetime.date) -> list[ValidationError]:
    """Everything that keeps ``staff`` from being the body's quality director on ``on``:
    Q-02 (a member of top management, not the legal representative) and Q-03."""
    problems = []
    if staff.left_on is not None:
        problems.append(rule_problem("Q-02", _("the person no longer works for the body.")))
    if not staff.is_top_management:
        problems.append(
            rule_problem(
                "Q-02", _("the quality director must be a member of the body's top management.")
            )
        )
    if governance is not None and governance.legal_representative_id == staff.person_id:
        problems.append(
            rule_problem("Q-02", _("the legal representative may not be the quality director."))
        )
    if staff.permissions_suspended_at is not None:
        problems.append(
            rule_problem(
                "Q-12", _("the person's permissions are suspended by an accountability case.")
            )
        )
    return problems + staff_eligibility_problems(staff, role=KeyRole.DIRECTOR, on=on)


def lead_problems(staff, *, director_staff, on: datetime.date) -> list[ValidationError]:
    """Everything that keeps ``staff`` from being a project quality lead on ``on``: Q-04, and
    a lead reports to the director (Q-09), so the director is not their own lead."""
    problems = []
    if staff.left_on is not None:
        problems.append(rule_problem("Q-04", _("the person no longer works for the body.")))
    if director_staff is not None and director_staff.pk == staff.pk:
        problems.append(
            rule_problem(
                "Q-09", _("a lead reports to the quality director, who cannot be a lead too.")
            )
        )
    if staff.permissions_suspended_at is not None:
        problems.append(
            rule_problem(
                "Q-12", _("the person's permissions are suspended by an accountability case.")
            )
        )
    return problems + staff_eligibility_problems(staff, role=KeyRole.LEAD, on=on)


def authoriser_problems(governance, *, capacity: str) -> list[ValidationError]:
    """Q-02: the director is authorised by the legal representative or the actual controller
    on record for the body."""
    person_id = None
    if governance is not None:
        person_id = (
            governance.legal_representative_id
            if capacity == AuthoriserCapacity.LEGAL_REPRESENTATIVE
            else governance.actual_controller_id
        )
    if person_id is None:
        if capacity == AuthoriserCapacity.LEGAL_REPRESENTATIVE:
            message = _("no legal representative is on record: record it in the governance first.")
        else:
            message = _("no actual controller is on record: record it in the governance first.")
        return [rule_problem("Q-02", message)]
    return []
