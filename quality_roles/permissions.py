"""Who may do what in the quality roles, in one place (Q-01, Q-02, Q-09, Q-12, Q-13).

The body's administrator keeps its governance and staff and carries the director's
appointment through its steps; the body's active quality director nominates the project
quality leads (Q-09); the regulator's inspectors read every body and write nothing but
assessments (Q-13). A key role acts through the portal account of the person holding it
(``Person.user``), and not while an accountability case suspends the person (Q-12).
"""

from directory.constants import Role

from .constants import DirectorAppointmentState, LeadAppointmentState
from .models import DirectorAppointment, LeadAppointment


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_suspended_in(user, body) -> bool:
    """Q-12: the user's person works for the body and an accountability case suspended the
    person's permissions there. The one check every role of the body passes through: the key
    roles below filter on it, and the administrator's is refused by it."""
    from .models import BodyStaff

    return BodyStaff.objects.filter(
        body=body, person__user=user, permissions_suspended_at__isnull=False
    ).exists()


def is_body_admin(user, body) -> bool:
    """The administrator of this very body, not suspended (Q-12)."""
    return (
        _active(user)
        and user.role == Role.BODY_ADMIN
        and user.body_id == body.pk
        and not is_suspended_in(user, body)
    )


def is_inspector(user) -> bool:
    return _active(user) and user.role == Role.REGULATOR_INSPECTOR


def active_director_of(user, body) -> DirectorAppointment | None:
    """The body's active director appointment when ``user`` is the account of the person
    holding it and not suspended (Q-01, Q-12); else ``None``."""
    if not (_active(user) and user.role == Role.QUALITY_DIRECTOR and user.body_id == body.pk):
        return None
    return (
        DirectorAppointment.objects.filter(
            body=body,
            state=DirectorAppointmentState.ACTIVE,
            staff__person__user=user,
            staff__permissions_suspended_at__isnull=True,
        )
        .select_related("staff__person")
        .first()
    )


def active_lead_of(user, body) -> LeadAppointment | None:
    """The active lead appointment ``user``'s person holds in the body, not suspended."""
    if not (_active(user) and user.role == Role.PROJECT_QUALITY_LEAD and user.body_id == body.pk):
        return None
    return (
        LeadAppointment.objects.filter(
            body=body,
            state=LeadAppointmentState.ACTIVE,
            staff__person__user=user,
            staff__permissions_suspended_at__isnull=True,
        )
        .select_related("staff__person")
        .first()
    )


def can_manage_body(user, body) -> bool:
    """The body's governance, staff and product categories: its administrator."""
    return is_body_admin(user, body)


def can_manage_projects(user, body) -> bool:
    """The body's certification projects (name, code, category): its administrator or its
    director in office (Q-09: the director answers for the leads of the projects); a lead
    answers for projects and creates none, and the regulator's inspectors only read them."""
    return is_body_admin(user, body) or active_director_of(user, body) is not None


def can_nominate_director(user, body) -> bool:
    """The body nominates its director; the authorisation follows (Q-02)."""
    return is_body_admin(user, body)


def can_carry_director_appointment(user, appointment) -> bool:
    """Authorisation (recorded for the legal representative or the actual controller, Q-02),
    filing (Q-06), taking office, ending, withdrawing: the body's administrator."""
    return is_body_admin(user, appointment.body)


def director_actions(user, appointment) -> list[str]:
    """The steps ``user`` may take on a director appointment now, by name."""
    if not can_carry_director_appointment(user, appointment):
        return []
    S = DirectorAppointmentState
    return {
        S.NOMINATED: ["authorise", "withdraw"],
        S.AUTHORISED: ["file", "withdraw"],
        S.FILED: ["activate", "withdraw"],
        S.ACTIVE: ["end"],
    }.get(appointment.state, [])


def can_nominate_lead(user, body) -> bool:
    """Q-09: the body's active quality director nominates the project quality leads."""
    return active_director_of(user, body) is not None


def can_activate_lead(user, appointment) -> bool:
    """The body appoints the lead its director nominated (art. 8): its administrator."""
    return is_body_admin(user, appointment.body)


def can_end_lead(user, appointment) -> bool:
    """The director, who reviews the leads (Q-09), or the body's administrator."""
    return is_body_admin(user, appointment.body) or can_nominate_lead(user, appointment.body)


def lead_actions(user, appointment) -> list[str]:
    """The steps ``user`` may take on a lead appointment now, by name."""
    S = LeadAppointmentState
    actions = []
    if appointment.state == S.NOMINATED:
        if can_activate_lead(user, appointment):
            actions.append("activate")
        if can_end_lead(user, appointment):
            actions.append("withdraw")
    elif appointment.state == S.ACTIVE and can_end_lead(user, appointment):
        actions.append("end")
    return actions


def can_record_filing(user, filing) -> bool:
    """Q-06: the body files its director's details; its administrator records it."""
    return is_body_admin(user, filing.body)


# --- incidents, the director's powers, external labs (Q-07, Q-08, Q-10) -----------------------


def can_record_incident(user, body) -> bool:
    """Q-07: a lead who learns of a major event reports it to the director; the director
    records what they learned of themself."""
    return active_lead_of(user, body) is not None or active_director_of(user, body) is not None


def can_report_incident(user, incident) -> bool:
    """Q-07: the director in office reports to the regulator (and closes the incident)."""
    return active_director_of(user, incident.body) is not None


def can_use_director_powers(user, body) -> bool:
    """Q-08: spot checks, rectification orders, pausing a project, suspending a certificate
    or the body's activities: the body's active director alone, with no other approval."""
    return active_director_of(user, body) is not None


def can_report_rectification_done(user, order) -> bool:
    """Q-08: the owner of a spot check's rectification order (through their account) or the
    director reports its actions done."""
    if order.source != "spot_check":
        return False
    if can_use_director_powers(user, order.body):
        return True
    owner = order.owner
    return bool(
        owner is not None
        and _active(user)
        and user.body_id == order.body_id
        and owner.person.user_id == user.pk
        and owner.permissions_suspended_at is None
    )


def can_manage_external_labs(user, body) -> bool:
    """Q-10: the labs a body's projects work with are registered by its administrator or its
    director."""
    return is_body_admin(user, body) or active_director_of(user, body) is not None


def lead_for_project(user, project):
    """Q-10: the active lead appointment of ``user`` responsible for ``project`` (by the
    project or its product category), or ``None``."""
    lead = active_lead_of(user, project.body)
    if lead is None:
        return None
    if lead.projects.filter(pk=project.pk).exists():
        return lead
    if project.category_id and lead.product_categories.filter(pk=project.category_id).exists():
        return lead
    return None


def can_propose_resumption(user, cooperation) -> bool:
    """Q-10: a paused cooperation's resumption is proposed by the project's lead or by the
    body's director in office; the director decides it either way."""
    return (
        lead_for_project(user, cooperation.project) is not None
        or active_director_of(user, cooperation.body) is not None
    )


def can_decide_cooperation_proposal(user, proposal) -> bool:
    """Q-10: the director approves (or refuses) a lead's proposal; a lead never does."""
    return active_director_of(user, proposal.cooperation.body) is not None


def can_write_assessment(user) -> bool:
    """Q-13: the one thing the regulator's inspectors write."""
    return is_inspector(user)


def can_manage_certificates(user, body) -> bool:
    """Q-05: the body's director in office or its administrator assigns a certificate's
    responsible lead and imports certificates; a lead answers for certificates and assigns
    none, and the regulator's inspectors only read them."""
    return is_body_admin(user, body) or active_director_of(user, body) is not None


# --- advice, accountability, the regulator (Q-11, Q-12, Q-13) ---------------------------------


def can_give_advice(user, body) -> bool:
    """Q-11: the director in office gives management written advice."""
    return active_director_of(user, body) is not None


def can_record_advice_answer(user, advice) -> bool:
    """Q-11: management's answer is recorded by the body's administrator."""
    return is_body_admin(user, advice.body)


def can_handle_case(user, body) -> bool:
    """Q-12: the body (its administrator) opens, investigates and decides a case."""
    return is_body_admin(user, body)


def can_publish_assessment(user, assessment) -> bool:
    """Q-13: the inspectors publish the assessments they record."""
    return is_inspector(user)


def can_report_rectification(user, order) -> bool:
    """Q-13: the body reports the actions of an assessment's rectification done: its
    administrator or its director in office."""
    return is_body_admin(user, order.body) or active_director_of(user, order.body) is not None


def can_check_rectification(user, order) -> bool:
    """Q-13: the regulator checks that an assessment's rectification worked, as part of the
    assessment (the one thing inspectors write)."""
    return is_inspector(user) and order.assessment_id is not None
