"""The one way a service of the liaison capability takes a state transition.

Every transition of an application, a change request or a qualification goes through
``transition_locked``, inside its service's transaction: lock the row, check who may act and
the state *after* the lock, take the django-fsm transition, save (its state-log row and the
history name the actor), and schedule what follows on commit (STYLE.md, "State machines").
Two people acting on one object at the same moment: the second waits for the lock, then finds
the state changed and is told so in words (``stale_state``), never with a bare
``TransitionNotAllowed``.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed

from directory.models import User

from ..models import ChangeRequest, LiaisonApplication, LiaisonQualification

M = TypeVar("M", bound=Model)

#: What the user reads, by kind of object, when its state changed before their action.
STALE_STATE_MESSAGES = {
    LiaisonApplication: gettext_noop(
        "This application cannot be %(verb)s: it is now “%(state)s”. Someone may have "
        "acted on it a moment ago; reload the page to see its current state."
    ),
    ChangeRequest: gettext_noop(
        "This change request cannot be %(verb)s: it is now “%(state)s”. Someone may "
        "have acted on it a moment ago; reload the page to see its current state."
    ),
    LiaisonQualification: gettext_noop(
        "The qualification is “%(state)s”; this cannot be done to it now."
    ),
}


def stale_state(obj: Model, verb: str = "") -> ValidationError:
    """The refusal of an action on ``obj`` that its state no longer allows, naming the state
    it is in now (``verb``: the action as the message names it, "submitted")."""
    return ValidationError(
        _(STALE_STATE_MESSAGES[type(obj)]) % {"verb": verb, "state": obj.get_state_display()},
        code="stale_state",
    )


def transition_locked(
    obj: M,
    transition: str,
    *,
    actor: User | None,
    verb: str = "",
    locking: QuerySet[M] | None = None,
    guard: Callable[[M], None] | None = None,
    ready: Callable[[M], None] | None = None,
    then: Callable[[M, str], None] | None = None,
    **arguments: Any,
) -> M:
    """Take ``obj``'s django-fsm ``transition`` as ``actor`` and return the row as it is now.

    In this order, inside the caller's transaction:

    1. lock the row: ``locking.get(pk=...)``, by default ``select_for_update()`` alone;
    2. ``guard(row)``: what is checked before the state, who may act above all (it raises);
    3. the state after the lock: if the transition cannot be taken, ``stale_state(row, verb)``;
    4. ``ready(row)``: what the transition needs or writes with it (the rules it checks);
    5. the transition, with ``by=actor`` and ``arguments`` (its state-log row names both);
    6. ``save()``, the history naming ``actor``;
    7. ``then(row, source)``: what follows, knowing the state left (mail, on commit).
    """
    locking = type(obj).objects.select_for_update() if locking is None else locking
    row = locking.get(pk=obj.pk)
    if guard is not None:
        guard(row)
    take = getattr(row, transition)
    if not can_proceed(take):
        raise stale_state(row, verb)
    if ready is not None:
        ready(row)
    source = row.state
    take(by=actor, **arguments)
    row._history_user = actor
    row.save()
    if then is not None:
        then(row, source)
    return row
