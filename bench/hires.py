"""Hires per second through ``liaisons.services.liaison_application_hire`` (issue 3).

``N`` applications passed to the training centre, each of a new person with a passed entry
training (L-09), are hired one after the other by the training admin, each call its own
transaction as a request would make it: row locks, the employment number (P-02), history,
the state log, the qualification with its fields, the lab's coverage (L-06) and the e-mail
on commit (run in-process: the test settings make tasks eager, so the notice's query and
rendering would be inside the timing; production only queues it). The benchmark therefore
queues the tasks as production does, on Celery's in-memory broker, and counts them: one
notice per hire must be queued, after its commit.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import statistics
import time
from dataclasses import dataclass, field

from bench import liaison_data

TARGET_RATE = 200.0


@dataclass
class HireResult:
    count: int
    seconds: float
    per_hire_ms: list[float] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)
    prepare_seconds: float = 0.0
    notices: int = 0
    cpu_ms: float = 0.0  # this process's CPU time per hire (Python, driver), not the server's

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.per_hire_ms)

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.per_hire_ms, n=20)[-1]


@dataclass
class HireRun:
    durable: HireResult
    unsynced: HireResult | None
    commit_floor: float  # single-row durable transactions per second, same database


def run(count: int, lab_ids: list[int], lab_user, trainer, *, profile: bool = False) -> HireRun:
    """The hire rate as it is, the same without waiting for the WAL flush (a diagnostic: what
    the code costs), and the rate of the smallest durable transaction (what the disk allows)."""
    from django.db import connection

    floor = commit_floor()
    durable = run_hires(count, lab_ids, lab_user, trainer, profile=profile)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        unsynced = run_hires(max(count // 2, 1), lab_ids, lab_user, trainer)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    return HireRun(durable=durable, unsynced=unsynced, commit_floor=floor)


def commit_floor(n: int = 300) -> float:
    """Transactions per second that insert one row and commit: the ceiling of any service
    that commits once, set by the disk's flush time (fdatasync of the WAL)."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe (id serial, at timestamptz)")
    try:
        started = time.perf_counter()
        for _ in range(n):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_commit_probe (at) VALUES (now())")
        return n / (time.perf_counter() - started)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_commit_probe")


def run_hires(
    count: int, lab_ids: list[int], lab_user, trainer, *, profile: bool = False
) -> HireResult:
    """Prepare ``count`` hires, time them, check what they did, and remove them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaisons.services import liaison_application_hire

    liaison_data.remove_hire_fixtures()
    started = time.perf_counter()
    # Two more than timed, untimed: the first fills the caches (content types), the second's
    # statements are captured.
    applications = liaison_data.prepare_hires(count + 2, lab_ids, lab_user, trainer)
    prepared = time.perf_counter() - started
    try:
        warm, captured, timed = applications[0], applications[1], applications[2:]
        with queued_tasks():
            liaison_application_hire(application=warm, actor=trainer)
        with CaptureQueriesContext(connection) as ctx, queued_tasks():
            liaison_application_hire(application=captured, actor=trainer)
        result = HireResult(
            count=len(timed),
            seconds=0.0,
            queries=[q["sql"] for q in ctx.captured_queries],
            prepare_seconds=prepared,
        )
        profiler = cProfile.Profile() if profile else None
        if profiler is not None:
            profiler.enable()
        clock = time.perf_counter
        with queued_tasks() as published:
            cpu, begun = time.process_time(), clock()
            for application in timed:
                one = clock()
                liaison_application_hire(application=application, actor=trainer)
                result.per_hire_ms.append((clock() - one) * 1000)
            result.seconds = clock() - begun
            result.cpu_ms = (time.process_time() - cpu) * 1000 / len(timed)
        result.notices = published.count("liaisons.tasks.send_application_notice")
        if profiler is not None:
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
            stats.print_stats(45)
            print(out.getvalue())
        result.checks = check(applications)
        result.checks["one notice queued per hire"] = result.notices == len(timed)
    finally:
        liaison_data.remove_hire_fixtures()
    return result


@contextlib.contextmanager
def queued_tasks():
    """Tasks are queued on the broker, as in production, not run in-process; yields the names
    of the tasks published meanwhile. The queued messages are dropped afterwards."""
    from celery import current_app
    from celery.signals import after_task_publish

    published: list[str] = []

    def count(sender=None, **kwargs):
        published.append(sender)

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    # Celery's in-memory broker, whatever REDIS_URL says: no worker runs these notices.
    current_app.conf.broker_url = "memory://"
    after_task_publish.connect(count, weak=False)
    try:
        yield published
    finally:
        after_task_publish.disconnect(count)
        current_app.conf.task_always_eager = eager
        with current_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(current_app.conf.task_default_queue)


def check(applications) -> dict[str, bool]:
    """What every hire must have done, counted in the database."""
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    from directory.models import Person
    from liaisons.models import LiaisonApplication, LiaisonQualification

    ids = [a.pk for a in applications]
    n = len(ids)
    hired = LiaisonApplication.objects.filter(pk__in=ids, state="hired").count()
    qualifications = LiaisonQualification.objects.filter(application_id__in=ids, state="active")
    numbers = Person.objects.filter(
        liaison_applications__pk__in=ids, employment_number__isnull=False
    ).values_list("employment_number", flat=True)
    with_fields = qualifications.filter(fields__isnull=False).distinct().count()
    history = LiaisonApplication.history.filter(id__in=ids, state="hired").count()
    logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(LiaisonApplication),
        object_id__in=ids,
        transition="hire",
    ).count()
    return {
        "every application hired": hired == n,
        "one active qualification each": qualifications.count() == n,
        "qualifications carry the fields": with_fields == n,
        "employment numbers unique": len(set(numbers)) == n,
        "history row per hire": history == n,
        "state log per hire": logs == n,
    }


def report(run: HireRun) -> None:
    r = run.durable
    print()
    print(
        f"Hires through liaisons.services.liaison_application_hire, one transaction each "
        f"({r.count:,} hires, prepared in {r.prepare_seconds:.1f} s)"
    )
    print("-" * 104)
    print(
        f"  durable commit (as in production): {r.rate:7.1f} hires/s  median {r.median_ms:6.2f} ms"
        f"  p95 {r.p95_ms:6.2f} ms  [{'PASS' if r.rate >= TARGET_RATE else 'FAIL'}: target"
        f" >= {TARGET_RATE:.0f}/s]"
    )
    if run.unsynced is not None:
        u = run.unsynced
        print(
            f"  synchronous_commit off (diagnostic): {u.rate:5.1f} hires/s  median"
            f" {u.median_ms:6.2f} ms  p95 {u.p95_ms:6.2f} ms  ({u.count:,} hires)"
        )
    print(
        f"  commit floor: {run.commit_floor:.0f} one-row durable transactions/s on this disk "
        f"({1000 / run.commit_floor:.2f} ms each)"
    )
    print(
        f"  statements of one hire: {len(r.queries)} (BEGIN and COMMIT included); "
        f"this process's CPU: {r.cpu_ms:.2f} ms a hire"
    )
    failed = [name for name, ok in r.checks.items() if not ok]
    if failed:
        print("  checks: FAILED: " + ", ".join(failed))
    else:
        print("  checks: all passed (" + "; ".join(r.checks) + ")")
    print("\nQueries of one hire:")
    for i, statement in enumerate(r.queries, 1):
        print(f"  {i}. {statement[:150]}{'...' if len(statement) > 150 else ''}")
