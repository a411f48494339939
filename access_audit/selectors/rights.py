"""Every read of login rights and their requests that a user sees, already cut to the user's
scope: lab staff their lab's, a branch reviewer its labs', CQC's departments and the training
centre everything, a person their own. Anything outside is absent, so a detail page answers
404 alike for missing and forbidden."""

from django.db.models import Q, QuerySet

from directory.constants import CQC_WIDE_ROLES, Role
from directory.models import Person
from directory.selectors import person_list

from ..models import LoginRight, LoginRightRequest, RightChange


def _scope(user, *, lab: str, person: str) -> Q | None:
    """The rows ``user`` sees, as a filter; ``Q()`` for all, ``None`` for none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser or user.role in CQC_WIDE_ROLES:
        return Q()
    if user.role == Role.LAB_STAFF:
        return Q(**{f"{lab}_id": user.lab_id})
    if user.role == Role.BRANCH_REVIEWER:
        return Q(**{f"{lab}__branch_id": user.branch_id})
    if user.role == Role.PERSON:
        return Q(**{f"{person}__user": user})
    return None


def right_list(*, user) -> QuerySet[LoginRight]:
    """The business-system accounts and their rights that ``user`` sees."""
    rights = LoginRight.objects.select_related("person", "lab__branch")
    scope = _scope(user, lab="lab", person="person")
    return rights.none() if scope is None else rights.filter(scope)


def follow_up_list(*, user) -> QuerySet[LoginRight]:
    """The accounts whose ID number matches no person: kept, and listed until someone follows
    them up (the person is recorded, or the account is confirmed as nobody's)."""
    return right_list(user=user).filter(person__isnull=True)


def right_changes(*, right: LoginRight) -> QuerySet[RightChange]:
    """The feed rows of one right the user already sees, newest first."""
    return RightChange.objects.filter(right=right).select_related("campaign").order_by("-id")


def request_list(*, user) -> QuerySet[LoginRightRequest]:
    """The requests for a login right (A-02) that ``user`` sees."""
    requests = LoginRightRequest.objects.select_related(
        "person", "lab__branch", "right", "submitted_by__person"
    )
    scope = _scope(user, lab="lab", person="person")
    return requests.none() if scope is None else requests.filter(scope)


def requestable_people(*, user) -> QuerySet[Person]:
    """Whom ``user`` may name in a request: lab staff, the people of their lab (the service
    refuses those without a qualification, saying what to do first); anyone else, nobody
    (a person requests for themself)."""
    if user.is_authenticated and user.is_active and user.role == Role.LAB_STAFF:
        return person_list(user=user).order_by("name", "id")
    return Person.objects.none()
