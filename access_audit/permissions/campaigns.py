"""Who may do what in the check campaign (A-03, A-04), in one place.

The training centre runs the campaign (creates, opens, closes it) and sees all of it, as do
the other CQC-wide departments (read only); a branch centre sees its labs' part; a lab sees its
own entries and confirms them. A lab with no active staff user is confirmed for by its branch
centre, and only then (A-04).
"""

from django.db.models import QuerySet

from directory.constants import CQC_WIDE_ROLES, Role
from directory.models import TestingLab
from directory.selectors import labs_with_active_staff


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_run_campaigns(user) -> bool:
    """The training centre creates, opens and closes campaigns (A-03)."""
    return _active(user) and user.role == Role.TRAINING_ADMIN


def sees_every_entry(user) -> bool:
    """The training centre and the other CQC-wide departments see every lab's entries."""
    return _active(user) and (user.is_superuser or user.role in CQC_WIDE_ROLES)


def sees_campaigns(user) -> bool:
    """Who has the campaign pages at all: CQC-wide staff, branch centres, labs."""
    return sees_every_entry(user) or (
        _active(user) and user.role in (Role.LAB_STAFF, Role.BRANCH_REVIEWER)
    )


def confirmable_labs(user) -> QuerySet[TestingLab]:
    """The labs whose entries ``user`` confirms (A-04): lab staff their own lab; a branch
    reviewer the labs of their branch centre that have no active staff user."""
    labs = TestingLab.objects.all()
    if not _active(user):
        return labs.none()
    if user.role == Role.LAB_STAFF:
        return labs.filter(pk=user.lab_id)
    if user.role == Role.BRANCH_REVIEWER:
        return labs.filter(branch_id=user.branch_id).exclude(
            pk__in=labs_with_active_staff().values("pk")
        )
    return labs.none()


def can_confirm_for_lab(user, lab: TestingLab) -> bool:
    return confirmable_labs(user).filter(pk=lab.pk).exists()
