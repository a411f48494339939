"""Small helpers that several service modules of the liaison capability share.

Private to ``liaisons.services``: its callers import the services, never these.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cqcportal.limits import clean_reason
from directory.models import User

from .. import rules
from ..models import LiaisonApplication, LiaisonQualification
from .coverage import coverage_refresh
from .transitions import transition_locked


def occurrences(pks: list[int]) -> list[int]:
    """The state-log row of each application's latest transition, the one its notice tells
    of: the task records what it sent under it, so a retry sends nothing twice (issue 11)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max
    from django_fsm_log.models import StateLog

    latest = dict(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(LiaisonApplication), object_id__in=pks
        )
        .values("object_id")
        .annotate(last=Max("pk"))
        .values_list("object_id", "last")
    )
    return [latest.get(pk, 0) for pk in pks]


def notify(application: LiaisonApplication, event: str) -> None:
    from ..tasks import send_application_notice

    pk = application.pk
    (occurrence,) = occurrences([pk])
    transaction.on_commit(lambda: send_application_notice.delay(pk, event, occurrence))


def notify_all(applications: Iterable[LiaisonApplication], event: str) -> None:
    """``notify`` of several applications, queued as one task."""
    from ..tasks import send_application_notices

    pks = [application.pk for application in applications]
    latest = occurrences(pks)
    transaction.on_commit(lambda: send_application_notices.delay(pks, event, latest))


def locked_applications() -> QuerySet[LiaisonApplication]:
    """Applications locked for the rest of the transaction, with their lab and person."""
    return LiaisonApplication.objects.select_for_update().select_related("lab", "person")


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this to this application."))


def require_reason(reason: str) -> str:
    # The transitions save without full_clean: the limit is checked here too (issue 9).
    return clean_reason(reason, required_message=rules.REASON_REQUIRED, field="reason")


def qualification_transition(
    qualification: LiaisonQualification,
    name: str,
    *,
    actor: User | None,
    reason: str,
    guard: Callable[[LiaisonQualification], None] | None = None,
    ready: Callable[[LiaisonQualification], None] | None = None,
) -> LiaisonQualification:
    """Change the qualification's state; the lab's coverage (L-06) follows. The login rights
    (A-01) follow the announcement the calling service makes once all its writes are done."""
    return transition_locked(
        qualification,
        name,
        actor=actor,
        guard=guard,
        ready=ready,
        # A lost liaison may open a gap (L-06).
        then=lambda qualification, _source: coverage_refresh(lab=qualification.lab),
        reason=reason,
        description=reason,
    )
