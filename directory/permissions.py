"""Who may do what to which directory object, in one place."""

from django.conf import settings
from django.db.models import Q

from .constants import Role
from .models import Person, User

#: Roles that see some people's full ID numbers, and so may look a person up by one (P-04).
ID_NUMBER_SEARCH_ROLES = frozenset(
    {Role.TRAINING_ADMIN, Role.BRANCH_REVIEWER, Role.BODY_ADMIN, Role.REGULATOR_INSPECTOR}
)


def can_view_full_id_number(user: User, person: Person) -> bool:
    """The full ID number only where a role needs it (P-04); everyone else sees it masked.

    The person themself; the training centre, which decides on hires; the branch reviewer of
    the person's lab, who checks the ID-card copy against the materials; a certification body's
    administrator, who files the director's details (Q-06); the regulator's inspectors.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or (person.user_id is not None and person.user_id == user.pk):
        return True
    if user.role == Role.TRAINING_ADMIN:
        return person.lab_id is not None
    if user.role == Role.BRANCH_REVIEWER:
        return person.lab_id is not None and person.lab.branch_id == user.branch_id
    if user.role == Role.BODY_ADMIN:
        return person.body_id is not None and person.body_id == user.body_id
    if user.role == Role.REGULATOR_INSPECTOR:
        return person.body_id is not None
    return False


def full_id_number_visible(user: User, prefix: str = "") -> Q:
    """``can_view_full_id_number`` as a query: the people whose full number ``user`` may see.

    ``prefix`` leads from the queried model to the person (``"person__"`` for applications).
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    own = Q(**{f"{prefix}user_id": user.pk})
    if user.role == Role.TRAINING_ADMIN:
        return own | Q(**{f"{prefix}lab__isnull": False})
    if user.role == Role.BRANCH_REVIEWER:
        return own | Q(**{f"{prefix}lab__branch_id": user.branch_id, f"{prefix}lab__isnull": False})
    if user.role == Role.BODY_ADMIN:
        return own | Q(**{f"{prefix}body_id": user.body_id, f"{prefix}body__isnull": False})
    if user.role == Role.REGULATOR_INSPECTOR:
        return own | Q(**{f"{prefix}body__isnull": False})
    return own


def may_search_by_id_number(user: User) -> bool:
    """Whether ``user`` may look people up by ID number: only roles that see full numbers."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in ID_NUMBER_SEARCH_ROLES)
    )


def can_edit_self_maintained(user: User, person: Person) -> bool:
    """Tier (a) data (P-03) is edited by the person alone."""
    return user.is_authenticated and person.user_id == user.pk


#: Who decides on hires, login rights and other people's data (issue 9), with superusers and
#: admin staff: they sign in with a second factor when SECOND_FACTOR_REQUIRED is on.
DECIDER_ROLES = frozenset(
    {
        Role.TRAINING_ADMIN,
        Role.QUALITY_TECH_OFFICER,
        Role.GENERAL_BUSINESS_OFFICER,
        Role.BRANCH_REVIEWER,
        Role.REGULATOR_INSPECTOR,
    }
)


def is_decider(user: User) -> bool:
    """Deciders, superusers and whoever reaches the admin site must use a second factor."""
    return user.is_superuser or user.is_staff or user.role in DECIDER_ROLES


def may_turn_off_second_factor(user: User) -> bool:
    """Whoever chose a second factor may drop it, unless the settings require it of them."""
    return not (settings.SECOND_FACTOR_REQUIRED and is_decider(user))
