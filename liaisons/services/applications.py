"""An application's way from the lab to the training centre's decision (L-07): the lab
submits or withdraws it, the branch centre accepts it, returns it or passes it on, the
training centre rejects it. The hire, the other decision, is ``liaisons.services.hiring``;
preparing the application, ``liaisons.services.preparation``.

Each service is one ``transition_locked``: the row locked, who may act and the state after
the lock checked, the django-fsm transition taken and saved, its e-mail scheduled on commit.
Two people acting on one application at the same moment: the second waits for the lock, then
finds the state changed and is told so.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import User
from directory.services import person_account_ensure

from .. import permissions, rules
from ..constants import ApplicationState
from ..models import LiaisonApplication
from ._common import locked_applications, notify, require, require_reason
from .applicants import lab_keeps_record, record_vouched_by_branch
from .documents import schedule_documents
from .transitions import transition_locked


def _today() -> datetime.date:
    return timezone.localdate()


def _prepares(user: User, application: LiaisonApplication) -> bool:
    return permissions.can_prepare_for_lab(user, application.lab)


def _allowed(
    actor: User, check: Callable[[User, LiaisonApplication], bool]
) -> Callable[[LiaisonApplication], None]:
    """The guard of a transition: the actor may take it on the locked application, or is
    refused (403)."""
    return lambda application: require(check(actor, application))


def _notice(event: str) -> Callable[[LiaisonApplication, str], None]:
    """What follows a transition that only tells whoever acts next (L-07)."""
    return lambda application, _source: notify(application, event)


@transaction.atomic
def liaison_application_submit(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonApplication:
    """Send the application to the branch centre (L-07), once L-01..L-05 hold.

    Every problem is reported at once, each naming its rule. The applicant's important data
    is locked from now on (P-03).
    """

    def complete(application: LiaisonApplication) -> None:
        problems = rules.application_problems(application, today=_today())
        if problems:
            raise ValidationError(problems)

    def submitted(application: LiaisonApplication, _source: str) -> None:
        person = application.person
        if lab_keeps_record(person, application.lab):
            person.important_data_locked_at = application.submitted_at
            person._history_user = actor
            person.save(update_fields=["important_data_locked_at"])
        schedule_documents(application)
        notify(application, "submitted")

    return transition_locked(
        application,
        "submit",
        actor=actor,
        verb=_("submitted"),
        locking=locked_applications(),
        guard=_allowed(actor, _prepares),
        ready=complete,
        then=submitted,
        at=timezone.now(),
        description=comment,
    )


@transaction.atomic
def liaison_application_accept(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonApplication:
    """The branch centre accepts the materials for checking; a first-time applicant gets
    their account (L-08)."""

    def accepted(application: LiaisonApplication, _source: str) -> None:
        record_vouched_by_branch(application, actor=actor)
        person_account_ensure(person=application.person, actor=actor)

    return transition_locked(
        application,
        "accept",
        actor=actor,
        verb=_("accepted"),
        locking=locked_applications(),
        guard=_allowed(actor, permissions.can_review),
        then=accepted,
        description=comment,
    )


@transaction.atomic
def liaison_application_return(
    *, application: LiaisonApplication, actor: User, reason: str
) -> LiaisonApplication:
    """The branch centre returns the application to the lab for correction (L-07)."""
    reason = require_reason(reason)
    return transition_locked(
        application,
        "return_to_lab",
        actor=actor,
        verb=_("returned"),
        locking=locked_applications(),
        guard=_allowed(actor, permissions.can_review),
        then=_notice("returned"),
        reason=reason,
        description=reason,
    )


@transaction.atomic
def liaison_application_pass(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonApplication:
    """The branch centre passes checked materials on to the training centre (L-07)."""
    return transition_locked(
        application,
        "pass_to_training",
        actor=actor,
        verb=_("passed on"),
        locking=locked_applications(),
        guard=_allowed(actor, permissions.can_review),
        then=_notice("passed"),
        description=comment,
    )


@transaction.atomic
def liaison_application_reject(
    *, application: LiaisonApplication, actor: User, reason: str
) -> LiaisonApplication:
    """The training centre rejects the application (L-07)."""
    reason = require_reason(reason)
    return transition_locked(
        application,
        "reject",
        actor=actor,
        verb=_("rejected"),
        locking=locked_applications(),
        guard=_allowed(actor, permissions.can_decide),
        then=_notice("rejected"),
        reason=reason,
        at=timezone.now(),
        description=reason,
    )


@transaction.atomic
def liaison_application_withdraw(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonApplication:
    """The lab withdraws its application before a decision; the branch centre hears of it
    unless it was a draft it never saw."""

    def withdrawn(application: LiaisonApplication, source: str) -> None:
        if source != ApplicationState.DRAFT:
            notify(application, "withdrawn")

    return transition_locked(
        application,
        "withdraw",
        actor=actor,
        verb=_("withdrawn"),
        locking=locked_applications(),
        guard=_allowed(actor, _prepares),
        then=withdrawn,
        description=comment,
    )
