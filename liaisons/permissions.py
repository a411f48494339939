"""Who may do what to which liaison object, in one place (L-07, L-10, L-12, P-03)."""

from django.db.models import QuerySet
from django_fsm import can_proceed

from directory import selectors as directory_selectors
from directory.constants import CQC_WIDE_ROLES, Role
from directory.models import TestingLab
from directory.selectors import labs_with_active_staff

from .constants import ChangeRequestState


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


#: L-10: who records evaluations of the liaisons they work with (``evaluated_labs`` says of
#: which labs).
EVALUATOR_ROLES = frozenset(
    {Role.DEPARTMENT_EVALUATOR, Role.BRANCH_REVIEWER, Role.GENERAL_BUSINESS_OFFICER}
)


def is_evaluator(user) -> bool:
    """Whether ``user`` evaluates liaisons at all (L-10)."""
    return _active(user) and user.role in EVALUATOR_ROLES


def evaluated_labs(user) -> QuerySet[TestingLab] | None:
    """L-10: the labs whose liaisons ``user`` evaluates: a department evaluator those it was
    given (``directory.evaluate_lab``), a branch reviewer its branch centre's, the general
    business dept every lab; ``None`` for whoever evaluates none."""
    if not is_evaluator(user):
        return None
    if user.role == Role.BRANCH_REVIEWER:
        return TestingLab.objects.filter(branch_id=user.branch_id)
    if user.role == Role.DEPARTMENT_EVALUATOR:
        return directory_selectors.evaluated_labs(user)
    return TestingLab.objects.all()


def can_evaluate(user, qualification) -> bool:
    """L-10: whether ``user`` may evaluate the liaison of ``qualification`` (``evaluated_labs``)."""
    labs = evaluated_labs(user)
    return labs is not None and labs.filter(pk=qualification.lab_id).exists()


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
    """The transitions ``user`` may take on ``application`` now, by service name. Who may
    take a step is decided here; in which states, by the step's transition alone (L-07)."""
    lab = can_prepare_for_lab(user, application.lab)
    branch = can_review(user, application)
    centre = can_decide(user, application)
    steps = (
        ("submit", lab, application.submit),
        ("withdraw", lab, application.withdraw),
        ("accept", branch, application.accept),
        ("return", branch, application.return_to_lab),
        ("pass", branch, application.pass_to_training),
        ("hire", centre, application.hire),
        ("reject", centre, application.reject),
    )
    return [name for name, allowed, transition in steps if allowed and can_proceed(transition)]


#: Who works with liaisons from a lab, a branch centre or a CQC department: they see the
#: qualification list and may download the public roster (L-11).
LIAISON_STAFF_ROLES = frozenset(
    {Role.LAB_STAFF, Role.BRANCH_REVIEWER, Role.DEPARTMENT_EVALUATOR, *CQC_WIDE_ROLES}
)


def can_export_roster(user) -> bool:
    """L-11: signed-in lab and CQC staff download the roster as filtered on screen; the
    public searches it on the page only."""
    return _active(user) and (user.is_superuser or user.role in LIAISON_STAFF_ROLES)


# --- personal-data change requests (P-03 tiers b and c) ------------------------------------


def can_request_change(user, *, person, tier: str, lab_id: int | None) -> bool:
    """The person themself; or lab staff of ``lab_id``: the person's lab for tier (b), the lab
    the qualification represents for tier (c) (P-03)."""
    if not _active(user):
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return user.role == Role.LAB_STAFF and lab_id is not None and user.lab_id == lab_id


def can_check_change(user, change_request) -> bool:
    """The branch centre the request was routed to checks it and forwards or rejects it."""
    return (
        _active(user)
        and user.role == Role.BRANCH_REVIEWER
        and user.branch_id == change_request.branch_id
    )


def can_decide_change(user, change_request) -> bool:
    """The training centre approves (and so applies) or rejects a forwarded request."""
    return is_training_centre(user)


def change_request_actions(user, change_request) -> list[str]:
    """The transitions ``user`` may take on ``change_request`` now."""
    state = change_request.state
    actions = []
    if can_check_change(user, change_request) and state == ChangeRequestState.SUBMITTED:
        actions += ["forward", "reject"]
    if can_decide_change(user, change_request) and state == ChangeRequestState.FORWARDED:
        actions += ["approve", "reject"]
    return actions
