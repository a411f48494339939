"""Liaison data of the benchmark (issue 3): applications, hired qualifications, hire fixtures.

Deterministic like the people: application ``i`` (0-based) has the primary key ``i + 1`` and
belongs to person ``i`` of ``bench.data`` (employment number ``i + 1``), in that person's lab.
Its state, dates and certification fields follow from ``i`` alone; a hired application has
its qualification under the same key ``i + 1``, and so does a legacy (paper) qualification.
A run therefore cuts the liaison tables back to their first ``n`` applications with one
``DELETE`` each and grows them again with one ``COPY`` each, as it does with the people.

The hire benchmark works on rows of its own (people whose ``work_unit`` is
``HIRE_MARK``), removed again afterwards and at the start of every run.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass

from psycopg import sql

from bench import data

TZ = datetime.timezone(datetime.timedelta(hours=8))
BASE = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=TZ)
LAB_USERNAME = "bench.lab"
TRAINER_USERNAME = "bench.training"
HIRE_MARK = "bench-hire"
HIRE_REGION = "440103"  # not one of data.REGIONS: hire people never clash with the 100,000

#: The state of the k-th application of a lab, k modulo 20: 30 % hired, 10 % submitted,
#: 10 % with the branch, 5 % each returned, passed, rejected, withdrawn, 30 % drafts.
SLOT_STATES = (
    ("hired",) * 6
    + ("submitted",) * 2
    + ("with_branch",) * 2
    + ("returned", "passed", "rejected", "withdrawn")
    + ("draft",) * 6
)
LEGACY_SLOT = 14  # half of the drafts of this slot belong to a legacy liaison (L-13)

APPLICATION_TABLE = "liaisons_liaisonapplication"
QUALIFICATION_TABLE = "liaisons_liaisonqualification"


@dataclass(frozen=True)
class ApplicationRow:
    index: int
    state: str
    fields: tuple[str, ...]
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    qualification: str | None  # None, "hired" or "legacy"
    qualification_state: str


def application_row(index: int, scope: tuple[str, ...] = ("CCC",)) -> ApplicationRow:
    """Application ``index``; its fields are drawn from ``scope``, its lab's business scope."""
    state = SLOT_STATES[(index // data.LABS) % len(SLOT_STATES)]
    count = 1 + index % min(3, len(scope))
    start = (index // 7) % len(scope)
    fields = tuple(scope[(start + k) % len(scope)] for k in range(count))
    created = BASE + datetime.timedelta(minutes=index)
    submitted = None if state == "draft" else created + datetime.timedelta(days=1)
    decided = submitted + datetime.timedelta(days=20) if state in ("hired", "rejected") else None
    if state == "hired":
        qualification = "hired"
    elif (index // data.LABS) % len(SLOT_STATES) == LEGACY_SLOT and index % 2 == 0:
        qualification = "legacy"
    else:
        qualification = None
    if index % 19 == 0:
        qualification_state = "revoked"
    elif index % 17 == 0:
        qualification_state = "suspended"
    else:
        qualification_state = "active"
    return ApplicationRow(
        index=index,
        state=state,
        fields=fields,
        created_at=created,
        submitted_at=submitted,
        decided_at=decided,
        qualification=qualification,
        qualification_state=qualification_state,
    )


# --- Users -----------------------------------------------------------------------------------


def ensure_users(lab_ids: list[int]):
    """The lab staff user who creates the applications and the training admin who hires."""
    from django.db import transaction

    from directory import services
    from directory.constants import Role
    from directory.models import TestingLab, User

    with transaction.atomic():
        lab_user = User.objects.filter(username=LAB_USERNAME).first()
        if lab_user is None:
            lab_user = services.user_create_staff(
                username=LAB_USERNAME,
                role=Role.LAB_STAFF,
                actor=None,
                first_name="基准 实验室",
                orgs=services.Organisations(lab=TestingLab.objects.get(pk=lab_ids[0])),
            )
        trainer = User.objects.filter(username=TRAINER_USERNAME).first()
        if trainer is None:
            trainer = services.user_create_staff(
                username=TRAINER_USERNAME,
                role=Role.TRAINING_ADMIN,
                actor=None,
                first_name="基准 培训中心",
            )
    return lab_user, trainer


# --- Cutting and filling ---------------------------------------------------------------------


def _execute(statement: str, params: Iterable = ()) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))
        return cursor.rowcount


def applications_present() -> int:
    """How many benchmark applications are there, or -1 if the table holds anything else."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {APPLICATION_TABLE}")  # noqa: S608
        count, top = cursor.fetchone()
        if count != top:
            return -1
        if count:
            cursor.execute(
                f"SELECT a.state, p.employment_number FROM {APPLICATION_TABLE} a "  # noqa: S608
                "JOIN directory_person p ON p.id = a.person_id WHERE a.id = %s",
                [top],
            )
            state, number = cursor.fetchone()
            if (state, number) != (application_row(top - 1).state, data.employment_number(top - 1)):
                return -1
    return count


def cut_applications(size: int) -> str:
    """Keep the first ``size`` applications and their qualifications; drop the rest.

    Raises RuntimeError when the liaison tables hold anything but the benchmark's rows.
    """
    from django.db import transaction

    started = time.perf_counter()
    remove_hire_fixtures()
    present = applications_present()
    if present < 0:
        raise RuntimeError("the liaison tables hold other data")
    if present <= size:
        return f"kept {present:,} applications"
    with transaction.atomic():
        _execute(
            "DELETE FROM liaisons_liaisonqualification_fields WHERE liaisonqualification_id > %s",
            [size],
        )
        _execute(f"DELETE FROM {QUALIFICATION_TABLE} WHERE id > %s", [size])  # noqa: S608
        _execute(
            "DELETE FROM liaisons_liaisonapplication_fields WHERE liaisonapplication_id > %s",
            [size],
        )
        _execute(f"DELETE FROM {APPLICATION_TABLE} WHERE id > %s", [size])  # noqa: S608
    return f"cut {present - size:,} applications in {time.perf_counter() - started:.1f} s"


def _copy(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    from django.db import connection

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def lab_scopes() -> dict[int, tuple[str, ...]]:
    """Lab pk -> the codes of its business scope, in the order of the ten fields."""
    from directory.models import TestingLab

    scopes: dict[int, list[str]] = {}
    through = TestingLab.business_scope.through.objects.order_by("certificationfield__position")
    for lab_id, code in through.values_list("testinglab_id", "certificationfield_id"):
        scopes.setdefault(lab_id, []).append(code)
    return {lab_id: tuple(codes) for lab_id, codes in scopes.items()}


def _person_ids(start: int, stop: int) -> dict[int, tuple[int, int, str]]:
    """Person index -> (person pk, lab pk, name) for the people ``start`` .. ``stop - 1``."""
    from directory.models import Person

    rows = Person.objects.filter(
        employment_number__gte=data.employment_number(start),
        employment_number__lte=data.employment_number(stop - 1),
    ).values_list("employment_number", "pk", "lab_id", "name")
    found = {int(number) - 1: (pk, lab_id, name) for number, pk, lab_id, name in rows}
    if len(found) != stop - start:
        raise RuntimeError("the person table lacks the applicants")
    return found


def fill_applications(size: int, lab_user_id: int) -> str:
    """Make the liaison tables hold exactly the first ``size`` applications (COPY)."""
    from django.db import transaction

    started = time.perf_counter()
    present = applications_present()
    if present < 0:
        raise RuntimeError("the liaison tables hold other data")
    if present > size:
        note = cut_applications(size)
    elif present == size:
        note = "reused"
    else:
        people = _person_ids(present, size)
        scopes = lab_scopes()
        rows = [application_row(i, scopes[people[i][1]]) for i in range(present, size)]
        with transaction.atomic():
            _copy(
                APPLICATION_TABLE,
                [
                    "id",
                    "state",
                    "is_migration",
                    "work_started_on",
                    "work_history",
                    "recommendation",
                    "lab_signatory",
                    "declaration_accepted",
                    "reason",
                    "created_at",
                    "updated_at",
                    "submitted_at",
                    "decided_at",
                    "created_by_id",
                    "lab_id",
                    "person_id",
                    "legacy_qualification_id",
                    "applicant_name",
                    "applicant_political_status",
                    "applicant_education",
                    "applicant_major",
                    "applicant_phone",
                    "applicant_email",
                    "applicant_work_unit",
                    "applicant_address",
                ],  # fmt: skip
                (
                    (
                        r.index + 1,
                        r.state,
                        False,
                        datetime.date(2005 + r.index % 15, 1 + r.index % 12, 1),
                        "2015-至今 检测工程师",
                        "该同志业务熟练，同意推荐。",
                        "王主任",
                        r.state != "draft",
                        "材料不全" if r.state in ("returned", "rejected") else "",
                        r.created_at,
                        r.decided_at or r.submitted_at or r.created_at,
                        r.submitted_at,
                        r.decided_at,
                        lab_user_id,
                        people[r.index][1],
                        people[r.index][0],
                        None,
                        people[r.index][2],  # the application states the person as recorded
                        "masses",
                        "bachelor",
                        "电气工程",
                        "13800000000",
                        "applicant@example.cn",
                        "检测实验室",
                        "北京市朝阳区",
                    )
                    for r in rows
                ),
            )
            _copy(
                "liaisons_liaisonapplication_fields",
                ["liaisonapplication_id", "certificationfield_id"],
                ((r.index + 1, code) for r in rows for code in r.fields),
            )
            hired = [r for r in rows if r.qualification]
            _copy(
                QUALIFICATION_TABLE,
                [
                    "id",
                    "state",
                    "state_reason",
                    "hired_on",
                    "is_legacy",
                    "migrated_at",
                    "created_at",
                    "application_id",
                    "lab_id",
                    "person_id",
                ],  # fmt: skip
                (
                    (
                        r.index + 1,
                        r.qualification_state,
                        "" if r.qualification_state == "active" else "基准数据",
                        (r.decided_at or BASE).date()
                        if r.qualification == "hired"
                        else datetime.date(2008, 3, 1),
                        r.qualification == "legacy",
                        None,
                        r.decided_at or BASE,
                        r.index + 1 if r.qualification == "hired" else None,
                        people[r.index][1],
                        people[r.index][0],
                    )
                    for r in hired
                ),
            )
            _copy(
                "liaisons_liaisonqualification_fields",
                ["liaisonqualification_id", "certificationfield_id"],
                ((r.index + 1, code) for r in hired for code in r.fields),
            )
            _reset_sequences()
        note = f"copied {size - present:,} applications"
    _analyze()
    return f"{note} in {time.perf_counter() - started:.1f} s"


def _reset_sequences() -> None:
    for table in (APPLICATION_TABLE, QUALIFICATION_TABLE):
        _execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )


def _analyze() -> None:
    for table in (
        APPLICATION_TABLE,
        "liaisons_liaisonapplication_fields",
        QUALIFICATION_TABLE,
        "liaisons_liaisonqualification_fields",
    ):
        _execute(f"VACUUM ANALYZE {table}")


def counts() -> dict[str, int]:
    """Rows of the liaison tables, for the report."""
    from liaisons.models import LiaisonApplication, LiaisonQualification
    from liaisons.selectors import roster_entries

    return {
        "applications": LiaisonApplication.objects.count(),
        "qualifications": LiaisonQualification.objects.count(),
        "roster": roster_entries().count(),
    }


# --- The hire benchmark's own rows -----------------------------------------------------------


def prepare_hires(count: int, lab_ids: list[int], lab_user, trainer) -> list:
    """``count`` new people (no employment number yet), each with a passed entry training
    (L-09) and an application passed to the training centre, with its fields; spread over
    all labs. Rows are bulk-created: the FSM state is set at construction, not assigned."""
    from django.db import transaction
    from django.utils import timezone

    from directory.idnumbers import birth_date_of, build_id_number, sex_of
    from directory.models import Person
    from liaisons.constants import TrainingMode, TrainingResult
    from liaisons.models import (
        LiaisonApplication,
        TrainingEnrolment,
        TrainingSession,
    )

    now = timezone.now()
    scopes = lab_scopes()
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(
                id_number=(
                    number := build_id_number(
                        HIRE_REGION, datetime.date(1980, 1, 1) + datetime.timedelta(days=i), 0
                    )
                ),
                name=f"受聘{i:05d}",
                birth_date=birth_date_of(number),
                sex=sex_of(number),
                education="bachelor",
                work_unit=HIRE_MARK,
                email=f"hire{i}@example.cn",
                lab_id=lab_ids[i % len(lab_ids)],
            )
            for i in range(count)
        )
        session = TrainingSession.objects.create(
            title=HIRE_MARK,
            mode=TrainingMode.FACE_TO_FACE,
            starts_on=datetime.date(2026, 3, 2),
            ends_on=datetime.date(2026, 3, 3),
            created_by=trainer,
        )
        TrainingEnrolment.objects.bulk_create(
            TrainingEnrolment(
                session=session,
                person=person,
                result=TrainingResult.PASSED,
                enrolled_by=trainer,
                result_recorded_by=trainer,
                result_recorded_at=now,
            )
            for person in people
        )
        applications = LiaisonApplication.objects.bulk_create(
            LiaisonApplication(
                lab_id=person.lab_id,
                person=person,
                applicant_name=person.name,
                state="passed",
                work_started_on=datetime.date(2015, 7, 1),
                work_history="2015-至今 检测工程师",
                recommendation="同意推荐",
                lab_signatory="王主任",
                declaration_accepted=True,
                created_by=lab_user,
                submitted_at=now,
            )
            for person in people
        )
        through = LiaisonApplication.fields.through
        through.objects.bulk_create(
            through(liaisonapplication_id=application.pk, certificationfield_id=code)
            for i, application in enumerate(applications)
            for code in application_row(i, scopes[application.lab_id]).fields[:2]
        )
    # Runs come and go on these tables: let the planner see them as autovacuum would have
    # (an unanalysed enrolment table full of dead index entries made the L-09 check 2.6 ms).
    from django.db import connection

    with connection.cursor() as cursor:
        for model in (TrainingEnrolment, LiaisonApplication, Person):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return applications


def remove_hire_fixtures() -> int:
    """Delete every row the hire benchmark made (and its history); returns the people removed."""
    from django.db import transaction

    from directory.models import EmploymentNumberCounter, Person

    people = list(Person.objects.filter(work_unit=HIRE_MARK).values_list("pk", flat=True))
    with transaction.atomic():
        if people:
            ids = [people]
            apps = "SELECT id FROM liaisons_liaisonapplication WHERE person_id = ANY(%s)"
            quals = "SELECT id FROM liaisons_liaisonqualification WHERE person_id = ANY(%s)"
            for statement in (
                "DELETE FROM django_fsm_log_statelog WHERE content_type_id = "
                "(SELECT id FROM django_content_type WHERE app_label = 'liaisons' AND "
                "model = 'liaisonapplication') AND object_id::bigint IN (" + apps + ")",
                "DELETE FROM liaisons_historicalliaisonqualification_fields WHERE "
                "liaisonqualification_id IN (" + quals + ")",
                "DELETE FROM liaisons_historicalliaisonqualification WHERE person_id = ANY(%s)",
                "DELETE FROM liaisons_liaisonqualification_fields WHERE "
                "liaisonqualification_id IN (" + quals + ")",
                "DELETE FROM liaisons_liaisonqualification WHERE person_id = ANY(%s)",
                "DELETE FROM liaisons_historicalliaisonapplication_fields WHERE "
                "liaisonapplication_id IN (" + apps + ")",
                "DELETE FROM liaisons_historicalliaisonapplication WHERE person_id = ANY(%s)",
                "DELETE FROM liaisons_liaisonapplication_fields WHERE "
                "liaisonapplication_id IN (" + apps + ")",
                "DELETE FROM liaisons_liaisonapplication WHERE person_id = ANY(%s)",
                "DELETE FROM liaisons_trainingenrolment WHERE person_id = ANY(%s)",
                "DELETE FROM directory_historicalperson WHERE id = ANY(%s)",
                "DELETE FROM directory_person WHERE id = ANY(%s)",
            ):
                _execute(statement, ids)
        _execute("DELETE FROM liaisons_trainingsession WHERE title = %s", [HIRE_MARK])
        _execute("DELETE FROM liaisons_historicaltrainingsession WHERE title = %s", [HIRE_MARK])
        _execute("DELETE FROM liaisons_coveragegap")
        top = (
            Person.objects.exclude(employment_number=None)
            .order_by("-employment_number")
            .values_list("employment_number", flat=True)
            .first()
        )
        EmploymentNumberCounter.objects.update_or_create(
            pk=1, defaults={"last_value": int(top) if top else 0}
        )
    return len(people)
