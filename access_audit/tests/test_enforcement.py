"""The deadline job (L-13, A-04, A-05, A-06): what each deadline takes away, when, and that
it does so once."""

import datetime

import pytest
from django.core.management import call_command

from access_audit.constants import CampaignState, LoginRightState, RunKind, RunState
from access_audit.enforcement.run import deadlines_enforce, run_clock
from access_audit.models import EnforcementRun, LoginRight, RightChange
from access_audit.signals import enforcement_run_finished
from access_audit.tests.enforcement_helpers import full_state, scene
from liaisons.models import LiaisonQualification

S = LoginRightState


def states(*rights):
    return [LoginRight.objects.get(pk=r.pk).state for r in rights]


def test_a05_nothing_happens_at_235959_on_the_deadline_day(world):
    """A-05: 23:59:59 China time on the confirmation deadline: the deadline has not passed."""
    s = scene(world)
    runs = deadlines_enforce(at=s.ends - datetime.timedelta(seconds=1))
    assert [r.kind for r in runs] == [RunKind.MIGRATION]  # that one passed two days before
    assert states(s.unconfirmed, s.other_lab, s.not_put_right) == [S.ACTIVE] * 3
    s.campaign.refresh_from_db()
    assert s.campaign.state == CampaignState.OPEN


def test_a04_a05_at_000000_the_unconfirmed_and_not_put_right_are_revoked(world):
    """A-04, A-05: at 00:00:00 China time the day after, every right its lab did not confirm
    and every case-3 right not put right is revoked, recording the campaign, rule and time
    (A-06); the confirmed and qualified keep theirs; the campaign is enforced."""
    s = scene(world)
    deadlines_enforce(at=s.ends)
    assert states(s.unconfirmed, s.other_lab, s.not_put_right, s.legacy) == [S.REVOKED] * 4
    assert states(s.confirmed) == [S.ACTIVE]
    revoked = LoginRight.objects.get(pk=s.unconfirmed.pk)
    assert (revoked.rule, revoked.campaign, revoked.revoked_at) == ("A-04", s.campaign, s.ends)
    assert revoked.history.count() == 2 and revoked.history.first().state == S.REVOKED
    run = EnforcementRun.objects.get(kind=RunKind.CONFIRMATION, dry_run=False)
    assert run.state == RunState.DONE and run.counts["changed"] == 4
    feed = RightChange.objects.filter(run=run)
    assert feed.count() == 4 and set(feed.values_list("rule", flat=True)) == {"A-04"}
    s.campaign.refresh_from_db()
    assert s.campaign.state == CampaignState.ENFORCED
    # nothing deleted.
    assert LoginRight.objects.count() == 11


def test_l13_the_migration_deadline_records_the_lapse_and_suspends_the_right(world):
    """L-13: at the migration deadline a legacy qualification not migrated stops counting as
    hired, recorded on the qualification with its history; A-01: its person's right is
    suspended at once under L-13."""
    s = scene(world)
    q = s.legacy_qualification
    deadlines_enforce(at=s.migration_ends)
    q.refresh_from_db()
    assert q.lapsed_at == s.migration_ends and q.state == "active"
    assert not q.counts_as_hired
    assert not LiaisonQualification.objects.counting().filter(pk=q.pk).exists()
    assert not LiaisonQualification.objects.hired().filter(pk=q.pk).exists()
    # In 2011, before the lapse's instant, it still counted (L-13 reads the record by time).
    assert (
        LiaisonQualification.objects.hired(at=q.created_at.replace(year=2011, month=1))
        .filter(pk=q.pk)
        .exists()
    )
    assert q.history.first().lapsed_at == s.migration_ends
    right = LoginRight.objects.get(pk=s.legacy.pk)
    assert (right.state, right.rule) == (S.SUSPENDED, "L-13")
    assert states(s.unconfirmed, s.confirmed) == [S.ACTIVE, S.ACTIVE]
    run = EnforcementRun.objects.get(kind=RunKind.MIGRATION)
    assert run.counts["qualifications_lapsed"] == 1 and run.counts["changed"] == 1


def test_a05_as_of_the_deadline_day_changes_nothing_and_the_day_after_enforces(world):
    """A-05 through ``manage.py enforce_deadlines --as-of``: the deadline day is still inside
    the deadline; the day after is the first day it applies."""
    s = scene(world)
    day = s.campaign.confirmation_deadline
    call_command("enforce_deadlines", as_of=day.isoformat())
    assert states(s.unconfirmed) == [S.ACTIVE]
    call_command("enforce_deadlines", as_of=(day + datetime.timedelta(days=1)).isoformat())
    assert states(s.unconfirmed) == [S.REVOKED]
    assert run_clock(day + datetime.timedelta(days=1)) == s.ends


def test_a04_the_job_is_idempotent_a_second_run_changes_nothing(world):
    """A-04: the job run again after it is done changes nothing (no new run, no new row)."""
    s = scene(world)
    call_command("enforce_deadlines", as_of=(s.ends.date()).isoformat())
    before = full_state()
    runs = EnforcementRun.objects.count()
    call_command("enforce_deadlines", as_of=(s.ends.date()).isoformat())
    deadlines_enforce(at=s.ends + datetime.timedelta(days=3))
    assert full_state() == before and EnforcementRun.objects.count() == runs


def test_a04_a_dry_run_changes_nothing_and_reports_what_would_change(world):
    """A-04: the dry run counts what the run would take away and writes nothing else."""
    s = scene(world)
    before = full_state()
    runs = deadlines_enforce(at=s.ends, dry_run=True)
    assert full_state() == before
    by_kind = {r.kind: r for r in runs}
    assert all(r.dry_run and r.state == RunState.DONE for r in runs)
    assert by_kind[RunKind.CONFIRMATION].counts["rights"] == 4
    assert by_kind[RunKind.CONFIRMATION].counts["per_lab"] == {
        str(world.lab_a.pk): 3,
        str(world.lab_b.pk): 1,
    }
    assert by_kind[RunKind.MIGRATION].counts["qualifications"] == 1


def test_a04_the_finished_run_is_announced_once_on_commit(
    world, django_capture_on_commit_callbacks
):
    """The evidence pack and the notices subscribe to ``enforcement_run_finished``."""
    s = scene(world)
    heard = []

    def listener(sender, *, run_id, **kwargs):
        heard.append(run_id)

    enforcement_run_finished.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            deadlines_enforce(at=s.ends)
        with django_capture_on_commit_callbacks(execute=True):
            deadlines_enforce(at=s.ends, dry_run=True)
    finally:
        enforcement_run_finished.disconnect(listener)
    done = EnforcementRun.objects.filter(dry_run=False).order_by("pk")
    assert heard == list(done.values_list("pk", flat=True)) and len(heard) == 2


@pytest.mark.parametrize("batch_size", [1, 2])
def test_a04_batches_end_as_one_clean_run(world, batch_size):
    """A-04: small batches (one transaction each) end in the same state as one big batch."""
    s = scene(world)
    deadlines_enforce(at=s.ends, batch_size=batch_size)
    run = EnforcementRun.objects.get(kind=RunKind.CONFIRMATION)
    assert run.counts["changed"] == 4 and run.counts["batches"] == 4 // batch_size


def test_a04_a_task_at_its_time_limit_hands_the_rest_to_a_new_task(world, monkeypatch):
    """A-04: the job stopped by its soft time limit after a committed batch goes on in a new
    task; stopped without progress, it leaves the rest to the next day."""
    from unittest import mock

    from celery.exceptions import SoftTimeLimitExceeded

    from access_audit.tasks import enforcement as tasks

    s = scene(world)

    def stop_after_first(run, batches):
        raise SoftTimeLimitExceeded()

    from access_audit.enforcement import run as run_module

    original = run_module.deadlines_enforce
    monkeypatch.setattr(
        run_module,
        "deadlines_enforce",
        lambda **kwargs: original(**kwargs, batch_size=1, batch_hook=stop_after_first),
    )
    with mock.patch.object(tasks.enforce_deadlines, "delay") as delay:
        assert tasks.enforce_deadlines.run(s.ends.date().isoformat()) == []
    delay.assert_called_once_with(s.ends.date().isoformat())
    monkeypatch.setattr(
        run_module, "deadlines_enforce", mock.Mock(side_effect=SoftTimeLimitExceeded)
    )
    with mock.patch.object(tasks.enforce_deadlines, "delay") as delay:
        tasks.enforce_deadlines.run(s.ends.date().isoformat())
    delay.assert_not_called()
