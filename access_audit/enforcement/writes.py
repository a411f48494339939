"""One batch of the deadline job: the rights' new state, their fsm-log and simple-history
records and the business system's feed rows, written a set at a time inside the database.

The caller holds the batch's transaction and has locked the rows; what is stored is what is
recorded (``cqcportal.history``).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_fsm_log.models import StateLog

from cqcportal.history import history_bulk_create

from ..constants import LoginRightState
from ..feed import right_changes_record_set
from ..models import AuditCampaign, EnforcementRun, LoginRight


class _Stored:
    """A stored row named by its primary key: all ``history_bulk_create`` reads of it (a
    model instance per row cost the job a fifth of its time, bench/README.md)."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk


def _ids(pks: list[int]) -> tuple[str, list]:
    """``= ANY(%s)`` with one array on PostgreSQL (a statement of 5,000 placeholders is
    parsed by the driver each time), ``IN (...)`` elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(pks)]
    return f"IN ({', '.join(['%s'] * len(pks))})", list(pks)


def _state_logs_insert(
    pks: list[int], *, transition: str, target: str, at: datetime.datetime, description: str
) -> None:
    """The fsm-log record of each right's transition, copied from its row before the update
    (``INSERT ... SELECT``: the source state is the row's own)."""
    qn = connection.ops.quote_name
    content_type = ContentType.objects.get_for_model(LoginRight)
    ids, param = _ids(pks)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(StateLog._meta.db_table)} (timestamp, by_id, source_state, state, "  # noqa: S608 - names from the models, values as parameters
            f"transition, content_type_id, object_id, description) "
            f"SELECT %s, NULL, state, %s, %s, %s, id, %s FROM {qn(LoginRight._meta.db_table)} "
            f"WHERE id {ids}",
            [at, target, transition, content_type.pk, description, *param],
        )


def rights_revoke_batch(
    pks: list[int],
    *,
    run: EnforcementRun,
    campaign: AuditCampaign,
    rule: str,
    reason: str,
    ends: datetime.datetime,
    at: datetime.datetime,
) -> None:
    """Revoke these rights under ``rule`` in ``campaign`` (A-04, A-06): what
    ``LoginRight.revoke`` changes, for a set."""
    _state_logs_insert(
        pks, transition="revoke", target=LoginRightState.REVOKED, at=ends, description=reason
    )
    LoginRight.objects.filter(pk__in=pks).update(
        state=LoginRightState.REVOKED,
        revoked_at=ends,
        revoked_by=None,
        rule=rule,
        revoke_reason=reason,
        campaign=campaign,
    )
    _after(
        pks,
        LoginRightState.REVOKED,
        run=run,
        campaign=campaign,
        rule=rule,
        reason=reason,
        ends=ends,
        at=at,
    )


def rights_suspend_batch(
    pks: list[int],
    *,
    run: EnforcementRun,
    campaign: AuditCampaign,
    rule: str,
    reason: str,
    ends: datetime.datetime,
    at: datetime.datetime,
) -> None:
    """Suspend these rights under ``rule`` (A-01 after L-13): what ``LoginRight.suspend``
    changes, for a set."""
    _state_logs_insert(
        pks, transition="suspend", target=LoginRightState.SUSPENDED, at=ends, description=reason
    )
    LoginRight.objects.filter(pk__in=pks).update(
        state=LoginRightState.SUSPENDED, suspended_at=ends, rule=rule, revoke_reason=reason
    )
    _after(
        pks,
        LoginRightState.SUSPENDED,
        run=run,
        campaign=campaign,
        rule=rule,
        reason=reason,
        ends=ends,
        at=at,
    )


#: simple-history's ``history_change_reason`` column.
HISTORY_REASON_MAX_LENGTH = 100


def _after(pks, state, *, run, campaign, rule, reason, ends, at) -> None:
    history_bulk_create(
        [_Stored(pk) for pk in pks],
        model=LoginRight,
        user=None,
        date=ends,
        update=True,
        reason=reason[:HISTORY_REASON_MAX_LENGTH],
    )
    right_changes_record_set(pks, at=at, rule=rule, campaign=campaign, run=run)
