"""The business system's eligibility endpoint under gunicorn, against a bare Django view.

``GET /api/v1/business-system/eligibility/?username=...`` (issue 12) is served by gunicorn as
deployed (``cqcportal.settings.production``, sync workers) over 1,000,000 business-system
accounts with their entries in an open check campaign, on PostgreSQL, and loaded from the same
machine over loopback by the asyncio load generator below. In the same run and the same
gunicorn, the bare view ``/bench/bare-json/`` (``bench/baseline.py``: a constant JSON of the
same shape, no authentication, no query, the same middleware) is loaded the same way; the two
alternate round by round. Targets: at least 1,000 requests a second and a p99 latency of at
most 25 ms.

Two loads:

* **closed loop**: ``--concurrency`` connections, each sending its next request as soon as
  the previous answer is in: the most this machine serves (requests a second), and the
  latency at that load;
* **open loop at ``--rate``** (default 1,000 a second): requests started on a fixed schedule
  whatever the answers do, latency counted from the scheduled start (a late answer delays no
  later request's clock: no coordinated omission). The p99 at the target rate is judged.

Runnable alone: ``.venv/bin/python bench/eligibility.py`` (``--help``). The database is its own,
``cqcportal_bench_eligibility`` on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432``), or ``ELIGIBILITY_BENCH_DATABASE_URL`` outright;
created, migrated and filled by COPY when missing, reused when it holds the data. Set
``REDIS_URL`` to have the rate cap count in Redis as deployed (otherwise each worker counts in
its own memory). It prints the figures and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "cqcportal_bench_eligibility"
ACCOUNTS = 1_000_000
CAMPAIGN = "bench open campaign"
CLIENT = "bench business system"
ELIGIBILITY = "/api/v1/business-system/eligibility/?username="
BARE = "/bench/bare-json/?username="
TARGET_RATE = 1000.0
TARGET_P99_MS = 25.0
#: Of the usernames asked, this share the portal does not know (a typo at the business system).
UNKNOWN_SHARE = 0.05


def database_url() -> str:
    if os.environ.get("ELIGIBILITY_BENCH_DATABASE_URL"):
        return os.environ["ELIGIBILITY_BENCH_DATABASE_URL"]
    import psycopg

    server = os.environ.get("DATABASE_URL") or f"{DEFAULT_SERVER}/{BENCH_DB}"
    if not server.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"The benchmark needs PostgreSQL; DATABASE_URL is {server!r}.")
    params = psycopg.conninfo.conninfo_to_dict(server)
    auth = params.get("user", "postgres")
    if params.get("password"):
        auth += f":{params['password']}"
    host, port = params.get("host", "127.0.0.1"), params.get("port", "5432")
    return f"postgres://{auth}@{host}:{port}/{BENCH_DB}"


def username(index: int) -> str:
    return f"cbs{index:07d}"


# --- The data ----------------------------------------------------------------------------------


def state_of(index: int) -> tuple[str, str]:
    """(state, rule) of account ``index``: 8 in 10 active, 1 suspended (A-01), 1 revoked (A-04)."""
    slot = index % 10
    if slot == 7:
        return "suspended", "A-01"
    if slot == 9:
        return "revoked", "A-04"
    return "active", ""


def case_of(index: int) -> int:
    """The A-03 case of account ``index`` in the open campaign: mostly 1, some 3 and 4."""
    return {7: 4, 8: 3, 9: 3}.get(index % 10, 1)


def _copy(model, rows, columns) -> None:
    """COPY ``rows`` (tuples in ``columns``' order) into ``model``'s table; other columns take
    their model defaults."""
    from django.db import connection
    from psycopg import sql

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    names = [f.attname for f in fields]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = {**defaults, **dict(zip(columns, row, strict=True))}
            copy.write_row([values[name] for name in names])


def ensure_data(accounts: int) -> str:
    """``accounts`` accounts with their rights and their entries in one open campaign."""
    from django.db import connection, transaction
    from django.utils import timezone

    from access_audit.constants import CampaignState
    from access_audit.models import AuditCampaign, CampaignEntry, LoginRight

    campaign = AuditCampaign.objects.filter(name=CAMPAIGN).first()
    if (
        campaign is not None
        and LoginRight.objects.count() == accounts
        and CampaignEntry.objects.filter(campaign=campaign).count() == accounts
        and LoginRight.objects.filter(username=username(accounts - 1)).exists()
    ):
        return "reused"
    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE access_audit_campaignentry, access_audit_rightchange, "
                "access_audit_loginright, access_audit_auditcampaign RESTART IDENTITY CASCADE"
            )
        campaign = AuditCampaign.objects.create(
            name=CAMPAIGN,
            migration_deadline=today,
            confirmation_deadline=today.replace(year=today.year + 1),
            state=CampaignState.OPEN,
            opened_at=now,
        )
        _copy(
            LoginRight,
            ((username(i), *state_of(i), now) for i in range(accounts)),
            ("username", "state", "rule", "granted_at"),
        )
        _copy(
            CampaignEntry,
            ((campaign.pk, i + 1, case_of(i), now) for i in range(accounts)),
            ("campaign_id", "right_id", "case", "updated_at"),
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE access_audit_loginright")
        cursor.execute("VACUUM ANALYZE access_audit_campaignentry")
    return f"filled by COPY in {time.perf_counter() - started:.1f} s"


def ensure_client() -> str:
    """The bench's feed client with a fresh token (only its digest is stored)."""
    from access_audit.feed_clients import feed_token_digest, new_feed_token
    from access_audit.models import FeedClient

    token = new_feed_token()
    FeedClient.objects.update_or_create(
        name=CLIENT, defaults={"token_sha256": feed_token_digest(token), "is_active": True}
    )
    return token


# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(args, url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.eligibility_settings",
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": "bench-" + os.urandom(24).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_TRUSTED_PROXIES": "",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "cqcportal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--log-level",
        "warning",
        "--backlog",
        "4096",
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU seconds of gunicorn's workers and arbiter so far (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(stat[1])
        if pid == server.pid or ppid == server.pid:
            total += (int(stat[11]) + int(stat[12])) / tick
    return total


# --- The load generator ------------------------------------------------------------------------


@dataclass
class Load:
    """What one round measured."""

    name: str
    mode: str
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    generator_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    late_starts: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def requests_for(paths: list[str], port: int, token: str) -> list[bytes]:
    return [
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n"
            "Connection: keep-alive\r\n\r\n"
        ).encode()
        for path in paths
    ]


class Connection:
    """One HTTP/1.1 connection on a bare non-blocking socket (asyncio's ``sock_*`` calls: a
    third of the CPU of its streams); reopened when the server closes it, which gunicorn's
    sync workers do after every answer."""

    def __init__(self, port: int):
        self.port = port
        self.sock: socket.socket | None = None

    async def request(self, raw: bytes) -> int:
        loop = asyncio.get_running_loop()
        if self.sock is None:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.setblocking(False)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await loop.sock_connect(self.sock, ("127.0.0.1", self.port))
        await loop.sock_sendall(self.sock, raw)
        data = b""
        while (end := data.find(b"\r\n\r\n")) < 0:
            chunk = await loop.sock_recv(self.sock, 65536)
            if not chunk:
                raise ConnectionError("closed before the answer's head")
            data += chunk
        head = data[:end].lower()
        status = int(data[9:12])
        length, start = 0, head.find(b"content-length:")
        if start >= 0:
            stop = head.find(b"\r\n", start)
            length = int(head[start + 15 : stop if stop >= 0 else None])
        while len(data) < end + 4 + length:
            chunk = await loop.sock_recv(self.sock, 65536)
            if not chunk:
                break
            data += chunk
        if b"connection: close" in head:
            self.close()
        return status

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


async def closed_loop(load: Load, requests: list[bytes], port: int, concurrency: int, seconds):
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def worker():
        connection = Connection(port)
        while (started := time.perf_counter()) < deadline:
            status = await connection.request(requests[next(counter) % len(requests)])
            load.latencies_ms.append((time.perf_counter() - started) * 1000)
            load.statuses[status] = load.statuses.get(status, 0) + 1
        connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    load.seconds = time.perf_counter() - began


async def open_loop(load: Load, requests: list[bytes], port: int, rate: float, seconds):
    """Requests started at ``rate`` a second on a fixed schedule, each on a connection of the
    pool that is free (a new one when none is); latency from the scheduled start."""
    idle: list[Connection] = []
    pending: set[asyncio.Task] = set()

    async def one(raw: bytes, scheduled: float):
        connection = idle.pop() if idle else Connection(port)
        status = await connection.request(raw)
        load.latencies_ms.append((time.perf_counter() - scheduled) * 1000)
        load.statuses[status] = load.statuses.get(status, 0) + 1
        idle.append(connection)

    total = int(rate * seconds)
    began = time.perf_counter()
    for i in range(total):
        scheduled = began + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.001:
            load.late_starts += 1  # the generator itself fell behind its schedule
        task = asyncio.create_task(one(requests[i % len(requests)], scheduled))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    load.seconds = time.perf_counter() - began
    for connection in idle:
        connection.close()


def run_round(name, mode, requests, port, args, server) -> Load:
    load = Load(name=name, mode=mode)
    cpu, server_cpu = time.process_time(), server_cpu_seconds(server)
    if mode == "closed":
        asyncio.run(closed_loop(load, requests, port, args.concurrency, args.seconds))
    else:
        asyncio.run(open_loop(load, requests, port, args.rate, args.seconds))
    load.generator_cpu_s = time.process_time() - cpu
    load.server_cpu_s = server_cpu_seconds(server) - server_cpu
    return load


def merged(loads: list[Load]) -> Load:
    total = Load(name=loads[0].name, mode=loads[0].mode)
    for load in loads:
        total.seconds += load.seconds
        total.latencies_ms += load.latencies_ms
        total.generator_cpu_s += load.generator_cpu_s
        total.server_cpu_s += load.server_cpu_s
        total.late_starts += load.late_starts
        for status, count in load.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
    return total


# --- Main --------------------------------------------------------------------------------------


def check_answers(port: int, token: str) -> list[str]:
    """The endpoint answers what the data say, for a few accounts (and the bare view its JSON)."""
    import json

    notes = []
    for index in (0, 7, 9, 8):
        request = urllib.request.Request(  # noqa: S310
            f"http://127.0.0.1:{port}{ELIGIBILITY}{username(index)}",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            body = json.load(answer)
        state, rule = state_of(index)
        ok = (
            body["state"] == state
            and body["may_log_in"] == (state == "active")
            and body["campaign"]["case"] == case_of(index)
            and (not rule or body["rule"] == rule)
        )
        notes.append(
            f"{username(index)}: {body['state']}, case {body['campaign']['case']}, "
            f"rule {body['rule']} [{'ok' if ok else 'WRONG'}]"
        )
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=ACCOUNTS)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=2, help="threads a gthread worker")
    parser.add_argument("--concurrency", type=int, default=4, help="closed-loop connections")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="open-loop requests/s")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each view and load")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    args = parser.parse_args()

    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cqcportal.settings.test"
    from bench import data  # the database helpers of `make bench`

    created = data.ensure_database(url, fresh=args.fresh)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    print(f"Database {url.rsplit('@', 1)[-1]} ({'created' if created else 'reused'})")
    print(f"  {args.accounts:,} accounts, each in the open campaign: {ensure_data(args.accounts)}")
    token = ensure_client()
    for conn in connections.all():
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()

    rng = random.Random(12)  # noqa: S311 - test data
    names = [
        username(rng.randrange(args.accounts))
        if rng.random() >= UNKNOWN_SHARE
        else f"unknown{rng.randrange(10**6):06d}"
        for _ in range(20_000)
    ]
    port = free_port()
    server = start_gunicorn(args, url, port)
    try:
        eligibility = requests_for([ELIGIBILITY + n for n in names], port, token)
        bare = requests_for([BARE + n for n in names], port, token)
        for note in check_answers(port, token):
            print(f"  check {note}")
        # Warm-up: every worker's connection pool, the statements' plans, the caches.
        for requests in (eligibility, bare):
            asyncio.run(closed_loop(Load("warm-up", "closed"), requests, port, 4, 2.0))
        rounds: dict[tuple[str, str], list[Load]] = {}
        for i in range(args.rounds):
            for mode in ("closed", "open"):
                pair = [("eligibility", eligibility), ("bare", bare)]
                for name, requests in pair if i % 2 == 0 else pair[::-1]:
                    load = run_round(name, mode, requests, port, args, server)
                    rounds.setdefault((name, mode), []).append(load)
    finally:
        stop(server)
    report(args, {key: merged(loads) for key, loads in rounds.items()}, rounds)
    return 0


def report(args, results: dict[tuple[str, str], Load], rounds) -> None:
    import django
    import psycopg

    load_average = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    print(
        f"\nMachine: {os.cpu_count()} CPUs, load average {load_average}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg}; "
        f"gunicorn {args.workers} {args.worker_class} workers; cache "
        f"{'Redis' if os.environ.get('REDIS_URL') else 'in each worker'}"
    )
    line = "-" * 118
    print(line)
    print(
        f"{'view':<12} {'load':<22} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'non-200':>8} {'gen CPU':>8} {'srv CPU':>8}"
    )
    print(line)
    for (name, mode), load in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        described = (
            f"closed, {args.concurrency} conns" if mode == "closed" else f"open, {args.rate:,.0f}/s"
        )
        non_200 = sum(c for s, c in load.statuses.items() if s != 200)
        print(
            f"{name:<12} {described:<22} {len(load.latencies_ms):>9,} {load.rate:>8,.0f} "
            f"{load.percentile(50):>8.2f} {load.percentile(90):>8.2f} {load.percentile(99):>8.2f} "
            f"{max(load.latencies_ms):>8.2f} {non_200:>8} "
            f"{load.generator_cpu_s / load.seconds:>7.0%} {load.server_cpu_s / load.seconds:>7.0%}"
        )
    print(line)
    print(
        "(gen CPU, srv CPU: the load generator's and gunicorn's CPU time over the wall time, "
        "in cores)"
    )
    per_round = ", ".join(
        f"{name} {' / '.join(f'{r.rate:,.0f}' for r in loads)}"
        for (name, mode), loads in rounds.items()
        if mode == "closed"
    )
    print(f"closed-loop req/s per round: {per_round}")
    closed_e, closed_b = results[("eligibility", "closed")], results[("bare", "closed")]
    open_e, open_b = results[("eligibility", "open")], results[("bare", "open")]
    throughput_ok = closed_e.rate >= TARGET_RATE
    latency_ok = open_e.percentile(99) <= TARGET_P99_MS and open_e.rate >= 0.98 * args.rate
    errors = sum(c for s, c in open_e.statuses.items() if s != 200) + sum(
        c for s, c in closed_e.statuses.items() if s != 200
    )
    print(
        f"Eligibility, most this machine serves: {closed_e.rate:,.0f} req/s (target >= "
        f"{TARGET_RATE:,.0f})  [{'PASS' if throughput_ok else 'FAIL'}]"
    )
    print(
        f"Eligibility at {args.rate:,.0f} req/s: p99 {open_e.percentile(99):.2f} ms (target <= "
        f"{TARGET_P99_MS:.0f}), {open_e.rate:,.0f} req/s achieved, {open_e.late_starts} late "
        f"starts of the generator  [{'PASS' if latency_ok else 'FAIL'}]"
    )
    cpu_e = closed_e.server_cpu_s / len(closed_e.latencies_ms)
    cpu_b = closed_b.server_cpu_s / len(closed_b.latencies_ms)
    print(
        f"Ratio to the bare JSON view: throughput bare/eligibility "
        f"{closed_b.rate / closed_e.rate:.2f}; gunicorn CPU per request eligibility/bare "
        f"{cpu_e / cpu_b:.2f} ({cpu_e * 1000:.2f} / {cpu_b * 1000:.2f} ms); p99 at "
        f"{args.rate:,.0f}/s eligibility/bare {open_e.percentile(99) / open_b.percentile(99):.2f}"
    )
    if errors:
        print(
            f"WARNING: {errors} eligibility answers were not 200: "
            + f"{closed_e.statuses} {open_e.statuses}"
        )


if __name__ == "__main__":
    sys.exit(main())
