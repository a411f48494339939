"""The deadline job on real PostgreSQL and Redis (A-04, L-13): a run killed in the middle
(SIGKILL, in a child process) and run again ends exactly as one clean run of a copy of the
same database; and a real Celery worker on the Redis broker runs the scheduled task."""

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from access_audit.constants import LoginRightState, RunKind, RunState
from access_audit.models import AuditCampaign, EnforcementRun, LoginRight
from access_audit.tests.enforcement_helpers import full_state, scene
from directory.constants import CertificationFieldCode
from directory.models import CertificationField

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: The child: runs the deadline job as of a day, killing itself (SIGKILL) after ``kill_after``
#: committed batches when given; then prints the full state as JSON.
CHILD = """
import json, os, signal, sys, datetime, django
django.setup()
from access_audit.enforcement.run import deadlines_enforce, run_clock
from access_audit.tests.enforcement_helpers import full_state
as_of, kill_after, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def hook(run, batches):
    if kill_after and batches >= kill_after:
        os.kill(os.getpid(), signal.SIGKILL)
deadlines_enforce(at=run_clock(datetime.date.fromisoformat(as_of)), batch_size=batch,
                  batch_hook=hook)
print(json.dumps(full_state(), default=str))
"""


@pytest.fixture(autouse=True)
def certification_fields(db):
    for position, code in enumerate(CertificationFieldCode.values, start=1):
        CertificationField.objects.update_or_create(code=code, defaults={"position": position})


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _env(database: str, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": _url(database), **extra}
    env["DJANGO_SETTINGS_MODULE"] = "cqcportal.settings.test"
    return env


def _child(database: str, as_of: str, *, kill_after: int = 0, batch: int = 1):
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD, as_of, str(kill_after), str(batch)],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_database(source: str, target: str) -> None:
    # CREATE DATABASE ... TEMPLATE needs the source without sessions: the pool's too.
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    admin = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True);"
            "c.execute(f'DROP DATABASE IF EXISTS {sys.argv[3]}');"
            "c.execute(f'CREATE DATABASE {sys.argv[3]} TEMPLATE {sys.argv[2]}')",
            _url("postgres"),
            source,
            target,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert admin.returncode == 0, admin.stderr


def _drop_database(name: str) -> None:
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True);"
            "c.execute(f'DROP DATABASE IF EXISTS {sys.argv[2]} WITH (FORCE)')",
            _url("postgres"),
            name,
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_a04_l13_a_run_killed_in_the_middle_and_run_again_ends_as_one_clean_run(world):
    """A-04, L-13: SIGKILL after two committed batches of one right each, then the job again:
    the end state (rights, their fsm-log and simple-history records, the feed, the lapsed
    qualification and its history, the campaign) equals a clean run on a copy taken before."""
    s = scene(world)
    day_after = s.campaign.confirmation_deadline.toordinal() + 1
    as_of = type(s.campaign.confirmation_deadline).fromordinal(day_after).isoformat()
    database = settings.DATABASES["default"]["NAME"]
    clean_copy = f"{database}_clean"
    _copy_database(database, clean_copy)
    try:
        clean = _child(clean_copy, as_of, batch=1)
        assert clean.returncode == 0, clean.stderr
        killed = _child(database, as_of, kill_after=2, batch=1)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        # Killed in the middle: some of the confirmation deadline's rights revoked, not all.
        run = EnforcementRun.objects.get(kind=RunKind.CONFIRMATION)
        assert run.state == RunState.RUNNING and run.counts["changed"] == 2
        assert LoginRight.objects.filter(state=LoginRightState.REVOKED).count() == 2
        again = _child(database, as_of, batch=1)
        assert again.returncode == 0, again.stderr
    finally:
        _drop_database(clean_copy)
    assert json.loads(again.stdout) == json.loads(clean.stdout)
    assert json.loads(again.stdout) == json.loads(json.dumps(full_state(), default=str))
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.counts["changed"] == 4
    assert EnforcementRun.objects.filter(kind=RunKind.CONFIRMATION).count() == 1
    assert AuditCampaign.objects.get(pk=s.campaign.pk).state == "enforced"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a Redis broker)")
def test_a04_a_real_celery_worker_on_redis_runs_the_scheduled_deadline_job(world):
    """A-04: the task the beat schedule names, sent through the Redis broker, is run by a real
    worker (``-P solo``) against this database: the deadline is enforced."""
    from cqcportal.celery import app

    s = scene(world)
    entry = settings.CELERY_BEAT_SCHEDULE["enforce-deadlines"]
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {5})
    database = settings.DATABASES["default"]["NAME"]
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cqcportal",
            "worker",
            "-P",
            "solo",
            "-Q",
            "celery",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=_env(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        as_of = s.ends.date().isoformat()
        with warnings.catch_warnings():  # eager is for this process only; this goes to Redis
            warnings.simplefilter("ignore")
            app.send_task(entry["task"], args=[as_of], queue="celery")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if AuditCampaign.objects.get(pk=s.campaign.pk).state == "enforced":
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    assert AuditCampaign.objects.get(pk=s.campaign.pk).state == "enforced", worker.stderr.read()
    assert LoginRight.objects.get(pk=s.unconfirmed.pk).state == LoginRightState.REVOKED
