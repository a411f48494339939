"""Benchmark of an enforcement run's evidence pack (issue 12, "After enforcing"): a run that
revoked ``--size`` accounts (100,000 by default) across 10 branch centres and 200 labs; the
pack built once (the two spreadsheets, the report, the manifest) with the time and size of
each file and the peak memory of the process; then the verification.

Run alone: ``.venv/bin/python bench/evidence.py [--size N]``. It uses a throw-away SQLite
file (``BENCH_EVIDENCE_DATABASE_URL`` to use another database) and a temporary media
directory, and prints its figures; it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _setup(workdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqcportal.settings.test")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_EVIDENCE_DATABASE_URL", f"sqlite:///{workdir}/evidence.sqlite3"
    )
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": f"{workdir}/media"},
        },
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(size: int):
    import datetime

    from django.utils import timezone

    from access_audit.constants import RunKind, RunState
    from access_audit.models import CampaignEntry, EnforcementRun, LoginRight, RightChange
    from access_audit.tests.feed_factories import AuditCampaignFactory
    from directory.models import Person
    from directory.tests.factories import BranchCentreFactory, PersonFactory, TestingLabFactory
    from liaisons.constants import deadline_end

    branches = [BranchCentreFactory(code=f"B{b:02d}", name=f"分中心{b:02d}") for b in range(10)]
    labs = [TestingLabFactory(name=f"检测机构{i:03d}", branch=branches[i % 10]) for i in range(200)]
    template = PersonFactory.build(lab=labs[0])
    people = []
    for index in range(size):
        person = copy.copy(template)
        person.pk = None
        person.id_number = f"11010519{index:08d}X"[:18]
        person.name = f"人员{index}"
        person.lab = labs[index % 200]
        person.employment_number = None
        people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    people = list(Person.objects.order_by("pk").values_list("pk", "lab_id"))
    today = timezone.localdate()
    campaign = AuditCampaignFactory(
        enforced=True,
        migration_deadline=today - datetime.timedelta(days=40),
        confirmation_deadline=today - datetime.timedelta(days=2),
    )
    ends = deadline_end(campaign.confirmation_deadline)
    reason = "A-04：检测机构未在确认截止日前确认"
    LoginRight.objects.bulk_create(
        (
            LoginRight(
                username=f"cbs{index:07d}",
                id_number=f"11010519{index:08d}X"[:18],
                person_id=pk,
                lab_id=lab_id,
                state="revoked",
                revoked_at=ends,
                rule="A-04",
                revoke_reason=reason,
                campaign=campaign,
            )
            for index, (pk, lab_id) in enumerate(people)
        ),
        batch_size=2000,
    )
    rights = list(LoginRight.objects.order_by("pk").values_list("pk", "person_id", "lab_id"))
    CampaignEntry.objects.bulk_create(
        (
            CampaignEntry(campaign=campaign, right_id=pk, person_id=person, lab_id=lab, case=3)
            for pk, person, lab in rights
        ),
        batch_size=2000,
    )
    run = EnforcementRun.objects.create(
        campaign=campaign,
        kind=RunKind.CONFIRMATION,
        as_of=today,
        state=RunState.DONE,
        finished_at=timezone.now(),
    )
    RightChange.objects.bulk_create(
        (
            RightChange(
                right_id=pk, state="revoked", rule="A-04", at=ends, campaign=campaign, run=run
            )
            for pk, _person, _lab in rights
        ),
        batch_size=2000,
    )
    return run


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        _setup(workdir)
        started = time.perf_counter()
        run = _fill(args.size)
        print(f"filled {args.size} revocations in {time.perf_counter() - started:.1f} s")
        print(f"peak memory before the build: {_peak_mb():.0f} MB")

        from access_audit.evidence import pack
        from access_audit.models import EvidenceFile

        timings = {}
        original = pack._store

        def timed(run, name, make):
            begun = time.perf_counter()
            stored = original(run, name, make)
            timings[name] = time.perf_counter() - begun
            return stored

        pack._store = timed
        begun = time.perf_counter()
        pack.evidence_pack_build(run_id=run.pk)
        total = time.perf_counter() - begun
        for evidence in EvidenceFile.objects.filter(run=run).order_by("pk"):
            print(
                f"{evidence.name:40} {evidence.size / 1024:10.0f} KB "
                f"{timings.get(evidence.name, 0):7.1f} s"
            )
        print(f"pack built in {total:.1f} s; peak memory {_peak_mb():.0f} MB")
        begun = time.perf_counter()
        check = pack.evidence_pack_check(run)
        print(f"verified in {time.perf_counter() - begun:.2f} s: intact={check.intact}")


if __name__ == "__main__":
    main()
