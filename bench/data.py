"""The benchmark database: created if missing, filled deterministically, reused when it fits.

Everything here is deterministic: person ``i`` (0-based) always gets the same name, ID number,
lab and employment number ``i + 1`` (zero-padded to eight digits), so a run can cut the table
back to its first ``n`` people with one ``DELETE`` and grow it again with one ``COPY``.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass

import psycopg
from psycopg import sql

BRANCHES = 10
LABS_PER_BRANCH = 50
LABS = BRANCHES * LABS_PER_BRANCH
REGIONS = ("110101", "110105", "110108", "310101", "310104")
BRANCH_NAMES = (
    "华北分中心",
    "华东分中心",
    "华南分中心",
    "华中分中心",
    "西南分中心",
    "西北分中心",
    "东北分中心",
    "山东分中心",
    "江苏分中心",
    "浙江分中心",
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲飞鹏辉宇浩凯健俊帆"
LAB_KINDS = (
    "电器安全检测实验室",
    "电子电器检测所",
    "节能产品检测中心",
    "环保材料检测站",
    "农产品质量检测中心",
)
SCOPES = (
    ("CCC", "CQC_MARK", "ROHS", "PSE"),
    ("CCC", "CB", "CE"),
    ("MARK_ENERGY_WATER", "CQC_MARK"),
    ("MARK_QUALITY_ENV", "ROHS"),
    ("GAP", "ORGANIC"),
)
REVIEWER_USERNAME = "bench.reviewer"
REVIEWER_BRANCH = "B03"  # any branch; all hold the same number of people


def employment_number(index: int) -> str:
    return f"{index + 1:08d}"


# --- The database itself ---------------------------------------------------------------------


def ensure_database(url: str, *, fresh: bool) -> bool:
    """Create the database of ``url`` if it is missing (drop it first when ``fresh``).

    Returns whether the database was (re)created.
    """
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.get("dbname")
    if not name:
        raise SystemExit(f"DATABASE_URL names no database: {url}")
    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    return False


# --- People, generated -----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    id_number: str
    name: str
    birth_date: datetime.date
    sex: str
    lab_index: int
    employment_number: str


def generate_people(total: int) -> list[PersonRow]:
    """``total`` people with valid, unique ID numbers, spread evenly across the labs."""
    from directory.idnumbers import birth_date_of, build_id_number, sex_of

    rng = random.Random(20260101)  # noqa: S311 - test data, not secrets
    first_birth = datetime.date(1960, 1, 1)
    span = (datetime.date(2002, 12, 31) - first_birth).days
    seen: set[str] = set()
    rows = []
    for index in range(total):
        while True:
            number = build_id_number(
                REGIONS[rng.randrange(len(REGIONS))],
                first_birth + datetime.timedelta(days=rng.randrange(span)),
                rng.randrange(1000),
            )
            if number not in seen:
                seen.add(number)
                break
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        rows.append(
            PersonRow(
                id_number=number,
                name=rng.choice(SURNAMES) + given,
                birth_date=birth_date_of(number),
                sex=sex_of(number),
                lab_index=index % LABS,
                employment_number=employment_number(index),
            )
        )
    assert len({row.id_number for row in rows}) == total
    return rows


# --- Filling ---------------------------------------------------------------------------------


def ensure_organisations() -> tuple[list[int], object]:
    """The 10 branch centres, 500 labs with scopes and the reviewer; returns (lab ids, user)."""
    from django.db import transaction

    from directory import services
    from directory.constants import Role
    from directory.idnumbers import build_uscc
    from directory.models import BranchCentre, TestingLab, User

    with transaction.atomic():
        if BranchCentre.objects.count() != BRANCHES or TestingLab.objects.count() != LABS:
            if BranchCentre.objects.exists() or TestingLab.objects.exists():
                raise RuntimeError("the organisations are not the benchmark's")
            branches = BranchCentre.objects.bulk_create(
                BranchCentre(code=f"B{b + 1:02d}", name=BRANCH_NAMES[b], email=f"b{b + 1}@cqc.cn")
                for b in range(BRANCHES)
            )
            labs = TestingLab.objects.bulk_create(
                TestingLab(
                    name=f"{BRANCH_NAMES[i // LABS_PER_BRANCH][:2]}{LAB_KINDS[i % 5]}{i + 1:03d}",
                    uscc=build_uscc(f"91{REGIONS[i % 5]}3{i + 1:08d}"),
                    branch=branches[i // LABS_PER_BRANCH],
                    email=f"lab{i + 1}@lab.example.cn",
                )
                for i in range(LABS)
            )
            through = TestingLab.business_scope.through
            through.objects.bulk_create(
                through(testinglab_id=lab.pk, certificationfield_id=code)
                for i, lab in enumerate(labs)
                for code in SCOPES[i % len(SCOPES)]
            )
        user = User.objects.filter(username=REVIEWER_USERNAME).first()
        if user is None:
            user = services.user_create_staff(
                username=REVIEWER_USERNAME,
                role=Role.BRANCH_REVIEWER,
                actor=None,
                first_name="基准 审核员",
                orgs=services.Organisations(branch=BranchCentre.objects.get(code=REVIEWER_BRANCH)),
            )
    lab_ids = list(
        TestingLab.objects.order_by("uscc").values_list("pk", flat=True)
    )  # the USCC carries the lab index, so this is creation order
    return lab_ids, user


def _copy_people(rows: list[PersonRow], lab_ids: list[int]) -> None:
    """Insert ``rows`` with one COPY (simple-history is skipped, as with bulk_create)."""
    from django.db import connection
    from django.utils import timezone

    from directory.models import Person

    now = timezone.now()
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    template = {**defaults, "created_at": now}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(Person._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor:
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                values = {
                    **template,
                    "id_number": row.id_number,
                    "name": row.name,
                    "birth_date": row.birth_date,
                    "sex": row.sex,
                    "lab_id": lab_ids[row.lab_index],
                    "employment_number": row.employment_number,
                }
                copy.write_row([values[f.attname] for f in fields])


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE directory_person")
        cursor.execute("ANALYZE directory_testinglab")


def people_consistent(people: list[PersonRow]) -> bool:
    """Whether the person table holds a prefix of ``people`` (or nothing)."""
    from directory.models import Person

    present = Person.objects.count()
    if present == 0:
        return True
    if present > len(people):
        return False
    last = (
        Person.objects.order_by("-employment_number")
        .values_list("employment_number", "id_number")
        .first()
    )
    return last == (employment_number(present - 1), people[present - 1].id_number)


def fill_people(people: list[PersonRow], size: int, lab_ids: list[int]) -> str:
    """Make the person table hold exactly the first ``size`` generated people.

    Reuses what is there: extra people are cut off with one DELETE, missing ones added with
    one COPY. Returns a short note of what was done.
    """
    from django.db import connection, transaction

    from directory.models import EmploymentNumberCounter, Person

    started = time.perf_counter()
    present = Person.objects.count()
    with transaction.atomic():
        if present > size:
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM directory_person WHERE employment_number > %s",
                    [employment_number(size - 1)],
                )
            note = f"cut {present - size:,} people"
        elif present < size:
            _copy_people(people[present:size], lab_ids)
            note = f"copied {size - present:,} people"
        else:
            note = "reused"
        EmploymentNumberCounter.objects.update_or_create(pk=1, defaults={"last_value": size})
    assert Person.objects.count() == size
    _analyze()
    return f"{note} in {time.perf_counter() - started:.1f} s"
