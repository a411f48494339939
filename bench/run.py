"""``make bench``: list pages against bare ``values()`` views, and hires per second.

Fills a dedicated PostgreSQL database with 10 branch centres, 500 labs and first 10,000 then
100,000 people, and at each size measures, for page 1 and a middle page of the list:

* the SQL queries of one request (they must not grow with the data), and
* the median time of ``N`` requests through Django's test client, interleaved with a bare view
  that renders the same 50 rows from one ``values()`` query, and their ratio (target <= 2.0).

The same is done for the liaison pages of issue 3 (``bench/liaison_pages.py``: a branch
reviewer's review queue and the public roster) at 10,000 and 100,000 liaison applications,
and hires through ``liaison_application_hire`` are timed (``bench/hires.py``, target >= 200
a second). The printable recommendation form is timed against a bare HTML page of the same
text (``bench/pdf.py``, part ``pdf``; it needs no database). Certificate coverage (issue
13) runs in its own database and process (``bench/quality_coverage.py``, part ``coverage``).
``--only`` picks parts.

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
import logging
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import time
import warnings
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
    """The benchmark's own database: never the one DATABASE_URL names."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    import psycopg

    server = os.environ.get("DATABASE_URL") or f"{DEFAULT_SERVER}/{BENCH_DB}"
    if not server.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise SystemExit(f"The benchmark needs PostgreSQL; DATABASE_URL is {server!r}.")
    params = psycopg.conninfo.conninfo_to_dict(server.replace("pgsql://", "postgres://", 1))
    user = params.get("user", "")
    password = f":{params['password']}" if params.get("password") else ""
    auth = f"{user}{password}@" if user else ""
    host = params.get("host", "127.0.0.1")
    port = params.get("port", "5432")
    return f"postgres://{auth}{host}:{port}/{BENCH_DB}"


# --- Measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    """A page under test and its bare twin; ``row_key`` finds each row's identity in both."""

    title: str
    unit: str
    full_url: str
    bare_url: str
    row_key: re.Pattern


PEOPLE = PageSpec(
    title="People list of a branch reviewer",
    unit="people",
    full_url=FULL_URL,
    bare_url=BARE_URL,
    row_key=DETAIL_LINK,
)


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
    rows: int = 0
    same_rows: bool = False

    @property
    def ratio(self) -> float:
        return self.full_ms / self.bare_ms


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def count_queries(client, url: str) -> tuple[list[str], float, str]:
    """The SQL of one request, the time spent in it (ms) and the page's HTML."""
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
    sqls = [query["sql"] for query in ctx.captured_queries]
    return sqls, sum(spent) * 1000, response.content.decode()


def time_requests(client, urls: list[str], n: int, warmup: int) -> dict[str, float]:
    """Median milliseconds per URL; the URLs interleaved, their order alternating."""
    for _ in range(warmup):
        for url in urls:
            _get(client, url)
    samples: dict[str, list[float]] = {url: [] for url in urls}
    for i in range(n):
        for url in urls if i % 2 == 0 else urls[::-1]:
            started = time.perf_counter()
            _get(client, url)
            samples[url].append((time.perf_counter() - started) * 1000)
    return {url: statistics.median(values) for url, values in samples.items()}


def measure_pages(
    client, size: int, pages: list[int], n: int, warmup: int, spec: PageSpec = PEOPLE
) -> list[Measure]:
    measures = []
    for page in pages:
        m = Measure(size=size, page=page)
        full_url, bare_url = f"{spec.full_url}?page={page}", f"{spec.bare_url}?page={page}"
        _get(client, full_url), _get(client, bare_url)  # a first request fills the caches
        m.full_sql, m.full_sql_ms, full_html = count_queries(client, full_url)
        bare_sql, m.bare_sql_ms, bare_html = count_queries(client, bare_url)
        m.full_queries, m.bare_queries = len(m.full_sql), len(bare_sql)
        full_rows, bare_rows = spec.row_key.findall(full_html), spec.row_key.findall(bare_html)
        m.rows = len(full_rows)
        m.same_rows = full_rows == bare_rows and len(full_rows) == PAGE_SIZE
        medians = time_requests(client, [full_url, bare_url], n, warmup)
        m.full_ms, m.bare_ms = medians[full_url], medians[bare_url]
        measures.append(m)
    return measures


def pages_for(size: int, rows: int | None = None) -> list[int]:
    """Page 1 and the middle page of a list of ``rows`` rows (by default the reviewer's
    branch, a tenth of the people)."""
    rows = size // data.BRANCHES if rows is None else rows
    pages = -(-rows // PAGE_SIZE)
    return [1, max(1, pages // 2)]


def profile_page(client, url: str, n: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        _get(client, url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(40)
    return out.getvalue()


# --- Reporting -------------------------------------------------------------------------------

RULE = "-" * 104


def print_table(title: str, measures: list[Measure], unit: str = "people") -> None:
    print()
    print(title)
    print(RULE)
    print(
        f"{unit:>8} {'page':>5} {'rows':>5} {'queries':>8} {'bare q':>7} {'full ms':>9} "
        f"{'bare ms':>9} {'ratio':>7} {'full SQL ms':>12} {'bare SQL ms':>12} {'same rows':>10}"
    )
    print(RULE)
    for m in measures:
        print(
            f"{m.size:>8,} {m.page:>5} {m.rows:>5} {m.full_queries:>8} {m.bare_queries:>7} "
            f"{m.full_ms:>9.2f} {m.bare_ms:>9.2f} {m.ratio:>7.2f} {m.full_sql_ms:>12.2f} "
            f"{m.bare_sql_ms:>12.2f} {'yes' if m.same_rows else 'NO':>10}"
        )
    print(RULE)


def verdicts(
    measures: list[Measure], small: int, large: int, unit: str = "people"
) -> tuple[bool, bool]:
    at = {size: [m for m in measures if m.size == size] for size in (small, large)}
    counts = [m.full_queries for m in at[small] + at[large]]
    constant = len(set(counts)) == 1
    described = ", ".join(
        f"{label} page {a.full_queries} -> {b.full_queries}"
        for label, a, b in zip(("first", "middle"), at[small], at[large], strict=True)
    )
    print(
        f"Queries per page constant ({small:,} -> {large:,} {unit}): {described}"
        f"  [{'PASS' if constant else 'FAIL'}]"
    )
    ratios = ", ".join(f"page {m.page} {m.ratio:.2f}" for m in at[large])
    fast = all(m.ratio <= TARGET_RATIO for m in at[large])
    print(
        f"Median time full/bare at {large:,} {unit} (target <= {TARGET_RATIO}): {ratios}"
        f"  [{'PASS' if fast else 'FAIL'}]"
    )
    if not all(m.same_rows for m in measures):
        print("WARNING: the bare view did not show the same rows as the page under test.")
    return constant, fast


def machine() -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs, load average {load}; Python {platform.python_version()}, "
        f"Django {django.get_version()}, PostgreSQL {pg}"
    )


# --- Main ------------------------------------------------------------------------------------


PARTS = ("people", "queue", "roster", "hires", "pdf", "campaign", "enforcement", "coverage")
#: The parts that run as processes of their own, each on a database of its own.
OWN_PROCESS = {"campaign": "campaign", "enforcement": "enforcement", "coverage": "quality_coverage"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("-n", "--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per page first")
    parser.add_argument(
        "--small", type=int, default=10_000, help="people (and applications) at the first size"
    )
    parser.add_argument(
        "--large", type=int, default=100_000, help="people (and applications) at the second size"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the full page at the end")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument("--hires", type=int, default=1000, help="timed hires (issue 3)")
    parser.add_argument(
        "--profile-hires", action="store_true", help="cProfile the timed hires and print it"
    )
    parser.add_argument("--renders", type=int, default=50, help="timed PDF renders (issue 4)")
    parser.add_argument(
        "--fonts", action="store_true", help="also print the form in each candidate CJK font"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also print the form's text cut into 1, 14, 28, 42 and 56 plain paragraphs",
    )
    args = parser.parse_args()
    if args.small >= args.large or args.small < data.BRANCHES * PAGE_SIZE:
        parser.error("need 500 <= --small < --large")
    parts = {part.strip() for part in args.only.split(",") if part.strip()}
    if parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(parts - set(PARTS)))}")
    if parts == {"pdf"}:
        return run_pdf_only(args)
    if parts <= set(OWN_PROCESS):
        return max(run_own_process(args, part) for part in sorted(parts))

    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cqcportal.settings.test"
    warnings.filterwarnings("ignore", message="No directory at")
    created = data.ensure_database(url, fresh=args.fresh)

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # force_login's lines are noise here
    logging.getLogger("celery").setLevel(logging.WARNING)  # one line per in-process task
    logging.getLogger("kombu").setLevel(logging.ERROR)  # the in-memory broker has no host
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import override_settings

    from bench import liaison_data, liaison_pages

    override_settings(ROOT_URLCONF="bench.urls").enable()
    print(f"Database {url.rsplit('@', 1)[-1]} ({'created' if created else 'reused'})")

    def migrate() -> None:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"  migrate: {time.perf_counter() - started:.1f} s")

    migrate()
    started = time.perf_counter()
    people = data.generate_people(args.large)
    print(f"  generated {len(people):,} people in {time.perf_counter() - started:.1f} s")
    try:
        lab_ids, reviewer = data.ensure_organisations()
        # The people are cut back to --small below: the applications of the others go first.
        cut_to = args.small if "people" in parts else args.large
        print(f"  liaison applications: {liaison_data.cut_applications(cut_to)}")
        if not data.people_consistent(people):
            raise RuntimeError("the person table holds other data")
    except RuntimeError as error:
        print(f"  {error}: recreating the database")
        for conn in connections.all():
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        data.ensure_database(url, fresh=True)
        migrate()
        lab_ids, reviewer = data.ensure_organisations()

    client = Client()
    client.force_login(reviewer)
    report: list = []

    if "people" in parts:
        measures: list[Measure] = []
        for size in (args.small, args.large):
            print(f"  {size:,} people: {data.fill_people(people, size, lab_ids)}")
            measures += measure_pages(client, size, pages_for(size), args.requests, args.warmup)
        report.append(lambda: report_people(measures, args, client))
    if parts & {"queue", "roster", "hires"}:
        print(f"  {args.large:,} people: {data.fill_people(people, args.large, lab_ids)}")
        lab_user, trainer = liaison_data.ensure_users(lab_ids)
    if parts & {"queue", "roster"}:
        results = liaison_pages.measure(
            parts, args, lab_user=lab_user, reviewer=reviewer, measure_pages=measure_pages
        )
        report.append(lambda: liaison_pages.report(results, args, print_table, verdicts))
    if "hires" in parts:
        from bench import hires

        print(f"  hires: preparing {args.hires:,} applications passed to the training centre")
        hired = hires.run(args.hires, lab_ids, lab_user, trainer, profile=args.profile_hires)
        report.append(lambda: hires.report(hired))

    if "pdf" in parts:
        from bench import pdf

        printed = pdf.run(args.renders, fonts=args.fonts, floor=args.floor)
        report.append(lambda: pdf.report(printed))

    print(f"\nMachine: {machine()}")
    for part in report:
        part()
    for part in OWN_PROCESS:
        if part in parts:
            print()
            run_own_process(args, part)
    return 0


def run_own_process(args, part: str) -> int:
    """The ``campaign`` and ``enforcement`` parts (issue 12) and ``coverage`` (issue 13, Q-05:
    2,000,000 certificates): their own database and processes (bench/campaign.py,
    bench/enforcement.py, bench/quality_coverage.py), so that a job's peak memory is that of a
    process doing nothing else."""
    command = [sys.executable, str(ROOT / "bench" / f"{OWN_PROCESS[part]}.py")]
    if args.fresh:
        command.append("--fresh")
    return subprocess.call(command)  # noqa: S603 - our own script


def run_pdf_only(args) -> int:
    """The ``pdf`` part alone: no database, no data (the form is printed from memory)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cqcportal.settings.test"
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from bench import pdf

    printed = pdf.run(args.renders, fonts=args.fonts, floor=args.floor)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {load}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, "
        f"WeasyPrint {pdf.weasyprint_version()}"
    )
    pdf.report(printed)
    return 0


def report_people(measures: list[Measure], args, client) -> None:
    print_table(
        f"People list of a branch reviewer ({FULL_URL}) vs bare values() view; "
        f"median of {args.requests} interleaved requests",
        measures,
    )
    verdicts(measures, args.small, args.large)
    print("\nQueries of one people-list request:")
    for i, statement in enumerate(measures[-1].full_sql, 1):
        print(f"  {i}. {statement[:150]}{'...' if len(statement) > 150 else ''}")

    if args.profile:
        page_url = f"{FULL_URL}?page={measures[-1].page}"
        print(f"\ncProfile of {args.requests} requests of {page_url}:")
        print(profile_page(client, page_url, args.requests))


if __name__ == "__main__":
    sys.exit(main())
