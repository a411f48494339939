"""Who may do what to which liaison object, in one place (L-07, L-10, L-12, P-03)."""

from directory.constants import CQC_WIDE_ROLES, Role
from directory.selectors import labs_with_active_staff

from .constants import ApplicationState


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_prepare_for_lab(user, lab) -> bool:
    """Lab staff prepare their own lab's applications (L-07)."""
    return _active(user) and user.role == Role.LAB_STAFF and user.lab_id == lab.pk


def can_edit_application(user, application) -> bool:
    return can_prepare_for_lab(user, application.lab) and application.is_editable


def can_review(user, application) -> bool:
    """The branch centre of the application's lab checks the materials (L-07)."""
    return (
        _active(user)
        and user.role == Role.BRANCH_REVIEWER
        and user.branch_id == application.lab.branch_id
    )


def is_training_centre(user) -> bool:
    """The training centre decides on hiring, training and keeping qualifications."""
    return _active(user) and user.role == Role.TRAINING_ADMIN


def can_decide(user, application) -> bool:
    return is_training_centre(user)


def can_confirm_departure(user, qualification) -> bool:
    """L-12: the lab confirms that its liaison left; a lab with no active staff user is
    confirmed for by its branch centre, and only then (A-04: the check campaign)."""
    if can_prepare_for_lab(user, qualification.lab):
        return True
    return (
        _active(user)
        and user.role == Role.BRANCH_REVIEWER
        and user.branch_id == qualification.lab.branch_id
        and not labs_with_active_staff().filter(pk=qualification.lab_id).exists()
    )


def can_change_qualification_state(user, qualification, action: str) -> bool:
    """Who suspends, reinstates, revokes or cancels a qualification directly: the training
    centre, on the evaluations (L-10). The lab confirms a departure instead (L-12,
    ``can_confirm_departure``), which records why the qualification ended."""
    return is_training_centre(user)


def can_evaluate(user, qualification) -> bool:
    """L-10: department evaluators of the labs they were given, and the lab's branch centre."""
    if not _active(user):
        return False
    if user.role == Role.BRANCH_REVIEWER:
        return user.branch_id == qualification.lab.branch_id
    if user.role == Role.DEPARTMENT_EVALUATOR:
        return user.has_perm("directory.evaluate_lab", qualification.lab)
    if user.role == Role.GENERAL_BUSINESS_OFFICER:
        return True
    return False


def can_view_applicant_id_number(user, application) -> bool:
    """The applicant's full ID number (P-04): the person themself, the branch centre that
    checks it against the ID-card copy, the training centre that decides, a superuser."""
    if not _active(user):
        return False
    if user.is_superuser or is_training_centre(user) or can_review(user, application):
        return True
    return application.person.user_id is not None and application.person.user_id == user.pk


def can_print_applicant_id_number(user, application) -> bool:
    """The full ID number on the printed recommendation form (P-04): whoever may see it, and
    the staff of the application's lab, who typed it, hold the ID-card copy, and sign and stamp
    the form that L-03 requires to carry it correctly. Only on that form: their lists, pages
    and exports keep it masked."""
    return can_view_applicant_id_number(user, application) or can_prepare_for_lab(
        user, application.lab
    )


def can_compare_with_record(user, application) -> bool:
    """Who sees where the application's data differs from the person's record (P-03): those
    who check and decide; never the lab, which must not learn what the record holds."""
    return _active(user) and (
        user.is_superuser or is_training_centre(user) or can_review(user, application)
    )


def sees_applicants_elsewhere(user) -> bool:
    """Whether the user's lists of applications may show what an applicant holds at other
    labs: those who check and decide (their lists hold only applications they check or
    decide); never lab staff (issue 10)."""
    return _active(user) and (
        user.is_superuser or is_training_centre(user) or user.role == Role.BRANCH_REVIEWER
    )


def actions_for(user, application) -> list[str]:
    """The transitions ``user`` may take on ``application`` now, by service name."""
    state = application.state
    S = ApplicationState
    actions = []
    if can_prepare_for_lab(user, application.lab):
        if state in (S.DRAFT, S.RETURNED):
            actions.append("submit")
        if state in (S.DRAFT, S.SUBMITTED, S.WITH_BRANCH, S.RETURNED, S.PASSED):
            actions.append("withdraw")
    if can_review(user, application):
        if state == S.SUBMITTED:
            actions.append("accept")
        if state in (S.SUBMITTED, S.WITH_BRANCH):
            actions.append("return")
        if state == S.WITH_BRANCH:
            actions.append("pass")
    if can_decide(user, application) and state == S.PASSED:
        actions += ["hire", "reject"]
    return actions


#: Who works with liaisons from a lab, a branch centre or a CQC department: they see the
#: qualification list and may download the public roster (L-11).
LIAISON_STAFF_ROLES = frozenset(
    {Role.LAB_STAFF, Role.BRANCH_REVIEWER, Role.DEPARTMENT_EVALUATOR, *CQC_WIDE_ROLES}
)


def can_export_roster(user) -> bool:
    """L-11: signed-in lab and CQC staff download the roster as filtered on screen; the
    public searches it on the page only."""
    return _active(user) and (user.is_superuser or user.role in LIAISON_STAFF_ROLES)
