"""Hires per second through the hire service (issue 3).

``N`` applications passed to the training centre, each of a new person with a passed entry
training (L-09), are hired by the training admin, either one decision per applicant
(``liaison_application_hire``, as the application's page makes it) or in decisions of
``BATCH`` applicants (``liaison_applications_hire``, as the decision queue's "hire the chosen"
makes it after an entry-training session), each decision its own transaction: row locks, the
employment number (P-02), history, the state log, the qualification with its fields, the
lab's coverage (L-06) and the e-mail on commit. The test settings would run that e-mail's task
in-process, inside the timing; production only queues it. The benchmark therefore queues the
tasks as production does, on Celery's in-memory broker, and counts them: every hire's notice
must be queued, after its commit.
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
#: Applicants hired in one decision of the decision queue: one page of it.
BATCH = 50


@dataclass
class HireResult:
    count: int
    seconds: float
    batch: int = 1
    per_call_ms: list[float] = field(default_factory=list)  # one decision each
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
        return statistics.median(self.per_call_ms)

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.per_call_ms, n=20)[-1]


@dataclass
class HireRun:
    batched: HireResult  # decisions of BATCH applicants: the figure judged against the target
    single: HireResult  # one applicant a decision
    unsynced: HireResult | None  # one a decision, without waiting for the WAL flush
    commit_floor: float  # single-row durable transactions per second, same database


def run(count: int, lab_ids: list[int], lab_user, trainer, *, profile: bool = False) -> HireRun:
    """The hire rate in decisions of ``BATCH`` and one at a time, the latter also without
    waiting for the WAL flush (a diagnostic: what the code costs), and the rate of the
    smallest durable transaction (what the disk allows)."""
    from django.db import connection

    floor = commit_floor()
    batched = run_hires(count, lab_ids, lab_user, trainer, batch=BATCH, profile=profile)
    single = run_hires(count, lab_ids, lab_user, trainer, profile=profile)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        unsynced = run_hires(max(count // 2, 1), lab_ids, lab_user, trainer)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    return HireRun(batched=batched, single=single, unsynced=unsynced, commit_floor=floor)


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
    count: int,
    lab_ids: list[int],
    lab_user,
    trainer,
    *,
    batch: int = 1,
    profile: bool = False,
) -> HireResult:
    """Prepare ``count`` hires, time them in decisions of ``batch``, check what they did, and
    remove them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaisons.services.hiring import liaison_application_hire, liaison_applications_hire

    def decide(chosen):
        if batch == 1:
            liaison_application_hire(application=chosen[0], actor=trainer)
        else:
            liaison_applications_hire(applications=chosen, actor=trainer)

    liaison_data.remove_hire_fixtures()
    started = time.perf_counter()
    # Two decisions more than timed, untimed: the first fills the caches (content types), the
    # second's statements are captured.
    applications = liaison_data.prepare_hires(count + 2 * batch, lab_ids, lab_user, trainer)
    prepared = time.perf_counter() - started
    try:
        warm, captured = applications[:batch], applications[batch : 2 * batch]
        timed = applications[2 * batch :]
        with queued_tasks():
            decide(warm)
        with CaptureQueriesContext(connection) as ctx, queued_tasks():
            decide(captured)
        result = HireResult(
            count=len(timed),
            seconds=0.0,
            batch=batch,
            queries=[q["sql"] for q in ctx.captured_queries],
            prepare_seconds=prepared,
        )
        profiler = cProfile.Profile() if profile else None
        if profiler is not None:
            profiler.enable()
        clock = time.perf_counter
        with queued_tasks() as published:
            cpu, begun = time.process_time(), clock()
            for start in range(0, len(timed), batch):
                one = clock()
                decide(timed[start : start + batch])
                result.per_call_ms.append((clock() - one) * 1000)
            result.seconds = clock() - begun
            result.cpu_ms = (time.process_time() - cpu) * 1000 / len(timed)
        result.notices = hire_notices(published)
        result.checks["printing of each notice queued"] = printed(published) == len(timed)
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


def hire_notices(published: list[tuple[str, tuple]]) -> int:
    """The applications that the queued notice tasks will write to: one per single notice,
    one per id of a decision's notices."""
    return sum(
        1 if name == "liaisons.tasks.send_application_notice" else len(args[0])
        for name, args in published
        if name.startswith("liaisons.tasks.send_application_notice")
    )


def printed(published: list[tuple[str, tuple]]) -> int:
    """The applications whose documents the queued printing tasks will print."""
    return sum(
        1 if name.endswith(".generate_application_documents") else len(args[0])
        for name, args in published
        if name.endswith((".generate_application_documents", ".generate_documents_of_applications"))
    )


@contextlib.contextmanager
def queued_tasks():
    """Tasks are queued on the broker, as in production, not run in-process; yields the names
    and arguments of the tasks published meanwhile. The queued messages are dropped afterwards."""
    from celery import current_app
    from celery.signals import after_task_publish
    from django.test import override_settings

    published: list[tuple[str, tuple]] = []

    def count(sender=None, body=None, **kwargs):
        published.append((sender, body[0] if body else ()))

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    # Celery's in-memory broker, whatever REDIS_URL says: no worker runs these notices.
    current_app.conf.broker_url = "memory://"
    after_task_publish.connect(count, weak=False)
    # As in production, a hire also queues the printing of its notice (issue 4); the test
    # settings switch that off.
    printing = override_settings(LIAISON_DOCUMENTS_ON_COMMIT=True)
    printing.enable()
    try:
        yield published
    finally:
        printing.disable()
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
    print()
    print(
        f"Hires through the hire service, each decision its own transaction "
        f"({run.batched.count:,} hires a mode, prepared in {run.batched.prepare_seconds:.1f} s)"
    )
    print("-" * 104)
    rows = [
        (f"{BATCH} applicants a decision (durable)", run.batched, True),
        ("one applicant a decision (durable)", run.single, False),
    ]
    if run.unsynced is not None:
        rows.append(("one a decision, synchronous_commit off", run.unsynced, False))
    for label, r, judged in rows:
        verdict = (
            f"  [{'PASS' if r.rate >= TARGET_RATE else 'FAIL'}: target >= {TARGET_RATE:.0f}/s]"
            if judged
            else ""
        )
        print(
            f"  {label:40} {r.rate:7.1f} hires/s  a decision: median {r.median_ms:7.2f} ms"
            f"  p95 {r.p95_ms:7.2f} ms; {len(r.queries)} statements; CPU {r.cpu_ms:.2f} ms"
            f" a hire{verdict}"
        )
    print(
        f"  commit floor: {run.commit_floor:.0f} one-row durable transactions/s on this disk "
        f"({1000 / run.commit_floor:.2f} ms each)"
    )
    for label, r, _judged in rows:
        failed = [name for name, ok in r.checks.items() if not ok]
        if failed:
            print(f"  checks ({label}): FAILED: " + ", ".join(failed))
        else:
            print(f"  checks ({label}): all passed")
    print("  (" + "; ".join(run.single.checks) + ")")
    for label, r in (("one decision of one applicant", run.single),):
        print(f"\nStatements of {label}:")
        for i, statement in enumerate(r.queries, 1):
            print(f"  {i}. {statement[:150]}{'...' if len(statement) > 150 else ''}")
