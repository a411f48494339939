"""``make bench``: the people list of a branch reviewer against a bare ``values()`` view.

Fills a dedicated PostgreSQL database with 10 branch centres, 500 labs and first 10,000 then
100,000 people, and at each size measures, for page 1 and a middle page of the list:

* the SQL queries of one request (they must not grow with the data), and
* the median time of ``N`` requests through Django's test client, interleaved with a bare view
  that renders the same 50 rows from one ``values()`` query, and their ratio (target <= 2.0).

It prints the figures and exits 0 whatever they are: it is a measurement, not a test.

Database: ``BENCH_DATABASE_URL`` if set, used as it is; otherwise the server of
``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432``) with the database
``cqcportal_bench``, created if missing and reused by the next run when it holds the
benchmark's data (``--fresh`` drops it first).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import data  # noqa: E402 - after the path is set

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "cqcportal_bench"
TARGET_RATIO = 2.0
PAGE_SIZE = 50
FULL_URL = "/directory/people/"
BARE_URL = "/bench/bare-people/"
DETAIL_LINK = re.compile(r'href="/directory/people/(\d+)/"')


def database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    import psycopg

    server = os.environ.get("DATABASE_URL") or f"{DEFAULT_SERVER}/{BENCH_DB}"
    if not server.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"The benchmark needs PostgreSQL; DATABASE_URL is {server!r}.")
    params = psycopg.conninfo.conninfo_to_dict(server)
    params["dbname"] = BENCH_DB
    user = params.get("user", "")
    password = f":{params['password']}" if params.get("password") else ""
    auth = f"{user}{password}@" if user else ""
    host = params.get("host", "127.0.0.1")
    port = params.get("port", "5432")
    return f"postgres://{auth}{host}:{port}/{BENCH_DB}"


@dataclass
class Measure:
    size: int
    page: int
    full_queries: int = 0
    bare_queries: int = 0
    full_sql: list[str] = field(default_factory=list)
    full_ms: float = 0.0
    bare_ms: float = 0.0
    full_sql_ms: float = 0.0
    bare_sql_ms: float = 0.0
    same_rows: bool = False
    rows: int = 0

    @property
    def ratio(self) -> float:
        return self.full_ms / self.bare_ms


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def count_queries(client, url: str) -> tuple[int, list[str], float, str]:
    """Queries of one request, their SQL, their summed time (ms) and the page's HTML."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spent: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timed):
        response = _get(client, url)
    sqls = [q["sql"] for q in ctx.captured_queries]
    return len(sqls), sqls, sum(spent) * 1000, response.content.decode()


def time_requests(client, urls: list[str], n: int, warmup: int) -> dict[str, float]:
    """Median milliseconds per URL; the URLs interleaved, their order alternating."""
    for _ in range(warmup):
        for url in urls:
            _get(client, url)
    samples: dict[str, list[float]] = {url: [] for url in urls}
    for i in range(n):
        for url in urls if i % 2 == 0 else reversed(urls):
            started = time.perf_counter()
            _get(client, url)
            samples[url].append((time.perf_counter() - started) * 1000)
    return {url: statistics.median(values) for url, values in samples.items()}


def measure_size(client, size: int, people_in_branch: int, n: int, warmup: int) -> list[Measure]:
    pages = [1, max(1, -(-people_in_branch // PAGE_SIZE) // 2)]
    measures = []
    for page in pages:
        m = Measure(size=size, page=page)
        full_url, bare_url = f"{FULL_URL}?page={page}", f"{BARE_URL}?page={page}"
        _get(client, full_url), _get(client, bare_url)  # a first request fills the caches
        m.full_queries, m.full_sql, m.full_sql_ms, full_html = count_queries(client, full_url)
        m.bare_queries, _sql, m.bare_sql_ms, bare_html = count_queries(client, bare_url)
        full_rows, bare_rows = DETAIL_LINK.findall(full_html), DETAIL_LINK.findall(bare_html)
        m.same_rows, m.rows = full_rows == bare_rows and len(full_rows) == PAGE_SIZE, len(bare_rows)
        medians = time_requests(client, [full_url, bare_url], n, warmup)
        m.full_ms, m.bare_ms = medians[full_url], medians[bare_url]
        measures.append(m)
    return measures


def probe_people_list(client) -> str | None:
    """Request the people list once; if it fails the known way, patch it in this process.

    ``directory.filters._labs_in_scope`` defers ``TestingLab.branch`` (``.only("id",
    "name")``) on a queryset that ``lab_list`` made with ``select_related("branch")``, which
    Django refuses with a ``FieldError``. The benchmark then measures the page with the lab
    choices built as ``lab_list(...).select_related(None).only("id", "name")`` and says so.
    Returns a note of the patch, or None when the page works as it is.
    """
    from django.core.exceptions import FieldError

    import logging

    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)  # the known failure is reported below, once
    try:
        _get(client, FULL_URL)
        return None
    except FieldError as error:
        from directory.filters import PersonFilter
        from directory.selectors import lab_list

        def labs_in_scope(request):
            return lab_list(user=request.user).select_related(None).only("id", "name")

        PersonFilter.base_filters["lab"].queryset = labs_in_scope
        _get(client, FULL_URL)
        return (
            f"{FULL_URL} raised FieldError ({error}). Measured with the lab choices of "
            "directory/filters.py patched in this process to "
            '`lab_list(user=request.user).select_related(None).only("id", "name")`.'
        )
    finally:
        request_log.setLevel(level)


def profile_page(client, url: str, n: int, sort: str = "cumulative") -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        _get(client, url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort)
    stats.print_stats(45)
    return out.getvalue()


def print_report(measures: list[Measure], n: int, sizes: tuple[int, int]) -> None:
    line = "-" * 100
    print()
    print(f"People list of a branch reviewer ({FULL_URL}), {n} timed requests each, interleaved")
    print(line)
    print(
        f"{'people':>8} {'page':>5} {'rows':>5} {'queries':>8} {'bare q':>7} "
        f"{'full ms':>9} {'bare ms':>9} {'ratio':>7} {'full SQL ms':>12} {'bare SQL ms':>12}"
        f" {'same rows':>10}"
    )
    print(line)
    for m in measures:
        print(
            f"{m.size:>8,} {m.page:>5} {m.rows:>5} {m.full_queries:>8} {m.bare_queries:>7} "
            f"{m.full_ms:>9.2f} {m.bare_ms:>9.2f} {m.ratio:>7.2f} {m.full_sql_ms:>12.2f} "
            f"{m.bare_sql_ms:>12.2f} {'yes' if m.same_rows else 'NO':>10}"
        )
    print(line)
    small = {m.page_role: m for m in _with_roles(measures, sizes[0])}
    large = {m.page_role: m for m in _with_roles(measures, sizes[1])}
    constant = all(small[r].full_queries == large[r].full_queries for r in small) and (
        small["first"].full_queries == small["middle"].full_queries
    )
    counts = ", ".join(
        f"{r} page {small[r].full_queries} -> {large[r].full_queries}" for r in ("first", "middle")
    )
    print(
        f"Queries per page constant ({sizes[0]:,} -> {sizes[1]:,} people): "
        f"{counts}  [{'PASS' if constant else 'FAIL'}]"
    )
    worst = max(large.values(), key=lambda m: m.ratio)
    ok = worst.ratio <= TARGET_RATIO
    ratios = ", ".join(f"page {m.page} {m.ratio:.2f}" for m in large.values())
    print(
        f"Median time ratio full/bare at {sizes[1]:,} people (target <= {TARGET_RATIO}): "
        f"{ratios}  [{'PASS' if ok else 'FAIL'}]"
    )
    if not all(m.same_rows for m in measures):
        print("WARNING: the bare view did not show the same rows as the people list.")
    print()
    print("Queries of one people-list request:")
    for i, statement in enumerate(large["middle"].full_sql, 1):
        print(f"  {i}. {statement[:160]}{'...' if len(statement) > 160 else ''}")


def _with_roles(measures: list[Measure], size: int) -> list[Measure]:
    chosen = [m for m in measures if m.size == size]
    for m, role in zip(chosen, ("first", "middle"), strict=True):
        m.page_role = role
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("-n", "--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per page first")
    parser.add_argument("--small", type=int, default=10_000, help="people at the first size")
    parser.add_argument("--large", type=int, default=100_000, help="people at the second size")
    parser.add_argument("--profile", action="store_true", help="cProfile the full page at the end")
    args = parser.parse_args()

    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cqcportal.settings.test"
    created = data.ensure_database(url, fresh=args.fresh)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import override_settings

    override_settings(ROOT_URLCONF="bench.urls").enable()

    def migrate() -> None:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.1f} s")

    host = url.rsplit("@", 1)[-1]
    print(f"Database: {host} ({'created' if created else 'reused'})")
    migrate()
    started = time.perf_counter()
    people = data.generate_people(args.large)
    print(f"generated {len(people):,} people in {time.perf_counter() - started:.1f} s")
    try:
        lab_ids, reviewer = data.ensure_organisations()
        if not data.people_consistent(people):
            raise RuntimeError("the person table holds other data")
    except RuntimeError as error:
        print(f"{error}: recreating the database")
        for conn in connections.all():
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        data.ensure_database(url, fresh=True)
        migrate()
        lab_ids, reviewer = data.ensure_organisations()

    client = Client()
    client.force_login(reviewer)
    patch_note = probe_people_list(client)
    if patch_note:
        print(f"\n*** THE PEOPLE LIST IS BROKEN: {patch_note}\n")
    measures: list[Measure] = []
    for size in (args.small, args.large):
        note = data.fill_people(people, size, lab_ids)
        print(f"{size:,} people: {note}")
        in_branch = size // data.BRANCHES
        measures += measure_size(client, size, in_branch, args.requests, args.warmup)

    print_report(measures, args.requests, (args.small, args.large))
    if patch_note:
        print(f"\n*** NOTE: {patch_note}")
    if args.profile:
        middle = measures[-1].page
        print(f"\ncProfile of {args.requests} requests of {FULL_URL}?page={middle}:")
        print(profile_page(client, f"{FULL_URL}?page={middle}", args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
