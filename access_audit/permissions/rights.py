"""Who may do what to login rights and their requests, in one place (A-02, P-04)."""

from directory.constants import Role

from ..constants import RightRequestState


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_quality_technology(user) -> bool:
    """The quality technology dept receives and accepts requests for a login right (A-02)."""
    return _active(user) and user.role == Role.QUALITY_TECH_OFFICER


def is_general_business(user) -> bool:
    """The general business dept grants login rights and keeps the business system's account
    list (A-02)."""
    return _active(user) and user.role == Role.GENERAL_BUSINESS_OFFICER


def can_submit_for(user, person) -> bool:
    """A request is submitted by the person themself, or by the staff of the lab the person
    works for (A-02)."""
    if not _active(user):
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return (
        user.role == Role.LAB_STAFF and person.lab_id is not None and person.lab_id == user.lab_id
    )


def may_submit_requests(user) -> bool:
    """Whether the user may submit any request at all (lab staff, or a person with a record)."""
    if not _active(user):
        return False
    return user.role == Role.LAB_STAFF or (
        user.role == Role.PERSON and hasattr(user, "person") and user.person is not None
    )


def can_withdraw(user, request) -> bool:
    """The submitter's side withdraws: the staff of the request's lab, or the person."""
    if not _active(user):
        return False
    if request.person.user_id is not None and request.person.user_id == user.pk:
        return True
    return user.role == Role.LAB_STAFF and user.lab_id == request.lab_id


def refuse_step(user) -> str | None:
    """The state in which ``user`` may refuse a request: the quality technology dept at its
    step (submitted), the general business dept at its own (accepted); ``None`` for anyone
    else."""
    if is_quality_technology(user):
        return RightRequestState.SUBMITTED
    if is_general_business(user):
        return RightRequestState.ACCEPTED
    return None


def request_actions(user, request) -> list[str]:
    """The steps ``user`` may take on ``request`` now, by service verb."""
    S = RightRequestState
    actions = []
    if request.state == S.SUBMITTED and is_quality_technology(user):
        actions += ["accept", "refuse"]
    if request.state == S.ACCEPTED and is_general_business(user):
        actions += ["grant", "refuse"]
    if request.state in (S.SUBMITTED, S.ACCEPTED) and can_withdraw(user, request):
        actions.append("withdraw")
    return actions


def can_import_accounts(user) -> bool:
    """The general business dept imports the business system's account list."""
    return is_general_business(user)


def can_view_full_id_number(user, right) -> bool:
    """An account's full ID number (P-04): the general business dept, which follows up the
    accounts that match no person; a superuser; the person themself. Everyone else, and every
    list and export, sees it masked."""
    if not _active(user):
        return False
    if user.is_superuser or is_general_business(user):
        return True
    person = right.person
    return person is not None and person.user_id is not None and person.user_id == user.pk
