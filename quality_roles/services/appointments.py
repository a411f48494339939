"""The appointments to the two key roles (Q-01, Q-02, Q-03, Q-04, Q-06, Q-09).

The director: nominated by the body, authorised by its legal representative or actual
controller (recorded by the administrator), filed with the regulator, in office, ended. The
leads: nominated by the director in office, appointed by the body, ended. Every step locks
the body's row first, then the appointment, checks who acts, the state and the rules as they
stand at that moment, and refuses with the rule named.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import CertificationBody, User

from .. import permissions, rules
from ..constants import (
    DIRECTOR_OPEN_STATES,
    LEAD_CURRENT_STATES,
    REFERENCE_MAX_LENGTH,
    AuthoriserCapacity,
    DirectorAppointmentState,
    FilingKind,
)
from ..models import (
    BodyStaff,
    CertificationProject,
    DirectorAppointment,
    Filing,
    LeadAppointment,
    ProductCategory,
)
from ..rules import rule_problem
from ..selectors import governance_of
from .certificates import certificates_hand_over
from .common import (
    limited,
    lock_body,
    not_in_future,
    raise_problems,
    require,
    require_state,
    required_reason,
    today,
)
from .filings import director_details

# --- the quality director --------------------------------------------------------------------


def _lock_director(appointment: DirectorAppointment) -> DirectorAppointment:
    lock_body(appointment.body_id)
    return (
        DirectorAppointment.objects.select_for_update(of=("self",))
        .select_related("body", "staff__person")
        .get(pk=appointment.pk)
    )


def _lock_staff(staff: BodyStaff, body: CertificationBody) -> BodyStaff:
    staff = (
        BodyStaff.objects.select_for_update(of=("self",)).select_related("person").get(pk=staff.pk)
    )
    if staff.body_id != body.pk:
        raise ValidationError(
            {"staff": _("Choose a person on this certification body's staff.")},
            code="not_of_body",
        )
    return staff


def _active_director(body: CertificationBody) -> DirectorAppointment | None:
    return (
        DirectorAppointment.objects.select_for_update(of=("self",))
        .select_related("staff__person")
        .filter(body=body, state=DirectorAppointmentState.ACTIVE)
        .first()
    )


@transaction.atomic
def director_appointment_nominate(
    *, body: CertificationBody, staff: BodyStaff, actor: User, note: str = ""
) -> DirectorAppointment:
    """The body nominates a member of its top management who is not its legal representative
    (Q-02) and is eligible (Q-03); refused with every rule it fails."""
    require(permissions.can_nominate_director(actor, body))
    body = lock_body(body.pk)
    staff = _lock_staff(staff, body)
    problems = rules.director_problems(staff, governance=governance_of(body), on=today())
    if DirectorAppointment.objects.filter(staff=staff, state__in=DIRECTOR_OPEN_STATES).exists():
        problems.append(rule_problem("Q-01", _("this person is already nominated.")))
    current = _active_director(body)
    if current is not None and current.staff_id == staff.pk:
        problems.append(rule_problem("Q-01", _("this person is already the quality director.")))
    raise_problems(problems)
    appointment = DirectorAppointment(
        body=body, staff=staff, nominated_by=actor, nomination_note=limited(note, field="note")
    )
    appointment._history_user = actor
    appointment.save()
    return appointment


@transaction.atomic
def director_appointment_authorise(
    *,
    appointment: DirectorAppointment,
    actor: User,
    capacity: str,
    authorised_on: datetime.date,
    comment: str = "",
) -> DirectorAppointment:
    """Record the authorisation by the body's legal representative or actual controller, as
    the governance names them today (Q-02); the nominee is checked again (Q-02, Q-03)."""
    appointment = _lock_director(appointment)
    require(permissions.can_carry_director_appointment(actor, appointment))
    require_state(appointment, appointment.authorise, _("authorised"))
    not_in_future(authorised_on, field="authorised_on")
    capacity = AuthoriserCapacity(capacity)
    governance = governance_of(appointment.body)
    problems = rules.authoriser_problems(governance, capacity=capacity)
    authoriser = None
    if not problems:
        authoriser = (
            governance.legal_representative
            if capacity == AuthoriserCapacity.LEGAL_REPRESENTATIVE
            else governance.actual_controller
        )
        if authoriser.pk == appointment.staff.person_id:
            problems.append(rule_problem("Q-02", _("the nominee cannot authorise themself.")))
    problems += rules.director_problems(appointment.staff, governance=governance, on=today())
    raise_problems(problems)
    appointment.authorise(
        at=timezone.now(),
        by=actor,
        authoriser=authoriser,
        capacity=capacity,
        authorised_on=authorised_on,
        description=limited(comment),
    )
    appointment._history_user = actor
    appointment.save()
    return appointment


@transaction.atomic
def director_appointment_file(
    *,
    appointment: DirectorAppointment,
    actor: User,
    filed_on: datetime.date,
    reference: str = "",
    comment: str = "",
) -> DirectorAppointment:
    """Q-06: the body filed the director's details with the regulator's approval system; the
    filing is recorded with the details as filed."""
    appointment = _lock_director(appointment)
    require(permissions.can_carry_director_appointment(actor, appointment))
    require_state(appointment, appointment.file, _("filed"))
    not_in_future(filed_on, field="filed_on")
    if filed_on < appointment.authorised_on:
        raise ValidationError(
            {"filed_on": _("The filing cannot come before the authorisation.")},
            code="filed_before_authorised",
        )
    now = timezone.now()
    appointment.file(at=now, by=actor, filed_on=filed_on, description=limited(comment))
    appointment._history_user = actor
    appointment.save()
    filing = Filing(
        body_id=appointment.body_id,
        appointment=appointment,
        kind=FilingKind.APPOINTMENT,
        changed_on=appointment.authorised_on,
        details=director_details(appointment.staff),
        filed_on=filed_on,
        reference=limited(reference, field="reference", limit=REFERENCE_MAX_LENGTH),
        filed_recorded_by=actor,
        created_by=actor,
    )
    filing._history_user = actor
    filing.save()
    return appointment


@transaction.atomic
def director_appointment_activate(
    *,
    appointment: DirectorAppointment,
    actor: User,
    starts_on: datetime.date | None = None,
    comment: str = "",
) -> DirectorAppointment:
    """The filed director takes office; the director in office, if any, hands over in the
    same transaction (Q-01: one director per body, never none in between). The nominee is
    checked again on the day (Q-02, Q-03)."""
    appointment = _lock_director(appointment)
    require(permissions.can_carry_director_appointment(actor, appointment))
    require_state(appointment, appointment.activate, _("activated"))
    starts_on = starts_on or today()
    not_in_future(starts_on, field="starts_on")
    if starts_on < appointment.filed_on:
        raise ValidationError(
            {"starts_on": _("The director cannot take office before the filing (Q-06).")},
            code="starts_before_filing",
        )
    governance = governance_of(appointment.body)
    raise_problems(rules.director_problems(appointment.staff, governance=governance, on=today()))
    now = timezone.now()
    current = _active_director(appointment.body)
    if current is not None:
        # First out of office, then in: the database holds one active director.
        current.end(
            at=now,
            by=actor,
            ended_on=starts_on,
            reason=_("Succeeded by %(name)s.") % {"name": appointment.staff.person.name},
            successor=appointment,
            description=_("Handed over to the new quality director (Q-01)."),
        )
        current._history_user = actor
        current.save()
    appointment.activate(at=now, by=actor, starts_on=starts_on, description=limited(comment))
    appointment._history_user = actor
    appointment.save()
    return appointment


@transaction.atomic
def director_appointment_end(
    *,
    appointment: DirectorAppointment,
    actor: User,
    reason: str,
    ended_on: datetime.date | None = None,
) -> DirectorAppointment:
    """The director leaves office (resignation, removal ...) with a reason. The body then has
    no director until the next one takes office, which its pages show (Q-01)."""
    appointment = _lock_director(appointment)
    require(permissions.can_carry_director_appointment(actor, appointment))
    require_state(appointment, appointment.end, _("ended"))
    reason = required_reason(reason)
    ended_on = ended_on or today()
    not_in_future(ended_on, field="ended_on")
    if ended_on < appointment.starts_on:
        raise ValidationError(
            {"ended_on": _("The appointment cannot end before it started.")},
            code="ends_before_start",
        )
    appointment.end(at=timezone.now(), by=actor, ended_on=ended_on, reason=reason)
    appointment._history_user = actor
    appointment.save()
    return appointment


@transaction.atomic
def director_appointment_withdraw(
    *, appointment: DirectorAppointment, actor: User, reason: str
) -> DirectorAppointment:
    """A nomination that will not take office is closed with a reason (never deleted)."""
    appointment = _lock_director(appointment)
    require(permissions.can_carry_director_appointment(actor, appointment))
    require_state(appointment, appointment.withdraw, _("withdrawn"))
    reason = required_reason(reason)
    appointment.withdraw(at=timezone.now(), by=actor, reason=reason, description=reason)
    appointment._history_user = actor
    appointment.save()
    return appointment


# --- the project quality leads ---------------------------------------------------------------


def _lock_lead(appointment: LeadAppointment) -> LeadAppointment:
    lock_body(appointment.body_id)
    return (
        LeadAppointment.objects.select_for_update(of=("self",))
        .select_related("body", "staff__person")
        .get(pk=appointment.pk)
    )


def _responsibilities(
    body: CertificationBody,
    projects: Iterable[CertificationProject],
    categories: Iterable[ProductCategory],
) -> tuple[list[CertificationProject], list[ProductCategory]]:
    projects, categories = list(projects), list(categories)
    if not projects and not categories:
        raise ValidationError(
            {
                "projects": _(
                    "Name the certification projects or product categories the lead is "
                    "responsible for (Q-09)."
                )
            },
            code="no_responsibility",
        )
    if any(p.body_id != body.pk for p in projects) or any(c.body_id != body.pk for c in categories):
        raise ValidationError(
            {"projects": _("Choose projects and categories of this certification body.")},
            code="not_of_body",
        )
    return projects, categories


@transaction.atomic
def lead_appointment_nominate(
    *,
    body: CertificationBody,
    staff: BodyStaff,
    actor: User,
    projects: Iterable[CertificationProject] = (),
    product_categories: Iterable[ProductCategory] = (),
    note: str = "",
) -> LeadAppointment:
    """Q-09: the director in office nominates an eligible person (Q-04) as project quality
    lead for named projects or product categories."""
    director = permissions.active_director_of(actor, body)
    require(
        director is not None,
        _("Only the body's quality director in office nominates project quality leads (Q-09)."),
    )
    body = lock_body(body.pk)
    staff = _lock_staff(staff, body)
    projects, categories = _responsibilities(body, projects, product_categories)
    problems = rules.lead_problems(staff, director_staff=director.staff, on=today())
    if LeadAppointment.objects.filter(staff=staff, state__in=LEAD_CURRENT_STATES).exists():
        problems.append(
            rule_problem("Q-09", _("this person is already a lead or nominated as one."))
        )
    raise_problems(problems)
    appointment = LeadAppointment(
        body=body,
        staff=staff,
        nominated_under=director,
        nominated_by=actor,
        nomination_note=limited(note, field="note"),
    )
    appointment._history_user = actor
    appointment.save()
    appointment.projects.set(projects)
    appointment.product_categories.set(categories)
    return appointment


@transaction.atomic
def lead_appointment_activate(
    *,
    appointment: LeadAppointment,
    actor: User,
    starts_on: datetime.date | None = None,
    comment: str = "",
) -> LeadAppointment:
    """The body appoints the lead its director nominated, checked again on the day (Q-04)."""
    appointment = _lock_lead(appointment)
    require(permissions.can_activate_lead(actor, appointment))
    require_state(appointment, appointment.activate, _("activated"))
    starts_on = starts_on or today()
    not_in_future(starts_on, field="starts_on")
    director = _active_director(appointment.body)
    raise_problems(
        rules.lead_problems(
            appointment.staff,
            director_staff=director.staff if director is not None else None,
            on=today(),
        )
    )
    appointment.activate(
        at=timezone.now(), by=actor, starts_on=starts_on, description=limited(comment)
    )
    appointment._history_user = actor
    appointment.save()
    return appointment


@transaction.atomic
def lead_appointment_end(
    *,
    appointment: LeadAppointment,
    actor: User,
    reason: str,
    ended_on: datetime.date | None = None,
    successor: LeadAppointment | None = None,
    leave_uncovered: bool = False,
) -> LeadAppointment:
    """The lead leaves the post, ended by the director who reviews the leads (Q-09) or by
    the body's administrator, with a reason; the lead's certificates go to the successor in
    the same transaction, or are left uncovered only when the actor says so (Q-05)."""
    appointment = _lock_lead(appointment)
    require(
        permissions.can_end_lead(actor, appointment),
        _("The quality director or the body's administrator ends a lead's appointment (Q-09)."),
    )
    require_state(appointment, appointment.end, _("ended"))
    reason = required_reason(reason)
    ended_on = ended_on or today()
    not_in_future(ended_on, field="ended_on")
    if ended_on < appointment.starts_on:
        raise ValidationError(
            {"ended_on": _("The appointment cannot end before it started.")},
            code="ends_before_start",
        )
    handed_over = certificates_hand_over(
        appointment=appointment, successor=successor, leave_uncovered=leave_uncovered, actor=actor
    )
    appointment.end(
        at=timezone.now(),
        by=actor,
        ended_on=ended_on,
        reason=reason,
        successor=successor,
        description=_("%(count)d certificates handed over to the successor (Q-05).")
        % {"count": handed_over}
        if handed_over
        else None,
    )
    appointment._history_user = actor
    appointment.save()
    return appointment


@transaction.atomic
def lead_appointment_withdraw(
    *, appointment: LeadAppointment, actor: User, reason: str
) -> LeadAppointment:
    """A nomination that will not take office is closed with a reason (never deleted)."""
    appointment = _lock_lead(appointment)
    require(
        permissions.can_end_lead(actor, appointment),
        _("The quality director or the body's administrator withdraws a nomination (Q-09)."),
    )
    require_state(appointment, appointment.withdraw, _("withdrawn"))
    reason = required_reason(reason)
    appointment.withdraw(at=timezone.now(), by=actor, reason=reason, description=reason)
    appointment._history_user = actor
    appointment.save()
    return appointment
