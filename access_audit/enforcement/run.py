"""The deadline job (L-13, A-04, A-05, A-06): the daily task, ``manage.py enforce_deadlines``
and the demo all run :func:`deadlines_enforce`; the preview runs its dry run's plan.

A run works on sets in SQL, a batch at a time, each batch one transaction with its history
rows and the run's progress: killed at any point, the next run of the same campaign and
deadline takes the unfinished run up again and finds only what is left, so the end state is
that of one clean run. Every record a run writes carries the deadline's instant (24:00 China
time on its date, A-05) as its time, whenever the run happens; only the business system's
feed rows carry the moment they were written (``at``), for the receipt check. Nothing is
deleted (A-06).

Before changing anything a run counts what it would take away. If that is more than the
campaign's ``breaker_share`` of all active rights, the run stops HELD until the training
centre confirms it (``services/enforcement.py``); a wrong import must not lock a whole
country out.
"""

import datetime
import logging
from array import array
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaisons.constants import deadline_end
from liaisons.services.lapse import LAPSE_RULE, qualifications_lapse_unmigrated

from ..constants import CampaignState, LoginRightState, RunKind, RunState
from ..models import AuditCampaign, CampaignEntry, EnforcementRun, LoginRight
from ..signals import enforcement_run_finished
from . import targets
from .writes import rights_revoke_batch, rights_suspend_batch

log = logging.getLogger(__name__)

#: The rule the confirmation deadline's revocations record.
REVOCATION_RULE = "A-04"
#: Rights, or qualifications, per batch (one transaction each).
BATCH_SIZE = 5000

#: Called after each committed batch with the run and the batch's number (tests kill here).
BatchHook = Callable[[EnforcementRun, int], None]


def run_clock(as_of: datetime.date | None = None) -> datetime.datetime:
    """The instant a run takes as now: now, or 00:00 China time on ``as_of`` (the first moment
    of that day, when the daily job runs)."""
    if as_of is None:
        return timezone.now()
    return deadline_end(as_of - datetime.timedelta(days=1))


def deadlines_enforce(
    *,
    at: datetime.datetime | None = None,
    dry_run: bool = False,
    actor=None,
    batch_size: int = BATCH_SIZE,
    batch_hook: BatchHook | None = None,
) -> list[EnforcementRun]:
    """Every deadline of every open or closed campaign that has passed at ``at`` (A-05) and is
    not enforced yet: the migration deadline first (L-13), then the confirmation deadline
    (A-04). Returns the runs made, taken up or found held."""
    at = at or timezone.now()
    runs = []
    campaigns = AuditCampaign.objects.filter(state__in=[CampaignState.OPEN, CampaignState.CLOSED])
    for campaign in campaigns.order_by("pk"):
        for kind in (RunKind.MIGRATION, RunKind.CONFIRMATION):
            if not targets.deadline_passed(campaign, kind, at=at):
                continue
            run = deadline_enforce(
                campaign=campaign,
                kind=kind,
                at=at,
                dry_run=dry_run,
                actor=actor,
                batch_size=batch_size,
                batch_hook=batch_hook,
            )
            if run is not None:
                runs.append(run)
            if run is not None and run.state != RunState.DONE and not dry_run:
                break  # held: the confirmation deadline waits for the migration's run
    return runs


def deadline_enforce(
    *,
    campaign: AuditCampaign,
    kind: str,
    at: datetime.datetime,
    dry_run: bool = False,
    actor=None,
    batch_size: int = BATCH_SIZE,
    batch_hook: BatchHook | None = None,
) -> EnforcementRun | None:
    """One deadline of one campaign: its unfinished run taken up, or a new one; ``None`` when
    a run of it is done already."""
    with translation.override(settings.LANGUAGE_CODE):
        if dry_run:
            run = EnforcementRun.objects.create(
                campaign=campaign,
                kind=kind,
                as_of=_china_date(at),
                dry_run=True,
                started_by=actor,
                state=RunState.DONE,
                finished_at=timezone.now(),
                counts=plan(campaign, kind, ends=_ends(campaign, kind)),
            )
            return run
        run = _run_to_do(campaign, kind, at=at, actor=actor)
        if run is None or run.state == RunState.HELD:
            return run
        return run_continue(run, at=at, batch_size=batch_size, batch_hook=batch_hook)


def _china_date(at: datetime.datetime) -> datetime.date:
    from ..constants import china_today

    return china_today(at)


def _ends(campaign: AuditCampaign, kind: str) -> datetime.datetime:
    return deadline_end(targets.deadline_of(campaign, kind))


@transaction.atomic
def _run_to_do(campaign, kind, *, at, actor) -> EnforcementRun | None:
    """The campaign locked, the run of this deadline that is not done, or a new one with its
    plan (and held if the circuit breaker says so); ``None`` if one is done."""
    campaign = AuditCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state not in (CampaignState.OPEN, CampaignState.CLOSED):
        return None
    runs = EnforcementRun.objects.filter(campaign=campaign, kind=kind, dry_run=False)
    if runs.filter(state=RunState.DONE).exists():
        return None
    run = runs.exclude(state=RunState.DONE).order_by("pk").first()
    if run is not None:
        return run
    counts = plan(campaign, kind, ends=_ends(campaign, kind))
    run = EnforcementRun.objects.create(
        campaign=campaign,
        kind=kind,
        as_of=_china_date(at),
        started_by=actor,
        counts=counts,
        state=RunState.HELD if breaker_trips(campaign, counts) else RunState.RUNNING,
    )
    if run.state == RunState.HELD:
        log.warning("enforcement run %s held by the circuit breaker: %s", run.pk, counts)
    return run


def breaker_trips(campaign: AuditCampaign, counts: dict) -> bool:
    """The run would take away more than ``breaker_share`` of all active rights."""
    active = counts.get("active_rights", 0)
    return bool(active) and Decimal(counts["would_take"]) > campaign.breaker_share * active


def plan(campaign: AuditCampaign, kind: str, *, ends: datetime.datetime) -> dict:
    """What the run would change if the deadline passed at ``ends``: the dry run's report and
    the counts a real run starts from (per case, per lab, per branch).

    One grouped query over the campaign's entries of the rights concerned (each such right
    has its one entry in the campaign): the target set is evaluated once, not once a count.
    """
    active = LoginRight.objects.filter(state=LoginRightState.ACTIVE).count()
    if kind == RunKind.MIGRATION:
        rights = targets.suspension_candidates(ends=ends)
        counts = {"qualifications": targets.lapse_candidates().count()}
    else:
        rights = targets.revocation_targets(campaign, ends=ends)
        counts = {}
    rows = (
        CampaignEntry.objects.filter(campaign=campaign, right__in=rights.values("pk"))
        .order_by()
        .values_list("case", "lab_id", "lab__branch_id", "right__state")
        .annotate(n=Count("id"))
    )
    per_case, per_lab, per_branch = {}, {}, {}
    total = would_take = 0
    for case, lab, branch, state, n in rows:
        total += n
        would_take += n if state == LoginRightState.ACTIVE else 0
        for into, key in ((per_case, case), (per_lab, lab), (per_branch, branch)):
            into[str(key)] = into.get(str(key), 0) + n
    counts.update(
        active_rights=active,
        rights=total,
        would_take=would_take,
        per_case=per_case,
        per_lab=per_lab,
        per_branch=per_branch,
        changed=0,
        qualifications_lapsed=0,
        batches=0,
    )
    return counts


def run_continue(
    run: EnforcementRun,
    *,
    at: datetime.datetime | None = None,
    batch_size: int = BATCH_SIZE,
    batch_hook: BatchHook | None = None,
) -> EnforcementRun:
    """Work a running run to its end, a batch per transaction; then mark it done (and the
    campaign enforced, after the confirmation deadline) and announce it on commit."""
    at = at or timezone.now()
    campaign = run.campaign
    ends = _ends(campaign, run.kind)
    with translation.override(settings.LANGUAGE_CODE):
        if run.kind == RunKind.MIGRATION:
            _lapse_all(run, ends=ends, at=at, batch_size=batch_size, batch_hook=batch_hook)
        else:
            _revoke_all(run, ends=ends, at=at, batch_size=batch_size, batch_hook=batch_hook)
        return _finish(run)


def _revoke_all(run, *, ends, at, batch_size, batch_hook) -> None:
    campaign = run.campaign
    reason = _(
        "A-04: not confirmed by its lab, or not put right, by the confirmation deadline "
        "%(date)s 24:00 China time (A-05) of the check campaign “%(campaign)s”."
    ) % {"date": campaign.confirmation_deadline.isoformat(), "campaign": campaign.name}
    # The targets found once, and each batch taken as the targets between the last batch's
    # end and the id of the next batch_size-th target found then: the target query with its
    # LIMIT made PostgreSQL hash the campaign's entries and the qualifications again for every
    # batch (bench/README.md). A batch still re-checks the rule on its rows, locked, so what is
    # revoked is what the rule says when the batch runs; the bounds past the last found
    # target are the same batches as before, so a target that appeared meanwhile is taken.
    found = array("q", _target_ids(campaign, ends=ends))
    ends_of_batches = [found[i] for i in range(batch_size - 1, len(found), batch_size)]
    if found and found[-1] not in ends_of_batches[-1:]:
        ends_of_batches.append(found[-1])
    del found
    last = 0
    while True:
        upper = ends_of_batches.pop(0) if ends_of_batches else None
        with transaction.atomic():
            batch = targets.revocation_targets(campaign, ends=ends).filter(pk__gt=last)
            if upper is not None:
                batch = batch.filter(pk__lte=upper)
            with _probing():
                pks = list(
                    batch.order_by("pk")
                    .select_for_update(of=("self",))
                    .values_list("pk", flat=True)[: None if upper is not None else batch_size]
                )
            if not pks and upper is None:
                return
            if not pks:  # the rights up to it were taken meanwhile
                last = upper
                continue
            rights_revoke_batch(
                pks,
                run=run,
                campaign=campaign,
                rule=REVOCATION_RULE,
                reason=reason,
                ends=ends,
                at=at,
            )
            _progress(run, changed=len(pks))
        last = pks[-1] if upper is None else upper
        if batch_hook is not None:
            batch_hook(run, run.counts["batches"])


@contextmanager
def _probing():
    """PostgreSQL checks a batch's few thousand rights by index, one by one, instead of
    reading all the campaign's entries and all qualifications into hash tables for each
    batch (0.7 s a batch at 200,000 accounts, growing with them; bench/README.md): while the
    batch is picked, its transaction's ``work_mem`` is too small for those tables."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem'), set_config('work_mem', '64kB', true)")
        (before, _set) = cursor.fetchone()
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [before])


def _target_ids(campaign, *, ends) -> list[int]:
    """The ids of the rights the run would revoke now, in order (unlocked: a batch locks and
    checks its own)."""
    rights = targets.revocation_targets(campaign, ends=ends).order_by("pk")
    return list(rights.values_list("pk", flat=True))


def _lapse_all(run, *, ends, at, batch_size, batch_hook) -> None:
    """L-13 a batch at a time: the lapses recorded (liaisons), and in the same transaction
    the rights of their people suspended (A-01)."""
    reason = _(
        "L-13: the legacy liaison qualification was not migrated by the migration deadline "
        "%(date)s 24:00 China time (A-05); A-01: no qualification that counts as hired."
    ) % {"date": run.campaign.migration_deadline.isoformat()}
    while True:
        with transaction.atomic():
            lapsed = qualifications_lapse_unmigrated(as_of=ends, run_id=run.pk, limit=batch_size)
            if not lapsed:
                return
            pks = list(
                targets.suspension_targets(person_ids={p for _q, p in lapsed}, ends=ends)
                .order_by("pk")
                .select_for_update(of=("self",))
                .values_list("pk", flat=True)
            )
            if pks:
                rights_suspend_batch(
                    pks,
                    run=run,
                    campaign=run.campaign,
                    rule=LAPSE_RULE,
                    reason=reason,
                    ends=ends,
                    at=at,
                )
            _progress(run, changed=len(pks), lapsed=len(lapsed))
        if batch_hook is not None:
            batch_hook(run, run.counts["batches"])


def _progress(run: EnforcementRun, *, changed: int, lapsed: int = 0) -> None:
    """The run's counts, in the batch's transaction: what is committed is what is counted."""
    counts = EnforcementRun.objects.select_for_update().get(pk=run.pk).counts
    counts["changed"] = counts.get("changed", 0) + changed
    counts["qualifications_lapsed"] = counts.get("qualifications_lapsed", 0) + lapsed
    counts["batches"] = counts.get("batches", 0) + 1
    EnforcementRun.objects.filter(pk=run.pk).update(counts=counts)
    run.counts = counts


@transaction.atomic
def _finish(run: EnforcementRun) -> EnforcementRun:
    campaign = AuditCampaign.objects.select_for_update().get(pk=run.campaign_id)
    run = EnforcementRun.objects.select_for_update().get(pk=run.pk)
    if run.state == RunState.DONE:
        return run
    now = timezone.now()
    run.state = RunState.DONE
    run.finished_at = now
    run.save(update_fields=["state", "finished_at"])
    if run.kind == RunKind.CONFIRMATION:
        ends = _ends(campaign, run.kind)
        description = _("Confirmation deadline %(date)s 24:00 China time passed (A-04, A-05).") % {
            "date": campaign.confirmation_deadline.isoformat()
        }
        if campaign.state == CampaignState.OPEN:
            campaign.close(at=ends, by=None, description=description)
        campaign.mark_enforced(at=now, by=None, description=description)
        campaign.save()
    run_id = run.pk
    transaction.on_commit(
        lambda: enforcement_run_finished.send(sender=EnforcementRun, run_id=run_id)
    )
    return run


def held_run_resume(run: EnforcementRun) -> EnforcementRun:
    """Go on with a run the training centre confirmed (``services/enforcement.py``)."""
    run = EnforcementRun.objects.select_related("campaign").get(pk=run.pk)
    if run.state != RunState.RUNNING or run.dry_run:
        return run
    run = run_continue(run)
    if run.kind == RunKind.MIGRATION:
        # The confirmation deadline may have waited for this one.
        deadlines_enforce()
    return run
