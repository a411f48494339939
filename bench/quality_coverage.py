"""Benchmark of certificate coverage (issue 13, Q-05) on PostgreSQL: 2,000,000 certificates
across 1,000 certification bodies.

1. **The coverage check against the bare anti-join, same run.** ``quality_roles.coverage``
   counts a body's uncovered certificates (the director's dashboard card and body page) and
   every body's (the regulator's view of all bodies); the bare twin is the same anti-join
   written by hand (``NOT EXISTS`` an active lead appointment) and run over the same
   connection. Requests alternate (bare, full, bare, ...) over the same bodies; the medians
   are compared (target ratio <= 1.5). Both must give the same counts.
2. **The director's certificate list: SQL queries per page constant in the data size.** The
   director of body 1 requests ``/quality-roles/certificates/`` (page 1 and the middle page)
   at 200,000 certificates (200 a body) and at 2,000,000 (2,000 a body); the query counts
   must be equal, and the median time of a page is printed.

Run: ``.venv/bin/python bench/run.py --only coverage`` (or ``bench/quality_coverage.py``).
Database: ``BENCH_COVERAGE_DATABASE_URL``, else the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432``) with the database ``cqc_bench_certs``, created,
migrated and filled on the first run (bodies, staff and appointments by ``bulk_create``,
certificates by ``INSERT ... SELECT generate_series``), reused afterwards (``--fresh``
drops it first).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from django.db import transaction

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "cqc_bench_certs"
TARGET_RATIO = 1.5
BODIES = 1_000
SMALL, LARGE = 200_000, 2_000_000
LIST_URL = "/quality-roles/certificates/"
DIRECTOR = "bench.coverage.director"

#: The bare anti-join: a body's valid certificates without an active lead.
BARE_BODY = """
    SELECT count(*) FROM quality_roles_certificate c
    WHERE c.body_id = %s AND c.state = 'valid'
      AND NOT EXISTS (SELECT 1 FROM quality_roles_leadappointment l
                      WHERE l.id = c.responsible_lead_id AND l.state = 'active')
"""
BARE_ALL = """
    SELECT c.body_id, count(*) FROM quality_roles_certificate c
    WHERE c.state = 'valid'
      AND NOT EXISTS (SELECT 1 FROM quality_roles_leadappointment l
                      WHERE l.id = c.responsible_lead_id AND l.state = 'active')
    GROUP BY c.body_id ORDER BY c.body_id
"""


def database_url() -> str:
    if os.environ.get("BENCH_COVERAGE_DATABASE_URL"):
        return os.environ["BENCH_COVERAGE_DATABASE_URL"]
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


# --- The data ------------------------------------------------------------------------------


@transaction.atomic
def ensure_organisation() -> dict:
    """1,000 bodies, each with a director in office, two leads in office and one ended, and
    a certification project; the director of body 1 has a portal account. Made once."""
    from django.db import connection

    from directory.constants import Role
    from directory.idnumbers import build_id_number, build_uscc
    from directory.models import CertificationBody, Person, User
    from quality_roles.constants import DirectorAppointmentState as D
    from quality_roles.constants import LeadAppointmentState as L
    from quality_roles.models import (
        BodyStaff,
        CertificationProject,
        DirectorAppointment,
        LeadAppointment,
    )

    if CertificationBody.objects.count() != BODIES:
        if CertificationBody.objects.exists():
            raise SystemExit("The coverage benchmark's database holds other data: use --fresh.")
        today = datetime.date(2026, 6, 1)
        bodies = CertificationBody.objects.bulk_create(
            CertificationBody(name=f"认证机构{i:04d}", uscc=build_uscc(f"91110000{i:09d}"))
            for i in range(BODIES)
        )
        people = Person.objects.bulk_create(
            Person(
                id_number=build_id_number("110105", datetime.date(1970, 1, 1) + datetime.timedelta(
                    days=i // 4), i % 4),
                name=f"人员{i}",
                birth_date=datetime.date(1970, 1, 1) + datetime.timedelta(days=i // 4),
                sex="M" if i % 2 else "F",
                education="bachelor",
                body=bodies[i // 4],
            )
            for i in range(BODIES * 4)
        )  # fmt: skip
        staff = BodyStaff.objects.bulk_create(
            BodyStaff(body_id=p.body_id, person=p, full_time_work_since=datetime.date(2000, 1, 1))
            for p in people
        )
        directors = DirectorAppointment.objects.bulk_create(
            DirectorAppointment(
                body=b,
                staff=staff[4 * i],
                state=D.ACTIVE,
                authoriser=people[4 * i + 3],
                authoriser_capacity="legal_representative",
                starts_on=today,
            )
            for i, b in enumerate(bodies)
        )
        LeadAppointment.objects.bulk_create(
            LeadAppointment(
                body=b,
                staff=staff[4 * i + k],
                nominated_under=directors[i],
                state=L.ENDED if k == 3 else L.ACTIVE,
                starts_on=today,
            )
            for i, b in enumerate(bodies)
            for k in (1, 2, 3)
        )
        CertificationProject.objects.bulk_create(
            CertificationProject(body=b, code="CCC", name="CCC 认证") for b in bodies
        )
        user = User.objects.create(username=DIRECTOR, role=Role.QUALITY_DIRECTOR, body=bodies[0])
        Person.objects.filter(pk=people[0].pk).update(user=user)
        for model in (Person, BodyStaff, DirectorAppointment, LeadAppointment):
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {"director": User.objects.get(username=DIRECTOR)}


def fill_certificates(total: int) -> str:
    """Exactly ``total`` certificates: certificate i belongs to body i % 1,000; one in ten has
    no lead and one in ten an ended lead, one in twenty is expired (about 17 % of the valid
    ones are uncovered)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM quality_roles_certificate")
        (have,) = cursor.fetchone()
        if have == total:
            return "reused"
        started = time.perf_counter()
        if have > total:
            cursor.execute(
                "DELETE FROM quality_roles_certificate WHERE number >= %s", [_num(total)]
            )
            have = total
        cursor.execute("SELECT min(id) FROM directory_certificationbody")
        (first_body,) = cursor.fetchone()
        cursor.execute("SELECT min(id) FROM quality_roles_certificationproject")
        (first_project,) = cursor.fetchone()
        cursor.execute("SELECT min(id) FROM quality_roles_leadappointment")
        (first_lead,) = cursor.fetchone()
        # Leads were made three a body in body order: active, active, ended.
        cursor.execute(
            f"""
            INSERT INTO quality_roles_certificate (body_id, number, product, holder, project_id,
                category_id, state, issued_on, expires_on, responsible_lead_id, state_changed_at,
                state_reason)
            SELECT {first_body} + i % {BODIES}, 'B' || lpad(i::text, 9, '0'),
                '产品 ' || i, '获证组织 ' || (i % 5000), {first_project} + i % {BODIES}, NULL,
                CASE WHEN i % 20 = 19 THEN 'expired' ELSE 'valid' END,
                date '2024-01-01', date '2029-01-01',
                CASE i % 10 WHEN 8 THEN NULL
                    WHEN 9 THEN {first_lead} + 3 * (i % {BODIES}) + 2
                    ELSE {first_lead} + 3 * (i % {BODIES}) + i % 2 END,
                NULL, ''
            FROM generate_series({have}, {total - 1}) AS i
            """  # noqa: S608 - numbers only
        )
        cursor.execute("VACUUM ANALYZE quality_roles_certificate")
    return f"filled to {total:,} in {time.perf_counter() - started:.0f} s"


def _num(i: int) -> str:
    return "B" + str(i).rjust(9, "0")


# --- Measuring -----------------------------------------------------------------------------


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def measure_coverage(runs: int) -> list[tuple[str, float, float, bool]]:
    """(what, full median ms, bare median ms, same result) for one body and for all."""
    from django.db import connection
    from django.db.models import Count

    from directory.models import CertificationBody
    from quality_roles.coverage import uncovered, uncovered_count
    from quality_roles.models import Certificate

    bodies = list(CertificationBody.objects.order_by("pk").values_list("pk", flat=True))
    picks = [bodies[(i * 379) % len(bodies)] for i in range(runs)]

    def full_body(pk):
        return uncovered_count(body=CertificationBody(pk=pk))

    def bare_body(pk):
        with connection.cursor() as cursor:
            cursor.execute(BARE_BODY, [pk])
            return cursor.fetchone()[0]

    def full_all():
        rows = uncovered(Certificate.objects.all()).values("body").annotate(n=Count("*"))
        return [(r["body"], r["n"]) for r in rows.order_by("body")]

    def bare_all():
        with connection.cursor() as cursor:
            cursor.execute(BARE_ALL)
            return [tuple(row) for row in cursor.fetchall()]

    results = []
    for what, full, bare, picks_ in (
        ("one body (dashboard card)", full_body, bare_body, picks),
        ("all 1,000 bodies", lambda _pk: full_all(), lambda _pk: bare_all(), [None] * 7),
    ):
        full(picks_[0]), bare(picks_[0])  # warm
        full_ms, bare_ms, same = [], [], True
        for i, pk in enumerate(picks_):
            order = (
                ((bare, bare_ms), (full, full_ms)) if i % 2 else ((full, full_ms), (bare, bare_ms))
            )
            got = []
            for fn, times in order:
                ms, result = _timed(lambda fn=fn, pk=pk: fn(pk))
                times.append(ms)
                got.append(result)
            same = same and got[0] == got[1]
        results.append((what, statistics.median(full_ms), statistics.median(bare_ms), same))
    return results


def measure_list(client, runs: int, size: int) -> list[tuple[int, int, int, float]]:
    """(size, page, queries, median ms) of the director's list, page 1 and the middle."""
    from django.db import connection

    per_body = size // BODIES
    middle = max(1, per_body // 50 // 2)
    found = []
    for page in sorted({1, middle}):
        url = f"{LIST_URL}?page={page}"
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        queries = []

        def counted(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            client.get(url)
        times = [_timed(lambda url=url: client.get(url))[0] for _ in range(runs)]
        found.append((size, page, len(queries), statistics.median(times)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("-n", "--runs", type=int, default=40, help="timed runs per measure")
    args = parser.parse_args()
    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cqcportal.settings.test"
    from bench import data

    created = data.ensure_database(url, fresh=args.fresh)
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.test import Client

    print(f"Database {url.rsplit('@', 1)[-1]} ({'created' if created else 'reused'})")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"  migrate: {time.perf_counter() - started:.1f} s")
    director = ensure_organisation()["director"]
    client = Client()
    client.force_login(director)
    pages = []
    for size in (SMALL, LARGE):
        print(f"  certificates: {fill_certificates(size)}")
        pages += measure_list(client, max(5, args.runs // 4), size)
    coverage = measure_coverage(args.runs)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\nMachine: {os.cpu_count()} CPUs, load average {load}; Python "
        f"{platform.python_version()}, Django {django.get_version()}"
    )
    print(f"\nCoverage check (Q-05) at {LARGE:,} certificates, median of {args.runs} / 7 runs:")
    print(f"  {'what':<28} {'full ms':>9} {'bare ms':>9} {'ratio':>6}  same")
    for what, full_ms, bare_ms, same in coverage:
        verdict = "PASS" if full_ms / bare_ms <= TARGET_RATIO else "FAIL"
        print(
            f"  {what:<28} {full_ms:9.2f} {bare_ms:9.2f} {full_ms / bare_ms:6.2f}  "
            f"{'yes' if same else 'NO'}  {verdict} (target {TARGET_RATIO})"
        )
    print(f"\nThe director's certificate list ({LIST_URL}):")
    print(f"  {'certificates':>12} {'page':>5} {'queries':>8} {'median ms':>10}")
    for size, page, queries, ms in pages:
        print(f"  {size:12,} {page:5} {queries:8} {ms:10.2f}")
    counts = {queries for _s, _p, queries, _ms in pages}
    print(f"  Queries per page: {sorted(counts)}: {'PASS' if len(counts) == 1 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
