"""One batch of the deadline job: the rights' new state, their fsm-log and simple-history
records and the business system's feed rows, written a set at a time inside the database.

The caller holds the batch's transaction and has locked the rows; what is stored is what is
recorded (``cqcportal.history``). On PostgreSQL the four writes are one statement
(:func:`_batch_write_one_statement`): the rights are read once, not four times.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_fsm_log.models import StateLog

from cqcportal.history import history_bulk_create

from ..constants import LoginRightState
from ..feed import right_changes_record_set
from ..models import AuditCampaign, EnforcementRun, LoginRight, RightChange
from ..signals import announce_rights_changed


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
    changes = {
        "state": LoginRightState.REVOKED,
        "revoked_at": ends,
        "revoked_by_id": None,
        "rule": rule,
        "revoke_reason": reason,
        "campaign_id": campaign.pk,
    }
    if _one_statement():
        _batch_write_one_statement(
            pks, changes, transition="revoke", run=run, campaign=campaign, ends=ends, at=at
        )
        return
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
    changes = {
        "state": LoginRightState.SUSPENDED,
        "suspended_at": ends,
        "rule": rule,
        "revoke_reason": reason,
    }
    if _one_statement():
        _batch_write_one_statement(
            pks, changes, transition="suspend", run=run, campaign=campaign, ends=ends, at=at
        )
        return
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


def _one_statement() -> bool:
    """The four writes as one statement: PostgreSQL's data-modifying ``WITH``, and only while
    simple-history records (the statement writes the history rows itself)."""
    return connection.vendor == "postgresql" and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def _batch_write_one_statement(pks, changes: dict, *, transition, run, campaign, ends, at) -> None:
    """The rights' ``UPDATE`` and, from the rows it returns, their fsm-log records (the source
    state read in the same statement, before the update), their simple-history records and
    their feed rows (in the order of their ids): the same rows as the separate statements
    below, each right read once (bench/README.md). PostgreSQL runs the sub-statements on one
    snapshot; the caller has locked the rights."""
    qn = connection.ops.quote_name
    history = LoginRight.history.model
    if getattr(history, "_history_m2m_fields", ()):  # pragma: no cover - LoginRight has none
        raise NotImplementedError("many-to-many history snapshots are written by history.py")
    tracked = ", ".join(f"u.{qn(field.column)}" for field in history.tracked_fields)
    tracked_names = ", ".join(qn(field.column) for field in history.tracked_fields)
    sets = ", ".join(f"{qn(column)} = %({column})s" for column in changes)
    reason = changes["revoke_reason"]
    params = {
        **changes,
        "ids": list(pks),
        "ends": ends,
        "at": at,
        "reason": reason,
        "history_reason": reason[:HISTORY_REASON_MAX_LENGTH],
        "content_type": ContentType.objects.get_for_model(LoginRight).pk,
        "transition": transition,
        "campaign_feed": getattr(campaign, "pk", None),
        "run": getattr(run, "pk", None),
    }
    rights = qn(LoginRight._meta.db_table)
    sql = f"""
        WITH old AS (SELECT id, state FROM {rights} WHERE id = ANY(%(ids)s)),
        u AS (
            UPDATE {rights} r SET {sets} FROM old
            WHERE r.id = old.id AND r.id = ANY(%(ids)s)
            RETURNING r.*, old.state AS source_state
        ),
        fsm AS (
            INSERT INTO {qn(StateLog._meta.db_table)} (timestamp, by_id, source_state, state,
                transition, content_type_id, object_id, description)
            SELECT %(ends)s, NULL, u.source_state, u.state, %(transition)s, %(content_type)s,
                u.id, %(reason)s FROM u
        ),
        h AS (
            INSERT INTO {qn(history._meta.db_table)} ({tracked_names}, history_date,
                history_change_reason, history_type, history_user_id)
            SELECT {tracked}, %(ends)s, %(history_reason)s, '~', NULL FROM u
        )
        INSERT INTO {qn(RightChange._meta.db_table)} (right_id, state, rule, at, campaign_id,
            run_id)
        SELECT u.id, u.state, u.rule, %(at)s, %(campaign_feed)s, %(run)s FROM u ORDER BY u.id
    """  # noqa: S608 - names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    announce_rights_changed(pks)
