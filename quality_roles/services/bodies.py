"""A body's governance, staff and catalogue: kept by its administrator (Q-02, Q-06)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from directory.models import CertificationBody, Person, User

from .. import permissions
from ..constants import DIRECTOR_OPEN_STATES, DirectorAppointmentState
from ..models import (
    BodyGovernance,
    BodyStaff,
    CertificationProject,
    DirectorAppointment,
    ProductCategory,
)
from ..rules import rule_problem
from .common import lock_body, raise_problems, require, today
from .filings import director_details_changed

#: What the administrator records of a staff member (the degree is the person's education).
STAFF_FIELDS = (
    "position",
    "full_time_work_since",
    "professional_work_since",
    "title_level",
    "is_top_management",
    "is_management_representative",
    "is_quality_manager",
    "left_on",
)


def _require_of_body(person: Person | None, body: CertificationBody, field: str) -> None:
    if person is not None and person.body_id != body.pk:
        raise ValidationError(
            {field: _("Choose a person of this certification body.")}, code="not_of_body"
        )


@transaction.atomic
def body_governance_set(
    *,
    body: CertificationBody,
    actor: User,
    legal_representative: Person | None,
    actual_controller: Person | None,
) -> BodyGovernance:
    """Record who is the body's legal representative and actual controller (Q-02).

    Refused when the legal representative would be the director in office or a nominee for
    the post: the legal representative may not be the quality director (Q-02).
    """
    require(permissions.can_manage_body(actor, body))
    body = lock_body(body.pk)
    _require_of_body(legal_representative, body, "legal_representative")
    _require_of_body(actual_controller, body, "actual_controller")
    if (
        legal_representative is not None
        and DirectorAppointment.objects.filter(
            body=body,
            staff__person=legal_representative,
            state__in=[*DIRECTOR_OPEN_STATES, DirectorAppointmentState.ACTIVE],
        ).exists()
    ):
        raise_problems(
            [
                rule_problem(
                    "Q-02",
                    _(
                        "%(name)s is the quality director or nominated for the post, and the "
                        "legal representative may not be the quality director."
                    )
                    % {"name": legal_representative.name},
                )
            ]
        )
    governance, _created = BodyGovernance.objects.select_for_update().get_or_create(body=body)
    governance.legal_representative = legal_representative
    governance.actual_controller = actual_controller
    governance.updated_by = actor
    governance._history_user = actor
    governance.save()
    return governance


@transaction.atomic
def body_staff_add(*, body: CertificationBody, person: Person, actor: User, **fields) -> BodyStaff:
    """A person of the body (P-01) becomes one of its staff, with what the key roles'
    eligibility is judged on (Q-03, Q-04)."""
    require(permissions.can_manage_body(actor, body))
    body = lock_body(body.pk)
    _require_of_body(person, body, "person")
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"body_staff_add got unexpected fields: {sorted(unknown)}")
    if BodyStaff.objects.filter(body=body, person=person).exists():
        raise ValidationError(
            {"person": _("This person is already on the body's staff.")}, code="staff_exists"
        )
    staff = BodyStaff(body=body, person=person, created_by=actor, **fields)
    staff.full_clean()
    staff._history_user = actor
    try:
        with transaction.atomic():
            staff.save()
    except IntegrityError as error:  # the same person added twice at the same moment
        raise ValidationError(
            {"person": _("This person is already on the body's staff.")}, code="staff_exists"
        ) from error
    return staff


@transaction.atomic
def body_staff_update(
    *, staff: BodyStaff, actor: User, changed_on: datetime.date | None = None, **changes
) -> BodyStaff:
    """Change what the body records of a staff member.

    The director in office stays a member of top management (Q-02); a change of the
    director's filed details is due for filing within 30 days (Q-06).
    """
    require(permissions.can_manage_body(actor, staff.body))
    lock_body(staff.body_id)
    staff = (
        BodyStaff.objects.select_for_update(of=("self",)).select_related("person").get(pk=staff.pk)
    )
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"body_staff_update got unexpected fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(staff, name, value)
    staff.full_clean()
    director = DirectorAppointment.objects.filter(
        staff=staff, state=DirectorAppointmentState.ACTIVE
    ).first()
    if director is not None:
        problems = []
        if not staff.is_top_management:
            problems.append(
                rule_problem(
                    "Q-02",
                    _("the quality director in office must stay a member of top management."),
                )
            )
        if staff.left_on is not None:
            problems.append(
                rule_problem("Q-01", _("end the director's appointment before the person leaves."))
            )
        raise_problems(problems)
    staff._history_user = actor
    staff.save()
    if director is not None:
        director_details_changed(
            appointment=director, actor=actor, changed_on=changed_on or today()
        )
    return staff


@transaction.atomic
def product_category_create(
    *, body: CertificationBody, actor: User, code: str, name: str
) -> ProductCategory:
    """A product category the body certifies, that leads may answer for (Q-09)."""
    require(permissions.can_manage_body(actor, body))
    category = ProductCategory(body=body, code=code.strip(), name=name.strip())
    category.full_clean()
    category._history_user = actor
    category.save()
    return category


def _project_checked(project: CertificationProject) -> None:
    """Q-09: a project's code names it once in its body, whatever the case (the certificate
    import finds projects by code without case), within the lengths of its fields."""
    project.code, project.name = project.code.strip(), project.name.strip()
    if project.category is not None and project.category.body_id != project.body_id:
        raise ValidationError(
            {"category": _("Choose a category of this certification body.")},
            code="not_of_body",
        )
    same_code = CertificationProject.objects.filter(
        body_id=project.body_id, code__iexact=project.code
    ).exclude(pk=project.pk)
    if project.code and same_code.exists():
        raise ValidationError(
            {
                "code": _("Another project of this body has the code “%(code)s”.")
                % {"code": project.code}
            },
            code="project_code_taken",
        )
    project.full_clean(exclude=["state"])  # a protected FSM field


def _project_saved(project: CertificationProject, actor: User) -> CertificationProject:
    project._history_user = actor
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as error:  # the same code stored at the same moment
        raise ValidationError(
            {
                "code": _("Another project of this body has the code “%(code)s”.")
                % {"code": project.code}
            },
            code="project_code_taken",
        ) from error
    return project


@transaction.atomic
def certification_project_create(
    *,
    body: CertificationBody,
    actor: User,
    code: str,
    name: str,
    category: ProductCategory | None = None,
) -> CertificationProject:
    """A certification project of the body, that a lead answers for (Q-09): by its
    administrator or its director in office."""
    require(permissions.can_manage_projects(actor, body))
    project = CertificationProject(body=body, code=code or "", name=name or "", category=category)
    _project_checked(project)
    return _project_saved(project, actor)


@transaction.atomic
def certification_project_update(
    *,
    project: CertificationProject,
    actor: User,
    code: str,
    name: str,
    category: ProductCategory | None,
) -> CertificationProject:
    """Change a project's code, name or category (its state is the director's, Q-08): by the
    body's administrator or its director in office. The change is in its history."""
    require(permissions.can_manage_projects(actor, project.body))
    project = CertificationProject.objects.select_for_update().get(pk=project.pk)
    project.code, project.name, project.category = code or "", name or "", category
    _project_checked(project)
    return _project_saved(project, actor)
