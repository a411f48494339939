"""Demo data of the quality roles, built through the services as the users would build it:
the first demo body with its governance, staff, a quality director in office, two project
quality leads and a change of the director's details due for filing; the second with a
director nominated and authorised, not yet filed. Idempotent.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from directory import registry
from directory import services as directory_services
from directory.constants import Education, PoliticalStatus, Role
from directory.demo import DEMO_PASSWORD
from directory.idnumbers import build_id_number, build_uscc
from directory.models import CertificationBody, Person, User

from .constants import (
    AuthoriserCapacity,
    IncidentKind,
    LabEvaluationResult,
    ProposalAction,
    TitleLevel,
)
from .demo_certificates import seed_certificates
from .demo_oversight import seed_oversight
from .models import BodyStaff, DirectorAppointment, ExternalLab, IncidentReport
from .services import appointments, bodies, external_labs, incidents, powers

# The directory's demo bodies, by their USCC's first 17 characters (directory/demo.py).
FIRST_BODY = "91110000200000001"
SECOND_BODY = "91310000200000002"

# (name, region, birth, sequence, education): people the directory's demo does not hold.
NEW_PEOPLE = {
    "钱建国": ("110102", datetime.date(1968, 5, 4), 301, Education.POSTGRADUATE),
    "吴刚": ("110102", datetime.date(1990, 9, 10), 302, Education.POSTGRADUATE),
    "冯立新": ("310101", datetime.date(1970, 12, 1), 303, Education.BACHELOR),
}

# (name, position, full-time since, professional since, title, top management, QM)
FIRST_STAFF = [
    ("钱建国", "总经理", datetime.date(1992, 7, 1), None, TitleLevel.SENIOR, True, False),
    (
        "赵敏",
        "副总经理",
        datetime.date(2000, 7, 1),
        datetime.date(2002, 3, 1),
        TitleLevel.SENIOR,
        True,
        True,
    ),
    (
        "孙强",
        "认证一部经理",
        datetime.date(2008, 7, 1),
        datetime.date(2010, 1, 1),
        TitleLevel.INTERMEDIATE,
        False,
        False,
    ),
    (
        "吴刚",
        "认证二部主管",
        datetime.date(2016, 7, 1),
        datetime.date(2018, 7, 1),
        TitleLevel.NONE,
        False,
        False,
    ),
]
SECOND_STAFF = [
    ("冯立新", "总经理", datetime.date(1993, 7, 1), None, TitleLevel.SENIOR, True, False),
    (
        "周婷",
        "副总经理",
        datetime.date(2004, 7, 1),
        datetime.date(2004, 7, 1),
        TitleLevel.INTERMEDIATE,
        True,
        False,
    ),
]

#: (username, role, body key, display name, person): accounts this demo adds or links.
ACCOUNTS = [
    ("director", Role.QUALITY_DIRECTOR, FIRST_BODY, "认证质量总监", "赵敏"),
    ("lead", Role.PROJECT_QUALITY_LEAD, FIRST_BODY, "项目质量负责人", "孙强"),
    ("lead.wu", Role.PROJECT_QUALITY_LEAD, FIRST_BODY, "项目质量负责人 吴刚", "吴刚"),
    ("body.admin.east", Role.BODY_ADMIN, SECOND_BODY, "华东 认证机构管理员", None),
]


def _body(uscc17: str) -> CertificationBody:
    return CertificationBody.objects.get(uscc=build_uscc(uscc17))


def _person(name: str, body: CertificationBody) -> Person:
    found = Person.objects.filter(name=name, body=body).first()
    if found is not None:
        return found
    region, birth, seq, education = NEW_PEOPLE[name]
    return directory_services.person_create(
        id_number=build_id_number(region, birth, seq),
        name=name,
        actor=None,
        body=body,
        education=education,
        major="质量管理工程",
        political_status=PoliticalStatus.MASSES,
        phone=f"1390000{seq:04d}",
        email=f"person{seq}@example.cn",
        work_unit=body.name,
    )


def _account(username, role, body, display, person_name) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = directory_services.user_create_staff(
            username=username,
            role=role,
            actor=None,
            first_name=display,
            email=f"{username}@example.cn",
            password=DEMO_PASSWORD,
            orgs=directory_services.Organisations(body=body),
        )
    if person_name is not None:
        person = Person.objects.get(name=person_name, body=body)
        if person.user_id is None:
            # A key role acts through its person's account (docs/decisions.md): demo data
            # links them directly.
            person.user = user
            person.save(update_fields=["user"])
    return user


def _staff(body, admin, rows) -> dict[str, BodyStaff]:
    staff = {}
    for name, position, full_time, professional, title, top, quality_manager in rows:
        person = _person(name, body)
        staff[name] = BodyStaff.objects.filter(body=body, person=person).first() or (
            bodies.body_staff_add(
                body=body,
                person=person,
                actor=admin,
                position=position,
                full_time_work_since=full_time,
                professional_work_since=professional,
                title_level=title,
                is_top_management=top,
                is_quality_manager=quality_manager,
            )
        )
    return staff


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _seed_first(body: CertificationBody) -> None:
    admin = User.objects.get(username="body.admin")
    staff = _staff(body, admin, FIRST_STAFF)
    bodies.body_governance_set(
        body=body, actor=admin, legal_representative=staff["钱建国"].person, actual_controller=None
    )
    household = bodies.product_category_create(body=body, actor=admin, code="HA", name="家用电器")
    lighting = bodies.product_category_create(body=body, actor=admin, code="LT", name="照明电器")
    ccc = bodies.certification_project_create(
        body=body, actor=admin, code="CCC-HA", name="CCC 家用电器认证", category=household
    )
    mark = bodies.certification_project_create(
        body=body, actor=admin, code="CQC-LT", name="CQC 标志认证 照明产品", category=lighting
    )
    director = appointments.director_appointment_nominate(
        body=body, staff=staff["赵敏"], actor=admin, note="总经理办公会提名"
    )
    appointments.director_appointment_authorise(
        appointment=director,
        actor=admin,
        capacity=AuthoriserCapacity.LEGAL_REPRESENTATIVE,
        authorised_on=_days_ago(40),
        comment="法定代表人授权书 2026-01",
    )
    appointments.director_appointment_file(
        appointment=director, actor=admin, filed_on=_days_ago(35), reference="RZJG-BA-2026-0107"
    )
    appointments.director_appointment_activate(
        appointment=director, actor=admin, starts_on=_days_ago(30)
    )
    director_account = User.objects.get(username="director")
    for name, projects, categories in (("孙强", [ccc], [household]), ("吴刚", [mark], [])):
        lead = appointments.lead_appointment_nominate(
            body=body,
            staff=staff[name],
            actor=director_account,
            projects=projects,
            product_categories=categories,
        )
        appointments.lead_appointment_activate(
            appointment=lead, actor=admin, starts_on=_days_ago(20)
        )
    # A change of the director's details, due for filing within 30 days.
    bodies.body_staff_update(
        staff=staff["赵敏"], actor=admin, changed_on=_days_ago(5), position="常务副总经理"
    )


def _seed_second(body: CertificationBody) -> None:
    admin = User.objects.get(username="body.admin.east")
    staff = _staff(body, admin, SECOND_STAFF)
    bodies.body_governance_set(
        body=body, actor=admin, legal_representative=staff["冯立新"].person, actual_controller=None
    )
    director = appointments.director_appointment_nominate(
        body=body, staff=staff["周婷"], actor=admin
    )
    appointments.director_appointment_authorise(
        appointment=director,
        actor=admin,
        capacity=AuthoriserCapacity.LEGAL_REPRESENTATIVE,
        authorised_on=_days_ago(3),
    )


def _seed_duties(body: CertificationBody) -> None:
    """Q-07, Q-08: an open incident a lead reported three hours ago (its clock running), and a
    spot check with a rectification order open."""
    lead = User.objects.get(username="lead")
    director = User.objects.get(username="director")
    project = body.projects.get(code="CCC-HA")
    incidents.incident_report_record(
        body=body,
        actor=lead,
        kind=IncidentKind.PRODUCT_ACCIDENT,
        title="获证电热水器漏电致用户受伤",
        description="经销商反馈某型号电热水器使用中漏电，一名用户受伤送医。",
        learned_at=timezone.now() - datetime.timedelta(hours=3),
        project=project,
    )
    check = powers.spot_check_record(
        body=body,
        actor=director,
        project=project,
        checked_on=_days_ago(2),
        files_read="2026 年第一季度工厂检查报告、型式试验报告",
        findings="两份工厂检查报告缺检查员签字。",
        issues_found=True,
    )
    powers.rectification_order_issue(
        spot_check=check,
        actor=director,
        problem="工厂检查报告缺检查员签字",
        actions="补签并对检查员进行记录规范培训",
        owner=BodyStaff.objects.get(body=body, person__name="孙强"),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )


def _seed_labs(body: CertificationBody) -> None:
    """Q-10: two external labs of the CCC-HA project; the lead's evaluation of one led to a
    pause the director approved, so the cooperation waits, paused, for a resumption."""
    admin = User.objects.get(username="body.admin")
    lead = User.objects.get(username="lead")
    director = User.objects.get(username="director")
    project = body.projects.get(code="CCC-HA")
    working = external_labs.external_lab_register(
        body=body, actor=admin, name="京华电器安全检测中心", accreditation_number="CMA-110012"
    )
    external_labs.lab_cooperation_start(
        lab=working, actor=admin, project=project, since=_days_ago(400)
    )
    paused = external_labs.external_lab_register(
        body=body, actor=admin, name="北辰家电检测技术有限公司", accreditation_number="CMA-110057"
    )
    cooperation = external_labs.lab_cooperation_start(
        lab=paused, actor=admin, project=project, since=_days_ago(200)
    )
    evaluation = external_labs.lab_evaluation_record(
        cooperation=cooperation,
        actor=lead,
        evaluated_on=_days_ago(10),
        result=LabEvaluationResult.UNSATISFACTORY,
        findings="比对试验结果偏差超限，两份报告签发延迟。",
    )
    proposal = external_labs.cooperation_proposal_submit(
        cooperation=cooperation,
        actor=lead,
        action=ProposalAction.PAUSE,
        reason="比对试验不合格，整改完成前暂停委托检测。",
        evaluation=evaluation,
    )
    external_labs.cooperation_proposal_decide(
        proposal=proposal, actor=director, approve=True, comment="同意暂停，整改验证后再议恢复。"
    )


@registry.demo(order=40)  # on the directory's demo (issue 11)
@transaction.atomic
def seed_quality_roles() -> list[tuple[str, str, str]]:
    """Create (or find) the quality roles' demo; returns the demo users it adds."""
    first, second = _body(FIRST_BODY), _body(SECOND_BODY)
    for name in ("吴刚",):
        _person(name, first)
    _person("冯立新", second)
    users = []
    for username, role, key, display, person_name in ACCOUNTS:
        body = first if key == FIRST_BODY else second
        _account(username, role, body, display, person_name)
        if username in ("lead.wu", "body.admin.east"):
            users.append((username, str(Role(role).label), body.name))
    if not DirectorAppointment.objects.filter(body=first).exists():
        _seed_first(first)
    if not DirectorAppointment.objects.filter(body=second).exists():
        _seed_second(second)
    seed_certificates(first, second)
    if not IncidentReport.objects.filter(body=first).exists():
        _seed_duties(first)
    if not ExternalLab.objects.filter(body=first).exists():
        _seed_labs(first)
    seed_oversight(first)
    return users
