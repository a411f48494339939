"""Writes of the access audit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Person, User
from liaisons.selectors import person_holds_active_qualification

from ..constants import LoginRightState
from ..models import LoginRight


@transaction.atomic
def login_rights_follow_qualifications(
    *, person: Person, actor: User | None, reason: str
) -> list[LoginRight]:
    """Revoke the person's active login rights unless they hold an active liaison
    qualification (A-01). Every change of a qualification's state leads here (liaisons
    announces it, ``receivers`` listens), so rights follow qualifications; returns the
    rights revoked."""
    if person_holds_active_qualification(person=person):
        return []
    now = timezone.now()
    revoked = []
    for right in LoginRight.objects.select_for_update().filter(
        person=person, state=LoginRightState.ACTIVE
    ):
        right.revoke(
            at=now,
            reason=reason or _("No active liaison qualification (A-01)."),
            by=actor,
            description=reason,
        )
        right._history_user = actor
        right.save()
        revoked.append(right)
    return revoked
