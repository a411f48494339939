"""Every read of the directory that a user sees, already cut to that user's scope.

Anything outside the scope is simply absent, so a detail view that looks an object up in one of
these querysets answers 404 alike for missing and forbidden objects.
"""

from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from .constants import BODY_ROLES, CQC_WIDE_ROLES, Role
from .idnumbers import canonical_spelling
from .models import BranchCentre, CertificationBody, Person, TestingLab, User
from .permissions import full_id_number_visible, may_search_by_id_number


def _sees_everything(user: User) -> bool:
    return user.is_active and user.is_superuser


def evaluated_labs(user: User) -> QuerySet[TestingLab]:
    """Labs a department evaluator was given to evaluate (guardian object permission)."""
    return get_objects_for_user(
        user,
        "directory.evaluate_lab",
        klass=TestingLab,
        with_superuser=False,
        accept_global_perms=False,
    )


def lab_list(*, user: User) -> QuerySet[TestingLab]:
    labs = TestingLab.objects.select_related("branch")
    if not user.is_authenticated:
        return labs.none()
    if _sees_everything(user) or user.role in CQC_WIDE_ROLES:
        return labs
    if user.role == Role.LAB_STAFF:
        return labs.filter(pk=user.lab_id)
    if user.role == Role.BRANCH_REVIEWER:
        return labs.filter(branch_id=user.branch_id)
    if user.role == Role.DEPARTMENT_EVALUATOR:
        return labs.filter(pk__in=evaluated_labs(user).values("pk"))
    return labs.none()


def branch_list(*, user: User) -> QuerySet[BranchCentre]:
    branches = BranchCentre.objects.all()
    if not user.is_authenticated:
        return branches.none()
    if _sees_everything(user) or user.role in CQC_WIDE_ROLES:
        return branches
    if user.role == Role.BRANCH_REVIEWER:
        return branches.filter(pk=user.branch_id)
    if user.role == Role.LAB_STAFF:
        return branches.filter(labs=user.lab_id)
    return branches.none()


def body_list(*, user: User) -> QuerySet[CertificationBody]:
    bodies = CertificationBody.objects.all()
    if not user.is_authenticated:
        return bodies.none()
    if _sees_everything(user) or user.role == Role.REGULATOR_INSPECTOR:
        return bodies
    if user.role in BODY_ROLES:
        return bodies.filter(pk=user.body_id)
    return bodies.none()


def person_list(*, user: User) -> QuerySet[Person]:
    people = Person.objects.select_related("lab", "body")
    if not user.is_authenticated:
        return people.none()
    if _sees_everything(user):
        return people
    if user.role in CQC_WIDE_ROLES:
        return people.filter(lab__isnull=False)
    if user.role == Role.LAB_STAFF:
        return people.filter(lab_id=user.lab_id)
    if user.role == Role.BRANCH_REVIEWER:
        return people.filter(lab__branch_id=user.branch_id)
    if user.role == Role.DEPARTMENT_EVALUATOR:
        return people.filter(lab__in=evaluated_labs(user).values("pk"))
    if user.role in BODY_ROLES:
        return people.filter(body_id=user.body_id)
    if user.role == Role.REGULATOR_INSPECTOR:
        return people.filter(body__isnull=False)
    return people.filter(user=user)


def person_id_number_search(*, user: User, id_number: str) -> QuerySet[Person]:
    """People of ``user``'s scope holding ``id_number`` (in any spelling) whose full number
    ``user`` may see: searching by number must not tell anyone more than the person's page
    would (P-04). Nobody for the roles that never see full numbers."""
    if not may_search_by_id_number(user):
        return Person.objects.none()
    number = canonical_spelling(id_number)
    return person_list(user=user).filter(id_number=number).filter(full_id_number_visible(user))


def own_person(*, user: User) -> Person | None:
    """The person record behind a signed-in account, if there is one."""
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("lab", "body").filter(user=user).first()


def get_in_scope_or_404(queryset: QuerySet, pk: object):
    """Fetch one object of a scoped queryset; 404 alike for missing and out-of-scope."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def labs_with_active_staff() -> QuerySet[TestingLab]:
    """Labs with at least one active lab staff user: they act for themselves. A lab without
    one is acted for by its branch centre where a rule allows it (L-12, A-04)."""
    return TestingLab.objects.filter(
        pk__in=User.objects.filter(role=Role.LAB_STAFF, is_active=True).values("lab_id")
    )
