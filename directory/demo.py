"""Demo data of the directory: branch centres, labs with business scopes, departments,
certification bodies, people, and a user for every role. Idempotent: run it as often as you like.
"""

import datetime

from django.db import transaction

from . import registry, services
from .constants import CertificationFieldCode as F
from .constants import DepartmentKind, Education, PoliticalStatus, Role
from .idnumbers import build_id_number, build_uscc
from .models import BranchCentre, CertificationBody, Department, Person, TestingLab, User

DEMO_PASSWORD = "Cqc-demo-2026"  # noqa: S105 - printed for the demo, never in production

# Two-step sign-in shown working (issue 9): one demo user already has an authenticator whose
# key is printed, so a tester computes its codes with any authenticator app or with
#   python -c "from base64 import b32decode; from django_otp.oath import totp; \
#   print('%06d' % totp(b32decode('CQCPORTALDEMOTWOSTEPSIGNINKEY234')))"
# Every other demo user signs in with the password alone on the embedded default.
DEMO_TWO_STEP_USERNAME = "training.otp"
DEMO_TOTP_SECRET = "CQCPORTALDEMOTWOSTEPSIGNINKEY234"  # noqa: S105 - base32, demo only
#: Restored at every `seed_demo`, so a used one works again after the next `make run`.
DEMO_RECOVERY_CODES = [f"cqcdemo{n:02d}" for n in range(1, 11)]

BRANCHES = [
    ("BJ", "北京分中心", "beijing@cqc.example.cn"),
    ("SH", "上海分中心", "shanghai@cqc.example.cn"),
    ("GZ", "广州分中心", "guangzhou@cqc.example.cn"),
]
# (branch code, name, USCC first 17, business scope)
LABS = [
    ("BJ", "北京电器安全检测实验室", "91110105100000001", [F.CCC, F.CQC_MARK, F.ROHS, F.PSE]),
    ("BJ", "北京节能产品检测中心", "91110105100000002", [F.MARK_ENERGY_WATER, F.CQC_MARK]),
    ("SH", "上海电子电器检测所", "91310000100000003", [F.CCC, F.CB, F.CE]),
    ("SH", "上海环保材料检测站", "91310000100000004", [F.MARK_QUALITY_ENV, F.ROHS]),
    ("GZ", "广州农产品质量检测中心", "91440100100000005", [F.GAP, F.ORGANIC]),
]
DEPARTMENTS = [
    ("TC", "培训中心", DepartmentKind.TRAINING_CENTRE),
    ("QT", "质量技术部", DepartmentKind.QUALITY_TECHNOLOGY),
    ("GB", "综合业务部", DepartmentKind.GENERAL_BUSINESS),
    ("EE", "电子电器产品部", DepartmentKind.PRODUCT),
    ("FI", "工厂检查部", DepartmentKind.FACTORY_INSPECTION),
]
BODIES = [
    ("示例产品认证有限公司", "91110000200000001", "CNCA-R-2026-001"),
    ("华东质量认证中心有限公司", "91310000200000002", "CNCA-R-2026-002"),
]
# (name, region, birth date, sequence, lab index or None, body index or None, education)
PEOPLE = [
    ("张伟", "110105", datetime.date(1985, 3, 7), 6, 0, None, Education.BACHELOR),
    ("李娜", "110105", datetime.date(1990, 1, 1), 2, 0, None, Education.ASSOCIATE),
    ("王芳", "110108", datetime.date(1988, 6, 15), 24, 1, None, Education.BACHELOR),
    ("刘洋", "310104", datetime.date(1992, 11, 30), 13, 2, None, Education.POSTGRADUATE),
    ("陈静", "310104", datetime.date(1987, 2, 28), 44, 3, None, Education.BACHELOR),
    ("杨磊", "440106", datetime.date(1983, 9, 9), 51, 4, None, Education.ASSOCIATE),
    ("赵敏", "110101", datetime.date(1975, 4, 12), 62, None, 0, Education.POSTGRADUATE),
    ("孙强", "110101", datetime.date(1980, 8, 8), 71, None, 0, Education.BACHELOR),
    ("周婷", "310101", datetime.date(1982, 5, 20), 82, None, 1, Education.BACHELOR),
]

# (username, role, scope kind, scope key, display name)
STAFF = [
    ("lab.beijing", Role.LAB_STAFF, "lab", 0, "北京实验室 经办人"),
    ("lab.shanghai", Role.LAB_STAFF, "lab", 2, "上海实验室 经办人"),
    ("reviewer.beijing", Role.BRANCH_REVIEWER, "branch", "BJ", "北京分中心 审核员"),
    ("reviewer.shanghai", Role.BRANCH_REVIEWER, "branch", "SH", "上海分中心 审核员"),
    ("training", Role.TRAINING_ADMIN, None, None, "培训中心 管理员"),
    ("qualitytech", Role.QUALITY_TECH_OFFICER, None, None, "质量技术部 经办人"),
    ("generalbiz", Role.GENERAL_BUSINESS_OFFICER, None, None, "综合业务部 经办人"),
    ("evaluator", Role.DEPARTMENT_EVALUATOR, "department", "EE", "电子电器产品部 评价人"),
    ("body.admin", Role.BODY_ADMIN, "body", 0, "认证机构 管理员"),
    ("director", Role.QUALITY_DIRECTOR, "body", 0, "认证质量总监"),
    ("lead", Role.PROJECT_QUALITY_LEAD, "body", 0, "项目质量负责人"),
    ("inspector", Role.REGULATOR_INSPECTOR, None, None, "认证监管司 检查员"),
    (DEMO_TWO_STEP_USERNAME, Role.TRAINING_ADMIN, None, None, "培训中心 两步登录演示"),
]


def _seed_authenticator(user: User) -> None:
    """The demo's known authenticator and recovery codes (written directly: demo data only)."""
    from base64 import b32decode

    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .second_factor import AUTHENTICATOR_NAME, RECOVERY_CODES_NAME

    key = b32decode(DEMO_TOTP_SECRET).hex()
    TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
    TOTPDevice.objects.update_or_create(
        user=user, key=key, defaults={"name": AUTHENTICATOR_NAME, "confirmed": True}
    )
    codes, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
    )
    codes.token_set.all().delete()
    StaticToken.objects.bulk_create(StaticToken(device=codes, token=c) for c in DEMO_RECOVERY_CODES)


@registry.demo(order=0)
@transaction.atomic
def seed_directory() -> list[tuple[str, str, str]]:
    """Create (or find) the demo directory; returns (username, role, scope) of every demo user."""
    branches = {}
    for code, name, email in BRANCHES:
        branches[code], _ = BranchCentre.objects.get_or_create(
            code=code, defaults={"name": name, "email": email}
        )
    labs = []
    for branch_code, name, uscc17, scope in LABS:
        lab, created = TestingLab.objects.get_or_create(
            uscc=build_uscc(uscc17),
            defaults={
                "name": name,
                "branch": branches[branch_code],
                "email": f"lab{len(labs) + 1}@lab.example.cn",
            },
        )
        if created:
            lab.business_scope.set(scope)
        labs.append(lab)
    departments = {}
    for code, name, kind in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
    bodies = []
    for name, uscc17, approval in BODIES:
        body, _ = CertificationBody.objects.get_or_create(
            uscc=build_uscc(uscc17), defaults={"name": name, "approval_number": approval}
        )
        bodies.append(body)

    people = []
    for name, region, birth, seq, lab_i, body_i, education in PEOPLE:
        number = build_id_number(region, birth, seq)
        person = Person.objects.filter(id_number=number).first() or services.person_create(
            id_number=number,
            name=name,
            actor=None,
            lab=labs[lab_i] if lab_i is not None else None,
            body=bodies[body_i] if body_i is not None else None,
            education=education,
            major="电气工程",
            political_status=PoliticalStatus.MASSES,
            phone=f"1380000{seq:04d}",
            email=f"person{seq}@example.cn",
            work_unit=labs[lab_i].name if lab_i is not None else bodies[body_i].name,
        )
        people.append(person)

    users = []
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "admin@cqc.example.cn", DEMO_PASSWORD)
    users.append(("admin", "superuser", ""))
    for username, role, kind, key, display in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            orgs = services.Organisations(
                lab=labs[key] if kind == "lab" else None,
                branch=branches[key] if kind == "branch" else None,
                department=departments[key] if kind == "department" else None,
                body=bodies[key] if kind == "body" else None,
            )
            user = services.user_create_staff(
                username=username,
                role=role,
                actor=None,
                first_name=display,
                email=f"{username}@example.cn",
                password=DEMO_PASSWORD,
                orgs=orgs,
            )
        if role == Role.DEPARTMENT_EVALUATOR:
            for lab in (labs[0], labs[2]):
                services.evaluator_grant_lab(evaluator=user, lab=lab, actor=None)
        if username == DEMO_TWO_STEP_USERNAME:
            _seed_authenticator(user)
        users.append((username, str(Role(role).label), user.scope_name))

    # The first person of the first lab already has an account: a person signs in with
    # their ID number (P-01).
    person = people[0]
    if person.user_id is None:
        account, _ = services.person_account_ensure(person=person, actor=None)
        account.set_password(DEMO_PASSWORD)
        account.save(update_fields=["password"])
    users.append((person.id_number, str(Role.PERSON.label), person.name))
    return users
