"""Benchmark of the check campaign's opening (issue 12, A-03): 1,000,000 business-system
accounts and 50,000 hired liaisons without one sorted into the five cases by
``access_audit.services.campaigns.campaign_open``, against the bare SQL statements that insert
the same entries for the same rows, in the same run, on PostgreSQL; and the peak memory of
the process that opens the campaign.

Run alone: ``.venv/bin/python bench/run.py --only campaign`` (or ``bench/campaign.py``).

Each opening runs in a fresh child process (``--child``), so its peak resident memory
(``VmHWM``) is the job's own: Django, the service and whatever the service holds; an idle
child that only starts Django is measured too, for comparison. The bare statements run over
psycopg in the parent. Before every run the entries are emptied (``TRUNCATE``), the campaign
put back in draft and a ``CHECKPOINT`` taken, so every run starts from the same state; the
runs alternate (bare, service, bare, ...) and the medians are compared. Both produce the same
entries: the counts per case and a checksum over (account, person, lab, case, suggestion) are
compared after each run.

Database: ``BENCH_CAMPAIGN_DATABASE_URL``, else the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432``) with the database ``cqcportal_bench_campaign``: its own,
so that its million people never mix with the pages' benchmark. Created, migrated and filled on
the first run (``INSERT ... SELECT generate_series``, a few minutes), reused afterwards.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "cqcportal_bench_campaign"
TARGET_RATIO = 2.0
TARGET_MEMORY_MB = 300
ACCOUNTS = 1_000_000
#: Hired liaisons with no account at all (case 2 without an account).
WITHOUT_ACCOUNT = 50_000
#: The instant every run opens the campaign at (China time): the suggestion's cutoff.
OPEN_AT = "2026-06-01T10:00:00+08:00"
UNUSED_AFTER_DAYS = 90
TRAINER = "bench.campaign.training"
CAMPAIGN = "基准核查"

TABLES = ("directory_person", "liaisons_liaisonqualification", "access_audit_loginright")
#: GB 11643 weights of the first 17 digits of an ID number, and the check characters.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def database_url() -> str:
    if os.environ.get("BENCH_CAMPAIGN_DATABASE_URL"):
        return os.environ["BENCH_CAMPAIGN_DATABASE_URL"]
    import psycopg

    server = os.environ.get("DATABASE_URL") or f"{DEFAULT_SERVER}/{BENCH_DB}"
    if not server.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise SystemExit(f"The benchmark needs PostgreSQL; DATABASE_URL is {server!r}.")
    params = psycopg.conninfo.conninfo_to_dict(server.replace("pgsql://", "postgres://", 1))
    user = params.get("user", "")
    password = f":{params['password']}" if params.get("password") else ""
    auth = f"{user}{password}@" if user else ""
    host, port = params.get("host", "127.0.0.1"), params.get("port", "5432")
    return f"postgres://{auth}{host}:{port}/{BENCH_DB}"


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cqcportal.settings.test"
    import django

    django.setup()


# --- The data ------------------------------------------------------------------------------


def _id_number_sql(index: str) -> str:
    """A valid 18-character ID number for person ``index`` (an SQL expression): region
    110105, born 1960-01-01 plus ``index // 1000`` days, sequence ``index % 1000``."""
    body = (
        f"('110105' || to_char(date '1960-01-01' + ({index} / 1000)::int, 'YYYYMMDD') "
        f"|| lpad(({index} % 1000)::text, 3, '0'))"
    )
    total = " + ".join(f"substr({body}, {k + 1}, 1)::int * {w}" for k, w in enumerate(WEIGHTS))
    return f"{body} || substr('10X98765432', (({total}) % 11) + 1, 1)"


def ensure_data(accounts: int) -> str:
    """The benchmark's rows, made once: people, qualifications, accounts (see README)."""
    from django.db import connection

    from access_audit.models import LoginRight
    from bench import data
    from directory.models import Person

    data.ensure_organisations()
    people = accounts + WITHOUT_ACCOUNT
    if LoginRight.objects.count() == accounts and Person.objects.count() == people:
        return "reused"
    if LoginRight.objects.exists() or Person.objects.exists():
        raise SystemExit("The campaign benchmark's database holds other data: run with --fresh.")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), count(*) FROM directory_testinglab")
        first_lab, labs = cursor.fetchone()
        # Person i works at lab i % labs.
        cursor.execute(
            f"""
            INSERT INTO directory_person (id, id_number, name, birth_date, sex, political_status,
                education, major, phone, email, work_unit, address, lab_id, created_at)
            SELECT i + 1, {_id_number_sql("i")}, '人员' || i,
                date '1960-01-01' + (i / 1000)::int,
                CASE WHEN (i % 1000) % 2 = 1 THEN 'M' ELSE 'F' END,
                '', 'associate', '', '', '', '', '', {first_lab} + i % {labs}, now()
            FROM generate_series(0, {people - 1}) AS i
            """  # noqa: S608 - numbers only
        )
        # Account i: person i, except one in ten whose ID number matched no one (i % 10 = 9).
        # i % 10 in 0-5: an active qualification (5: the right suspended); 6: a suspended
        # qualification; 7, 8: none (8: the right revoked). People past the accounts are
        # hired liaisons without an account.
        cursor.execute(
            f"""
            INSERT INTO liaisons_liaisonqualification (person_id, lab_id, state, state_reason,
                hired_on, is_legacy, created_at)
            SELECT i + 1, {first_lab} + i % {labs},
                CASE WHEN i < {accounts} AND i % 10 = 6 THEN 'suspended' ELSE 'active' END,
                '', date '2020-01-01', false, now()
            FROM generate_series(0, {people - 1}) AS i
            WHERE i >= {accounts} OR i % 10 <= 6
            """  # noqa: S608 - numbers only
        )
        cursor.execute(
            f"""
            INSERT INTO access_audit_loginright (username, id_number, name, person_id, lab_id,
                last_login_on, state, granted_at, rule, revoke_reason, imported_at)
            SELECT 'cbs' || i, CASE WHEN i % 10 = 9 THEN '' ELSE {_id_number_sql("i")} END,
                '账号' || i, CASE WHEN i % 10 = 9 THEN NULL ELSE i + 1 END,
                CASE WHEN i % 20 = 3 THEN NULL ELSE {first_lab} + i % {labs} END,
                CASE WHEN i % 37 = 0 THEN NULL ELSE date '2026-06-01' - (i % 400) END,
                CASE i % 10 WHEN 5 THEN 'suspended' WHEN 8 THEN 'revoked' ELSE 'active' END,
                now(), '', '', now()
            FROM generate_series(0, {accounts - 1}) AS i
            """  # noqa: S608 - numbers only
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('directory_person', 'id'), "
            "(SELECT max(id) FROM directory_person))"
        )
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return f"made in {time.perf_counter() - started:.0f} s"


def ensure_campaign() -> int:
    from access_audit.models import AuditCampaign
    from directory.constants import Role
    from directory.models import User

    trainer = User.objects.filter(username=TRAINER).first() or User.objects.create(
        username=TRAINER, role=Role.TRAINING_ADMIN
    )
    campaign = AuditCampaign.objects.filter(name=CAMPAIGN).first()
    if campaign is None:
        from access_audit.services.campaigns import campaign_create

        campaign = campaign_create(
            actor=trainer,
            name=CAMPAIGN,
            migration_deadline=datetime.date(2026, 6, 30),
            confirmation_deadline=datetime.date(2026, 7, 31),
            unused_after_days=UNUSED_AFTER_DAYS,
        )
    return campaign.pk


# --- One run -------------------------------------------------------------------------------


def reset(conn, campaign_id: int) -> None:
    """Empty the entries, the campaign back in draft, dirty pages written out."""
    conn.execute("TRUNCATE access_audit_campaignentry, access_audit_historicalcampaignentry")
    conn.execute(
        "UPDATE access_audit_auditcampaign SET state = 'draft', opened_at = NULL WHERE id = %s",
        [campaign_id],
    )
    conn.execute("CHECKPOINT")


BARE_ACCOUNTS = """
INSERT INTO access_audit_campaignentry (campaign_id, right_id, person_id, lab_id, "case",
    suggest_left, confirmation, confirmed_by_branch, comment, updated_at)
SELECT %(campaign)s, r.id, r.person_id, COALESCE(r.lab_id, q.lab_id, p.lab_id),
    CASE WHEN q.id IS NOT NULL AND r.state = 'active' THEN 1
         WHEN q.id IS NOT NULL THEN 2
         WHEN r.state = 'active' THEN 3
         ELSE 5 END,
    COALESCE(r.last_login_on < %(cutoff)s, false), '', false, '', %(at)s
FROM access_audit_loginright r
LEFT JOIN directory_person p ON p.id = r.person_id
LEFT JOIN liaisons_liaisonqualification q
    ON q.person_id = r.person_id AND q.state = 'active' AND NOT q.is_legacy
"""
BARE_PEOPLE = """
INSERT INTO access_audit_campaignentry (campaign_id, right_id, person_id, lab_id, "case",
    suggest_left, confirmation, confirmed_by_branch, comment, updated_at)
SELECT %(campaign)s, NULL, q.person_id, COALESCE(q.lab_id, p.lab_id), 2, false, '', false, '',
    %(at)s
FROM liaisons_liaisonqualification q JOIN directory_person p ON p.id = q.person_id
WHERE q.state = 'active' AND NOT q.is_legacy
  AND NOT EXISTS (SELECT 1 FROM access_audit_loginright r WHERE r.person_id = q.person_id)
"""


def bare_run(conn, campaign_id: int) -> float:
    """The same entries by two hand-written statements, one transaction, committed."""
    at = datetime.datetime.fromisoformat(OPEN_AT)
    cutoff = at.date() - datetime.timedelta(days=UNUSED_AFTER_DAYS)
    params = {"campaign": campaign_id, "cutoff": cutoff, "at": at}
    started = time.perf_counter()
    with conn.transaction():
        conn.execute(BARE_ACCOUNTS, params)
        conn.execute(BARE_PEOPLE, params)
    return time.perf_counter() - started


def service_run(url: str, campaign_id: int) -> dict:
    """``campaign_open`` in a fresh process; its time and its peak memory."""
    out = subprocess.run(  # noqa: S603 - this script, run again
        [sys.executable, __file__, "--child", str(campaign_id)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_CAMPAIGN_DATABASE_URL": url},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(campaign_id: int | None) -> None:
    """In the child: Django, then the service (``campaign_id``) or nothing (``None``)."""
    _setup(database_url())
    seconds = 0.0
    if campaign_id is not None:
        from access_audit.models import AuditCampaign
        from access_audit.services.campaigns import campaign_open
        from directory.models import User

        campaign = AuditCampaign.objects.get(pk=campaign_id)
        trainer = User.objects.get(username=TRAINER)
        started = time.perf_counter()
        campaign_open(campaign=campaign, actor=trainer, at=datetime.datetime.fromisoformat(OPEN_AT))
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": peak_memory_mb()}))


def peak_memory_mb() -> float:
    """This process's peak resident memory: ``VmHWM`` of its own address space (``ru_maxrss``
    keeps, across ``exec``, what the parent held when it started the child)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def fingerprint(conn, campaign_id: int) -> tuple:
    """Counts per case and a checksum of what was written (the same rows or not)."""
    cases = conn.execute(
        'SELECT "case", count(*) FROM access_audit_campaignentry WHERE campaign_id = %s '
        'GROUP BY "case" ORDER BY 1',
        [campaign_id],
    ).fetchall()
    checksum = conn.execute(
        "SELECT sum(hashtext(concat_ws(',', right_id, person_id, lab_id, \"case\", "
        "suggest_left))::bigint) FROM access_audit_campaignentry WHERE campaign_id = %s",
        [campaign_id],
    ).fetchone()[0]
    return tuple(cases), checksum


# --- Main ----------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--accounts", type=int, default=ACCOUNTS)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--idle-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None or args.idle_child:
        child(args.child)
        return 0

    import psycopg

    from bench import data

    url = database_url()
    created = data.ensure_database(url, fresh=args.fresh)
    _setup(url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(f"Database {url.rsplit('@', 1)[-1]} ({'created' if created else 'reused'})")
    print(f"  data: {ensure_data(args.accounts)}")
    campaign_id = ensure_campaign()
    from django.db import connections

    for conn in connections.all():
        conn.close()

    bare_s: list[float] = []
    service_s: list[float] = []
    peaks: list[float] = []
    same = True
    with psycopg.connect(url.replace("pgsql://", "postgres://"), autocommit=True) as conn:
        for run in range(args.runs):
            reset(conn, campaign_id)
            bare_s.append(bare_run(conn, campaign_id))
            expected = fingerprint(conn, campaign_id)
            reset(conn, campaign_id)
            result = service_run(url, campaign_id)
            service_s.append(result["seconds"])
            peaks.append(result["peak_mb"])
            got = fingerprint(conn, campaign_id)
            same = same and got == expected
            print(
                f"  run {run + 1}: bare {bare_s[-1]:.2f} s, service {service_s[-1]:.2f} s, "
                f"peak {peaks[-1]:.0f} MB, same entries: {'yes' if got == expected else 'NO'}"
            )
        cases = dict(expected[0])
        idle = json.loads(
            subprocess.run(  # noqa: S603 - this script, run again
                [sys.executable, __file__, "--idle-child"],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "BENCH_CAMPAIGN_DATABASE_URL": url},
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        pg = conn.execute("SHOW server_version").fetchone()[0]

    bare, service = statistics.median(bare_s), statistics.median(service_s)
    ratio = service / bare
    peak = max(peaks)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    import django

    print(
        f"\nMachine: {os.cpu_count()} CPUs, load average {load}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg}"
    )
    total = sum(cases.values())
    print(
        f"Opening a campaign over {args.accounts:,} accounts and {WITHOUT_ACCOUNT:,} liaisons "
        f"without one: {total:,} entries, per case "
        + ", ".join(f"{case}: {count:,}" for case, count in sorted(cases.items()))
    )
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(
        f"  campaign_open (median of {args.runs}) {service:.2f} s; bare SQL {bare:.2f} s; "
        f"ratio {ratio:.2f} (target <= {TARGET_RATIO})  [{verdict}]"
    )
    verdict = "PASS" if peak <= TARGET_MEMORY_MB else "FAIL"
    print(
        f"  peak memory of the opening process {peak:.0f} MB (Django alone "
        f"{idle['peak_mb']:.0f} MB; target <= {TARGET_MEMORY_MB})  [{verdict}]"
    )
    if not same:
        print("WARNING: the service and the bare statements did not write the same entries.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
