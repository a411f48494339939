"""Benchmark of the deadline job (issue 12, A-04): the confirmation deadline's run over
1,000,000 business-system accounts (``access_audit.enforcement.run.deadlines_enforce``, in
batches, each with its fsm-log, simple-history and feed rows) against the bare SQL ``UPDATE``
that makes the same change to the same rows, in the same run, on PostgreSQL; and the peak
memory of the job's process.

Run alone: ``.venv/bin/python bench/run.py --only enforcement`` (or ``bench/enforcement.py``;
``--accounts 100000`` for a quicker look).

The data are the campaign benchmark's (``bench/campaign.py``: people, qualifications and
accounts made by ``generate_series``), in a database of their own,
``cqcportal_bench_enforcement``. The campaign is opened once by the bare statements of that
benchmark and closed; its labs confirmed every account but one in ten (``id % 10 = 3``). The
run then revokes the unconfirmed rights and those of confirmed accounts whose person is not
qualified (ID numbers matching no one, no or a suspended qualification): about half of the
active rights, so the bench campaign's circuit breaker is set to 1 (it would hold the run,
which is not what is measured).

Before every run the rights are put back from a copy taken once, the job's rows (history,
fsm-log, feed, runs) emptied, the campaign closed again, the table vacuumed and a
``CHECKPOINT`` taken; the runs alternate (bare, job, bare, ...) and the medians are compared.
Both must end with the same rights: a checksum over (id, state, rule) is compared.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import campaign as campaign_bench  # noqa: E402 - after the path

BENCH_DB = "cqcportal_bench_enforcement"
TARGET_RATIO = 2.0
TARGET_MEMORY_MB = 300
CAMPAIGN = "基准截止"
MIGRATION_DEADLINE = datetime.date(2026, 6, 30)
DEADLINE = datetime.date(2026, 7, 31)
#: The job runs as of the day after the deadline (A-05); its records carry the deadline's end.
AS_OF = DEADLINE + datetime.timedelta(days=1)
ENDS = "2026-08-01T00:00:00+08:00"
REASON = "A-04"
SAVED = "bench_enforcement_rights_before"
RIGHT_COLUMNS = ("state", "revoked_at", "revoked_by_id", "rule", "revoke_reason", "campaign_id")


def database_url() -> str:
    if os.environ.get("BENCH_ENFORCEMENT_DATABASE_URL"):
        return os.environ["BENCH_ENFORCEMENT_DATABASE_URL"]
    return campaign_bench.database_url().rsplit("/", 1)[0] + f"/{BENCH_DB}"


def ensure_campaign(conn) -> int:
    """The campaign, opened once by the bare statements of the opening's benchmark, confirmed
    by its labs except one account in ten, closed; the rights as they are now saved."""
    from access_audit.models import AuditCampaign
    from access_audit.services.campaigns import campaign_create
    from directory.constants import Role
    from directory.models import User

    campaign = AuditCampaign.objects.filter(name=CAMPAIGN).first()
    if campaign is not None:
        return campaign.pk
    trainer = User.objects.filter(username=campaign_bench.TRAINER).first() or User.objects.create(
        username=campaign_bench.TRAINER, role=Role.TRAINING_ADMIN
    )
    campaign = campaign_create(
        actor=trainer,
        name=CAMPAIGN,
        migration_deadline=MIGRATION_DEADLINE,
        confirmation_deadline=DEADLINE,
    )
    at = datetime.datetime.fromisoformat(campaign_bench.OPEN_AT)
    cutoff = at.date() - datetime.timedelta(days=campaign_bench.UNUSED_AFTER_DAYS)
    params = {"campaign": campaign.pk, "cutoff": cutoff, "at": at}
    with conn.transaction():
        conn.execute(campaign_bench.BARE_ACCOUNTS, params)
        conn.execute(campaign_bench.BARE_PEOPLE, params)
        conn.execute(
            "UPDATE access_audit_campaignentry SET confirmation = 'works', confirmed_at = %s "
            "WHERE campaign_id = %s AND (right_id IS NULL OR right_id %% 10 <> 3)",
            [at, campaign.pk],
        )
        conn.execute(
            "UPDATE access_audit_auditcampaign SET state = 'closed', opened_at = %s, "
            "closed_at = %s, breaker_share = 1 WHERE id = %s",
            [at, at, campaign.pk],
        )
        conn.execute(f"DROP TABLE IF EXISTS {SAVED}")
        conn.execute(
            f"CREATE TABLE {SAVED} AS SELECT id, {', '.join(RIGHT_COLUMNS)} "  # noqa: S608 - constants
            "FROM access_audit_loginright"
        )
        conn.execute(f"ALTER TABLE {SAVED} ADD PRIMARY KEY (id)")
    conn.execute("VACUUM ANALYZE access_audit_campaignentry")
    return campaign.pk


def reset(conn, campaign_id: int) -> None:
    """The rights as saved, the job's rows gone, the campaign closed, pages written out."""
    sets = ", ".join(f"{c} = b.{c}" for c in RIGHT_COLUMNS)
    with conn.transaction():
        conn.execute(
            f"UPDATE access_audit_loginright r SET {sets} FROM {SAVED} b "  # noqa: S608 - constants
            "WHERE r.id = b.id AND r.state IS DISTINCT FROM b.state"
        )
        conn.execute(
            "TRUNCATE access_audit_historicalloginright, django_fsm_log_statelog, "
            "access_audit_rightchange, access_audit_historicalauditcampaign, "
            "access_audit_evidencefile, access_audit_enforcementnoticesent"
        )
        conn.execute("DELETE FROM access_audit_enforcementrun")
        conn.execute(
            "UPDATE access_audit_auditcampaign SET state = 'closed', enforced_at = NULL "
            "WHERE id = %s",
            [campaign_id],
        )
    conn.execute("VACUUM ANALYZE access_audit_loginright")
    conn.execute("CHECKPOINT")


BARE = """
UPDATE access_audit_loginright r
SET state = 'revoked', revoked_at = %(ends)s, revoked_by_id = NULL, rule = 'A-04',
    revoke_reason = %(reason)s, campaign_id = %(campaign)s
WHERE r.state IN ('active', 'suspended')
  AND EXISTS (
    SELECT 1 FROM access_audit_campaignentry e
    WHERE e.campaign_id = %(campaign)s AND e.right_id = r.id
      AND (e.confirmation = ''
           OR (e.confirmation NOT IN ('left_transferred', 'left_retired')
               AND NOT EXISTS (
                 SELECT 1 FROM liaisons_liaisonqualification q
                 WHERE q.person_id = r.person_id AND q.state = 'active'
                   AND q.migrated_at IS NULL AND NOT q.is_legacy
                   AND (q.lapsed_at IS NULL OR q.lapsed_at > %(ends)s)))))
"""


def bare_run(conn, campaign_id: int) -> float:
    import time

    params = {"campaign": campaign_id, "ends": ENDS, "reason": REASON}
    started = time.perf_counter()
    with conn.transaction():
        conn.execute(BARE, params)
    return time.perf_counter() - started


def job_run(url: str) -> dict:
    out = subprocess.run(  # noqa: S603 - this script, run again
        [sys.executable, __file__, "--child"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_ENFORCEMENT_DATABASE_URL": url},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(idle: bool) -> None:
    import time

    campaign_bench._setup(database_url())
    seconds, counts = 0.0, {}
    if not idle:
        from access_audit.enforcement.run import deadlines_enforce, run_clock
        from access_audit.signals import enforcement_run_finished

        # The evidence pack and the labs' notices are Celery tasks of their own that follow
        # the run (eager under the test settings): not the job measured here, and measured by
        # bench/evidence.py.
        enforcement_run_finished.disconnect(dispatch_uid="access_audit.evidence_follows_run")
        started = time.perf_counter()
        runs = deadlines_enforce(at=run_clock(AS_OF))
        seconds = time.perf_counter() - started
        counts = {run.kind: run.counts.get("changed", 0) for run in runs}
    print(json.dumps({"seconds": seconds, "peak_mb": campaign_bench.peak_memory_mb(), **counts}))


def fingerprint(conn) -> tuple:
    return conn.execute(
        "SELECT count(*) FILTER (WHERE state = 'revoked' AND rule = 'A-04'), "
        "sum(hashtext(concat_ws(',', id, state, rule))::bigint) FROM access_audit_loginright"
    ).fetchone()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--accounts", type=int, default=campaign_bench.ACCOUNTS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--idle-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child or args.idle_child:
        child(args.idle_child)
        return 0

    import platform

    import psycopg

    from bench import data

    url = database_url()
    created = data.ensure_database(url, fresh=args.fresh)
    campaign_bench._setup(url)
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    print(f"Database {url.rsplit('@', 1)[-1]} ({'created' if created else 'reused'})")
    print(f"  data: {campaign_bench.ensure_data(args.accounts)}")
    with psycopg.connect(url.replace("pgsql://", "postgres://"), autocommit=True) as conn:
        campaign_id = ensure_campaign(conn)
        for c in connections.all():
            c.close()
        bare_s, job_s, peaks, same = [], [], [], True
        for run in range(args.runs):
            reset(conn, campaign_id)
            bare_s.append(bare_run(conn, campaign_id))
            expected = fingerprint(conn)
            reset(conn, campaign_id)
            result = job_run(url)
            job_s.append(result["seconds"])
            peaks.append(result["peak_mb"])
            got = fingerprint(conn)
            same = same and got == expected
            print(
                f"  run {run + 1}: bare {bare_s[-1]:.2f} s, job {job_s[-1]:.2f} s, peak "
                f"{peaks[-1]:.0f} MB, revoked {got[0]:,}, same rights: "
                f"{'yes' if got == expected else 'NO'}"
            )
        active = conn.execute(
            f"SELECT count(*) FROM {SAVED} WHERE state = 'active'"  # noqa: S608 - constant
        ).fetchone()[0]
        reset(conn, campaign_id)
        pg = conn.execute("SHOW server_version").fetchone()[0]
    idle = json.loads(
        subprocess.run(  # noqa: S603 - this script, run again
            [sys.executable, __file__, "--idle-child"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "BENCH_ENFORCEMENT_DATABASE_URL": url},
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    import django

    bare, job = statistics.median(bare_s), statistics.median(job_s)
    ratio, peak = job / bare, max(peaks)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\nMachine: {os.cpu_count()} CPUs, load average {load}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg}"
    )
    print(
        f"Confirmation deadline over {args.accounts:,} accounts ({active:,} active rights): "
        f"{expected[0]:,} rights revoked"
    )
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(
        f"  deadlines_enforce (median of {args.runs}) {job:.2f} s; bare SQL UPDATE {bare:.2f} s; "
        f"ratio {ratio:.2f} (target <= {TARGET_RATIO})  [{verdict}]"
    )
    verdict = "PASS" if peak <= TARGET_MEMORY_MB else "FAIL"
    print(
        f"  peak memory of the job's process {peak:.0f} MB (Django alone "
        f"{idle['peak_mb']:.0f} MB; target <= {TARGET_MEMORY_MB})  [{verdict}]"
    )
    if not same:
        print("WARNING: the job and the bare statement did not leave the same rights.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
