"""Demo data of the login rights, built through the services as the departments would build
it: the business system's account list imported by the general business dept (accounts of
hired liaisons, of people without a qualification, and of ID numbers matching nobody, listed
for follow-up), and requests for a login right at every step (A-02): one granted after an
earlier refusal, one with the quality technology dept, one with the general business dept.
Idempotent: does nothing once its accounts exist.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from directory import registry
from directory import services as directory_services
from directory.constants import Role
from directory.demo import DEMO_PASSWORD
from directory.idnumbers import build_id_number
from directory.models import Person, TestingLab, User

from .models import LoginRight
from .services.imports import login_rights_import
from .services.requests import (
    login_right_request_accept,
    login_right_request_grant,
    login_right_request_refuse,
    login_right_request_submit,
)

#: The departments' demo users (the directory's demo makes them; made here if it did not).
DEPARTMENT_USERS = [
    ("qualitytech", Role.QUALITY_TECH_OFFICER, "质量技术部 经办人"),
    ("generalbiz", Role.GENERAL_BUSINESS_OFFICER, "综合业务部 经办人"),
]

# (username, lab USCC first 17 or None, person's name or None, state, days since last login)
# A person named here but missing from the demo is skipped; ``None``: an ID number matching
# nobody (listed for follow-up).
ACCOUNTS = [
    # 北京电器安全检测实验室: a hired liaison whose account the business system suspended
    # (unused); an applicant not hired yet (case 3); an account matching nobody.
    ("bj.zhangwei", "91110105100000001", "张伟", "suspended", 150),
    ("bj.wuhao", "91110105100000001", "吴昊", "active", 12),
    ("bj.guest01", "91110105100000001", None, "active", 400),
    # 北京节能产品检测中心: a legacy liaison who was not migrated (L-13): no longer counts.
    ("bjjn.wangfang", "91110105100000002", "王芳", "active", 30),
    ("bjjn.guest02", "91110105100000002", None, "suspended", 700),
    # 上海电子电器检测所: a hired liaison's revoked account; an applicant not hired yet.
    ("sh.liuyang", "91310000100000003", "刘洋", "revoked", 800),
    ("sh.zhengshuang", "91310000100000003", "郑爽", "active", 5),
    ("sh.guest03", "91310000100000003", None, "active", 20),
    # 上海环保材料检测站 and 广州农产品质量检测中心: people without a qualification.
    ("shhb.chenjing", "91310000100000004", "陈静", "active", 60),
    ("shhb.guest04", "91310000100000004", None, "active", None),
    ("gz.yanglei", "91440100100000005", "杨磊", "active", 3),
    ("gz.guest05", "91440100100000005", None, "revoked", 1000),
]
#: The ID numbers of the accounts matching nobody: valid, held by no demo person.
_NOBODY = [build_id_number("110105", datetime.date(1979, 7, 1), 300 + n) for n in range(1, 6)]


def _users() -> tuple[dict[str, User], list[tuple[str, str, str]]]:
    users, made = {}, []
    for username, role, display in DEPARTMENT_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = directory_services.user_create_staff(
                username=username,
                role=role,
                actor=None,
                first_name=display,
                email=f"{username}@example.cn",
                password=DEMO_PASSWORD,
                orgs=directory_services.Organisations(),
            )
            made.append((username, str(Role(role).label), ""))
        users[username] = user
    return users, made


def _rows() -> list[dict[str, str]]:
    labs = {lab.uscc[:17]: lab for lab in TestingLab.objects.all()}
    today = timezone.localdate()
    rows, nobody = [], iter(_NOBODY)
    for number, (username, uscc17, name, state, days) in enumerate(ACCOUNTS, start=2):
        lab = labs.get(uscc17)
        if lab is None:
            continue
        if name is None:
            id_number, shown_name = next(nobody), "外部账号"
            if Person.objects.filter(id_number=id_number).exists():
                continue
        else:
            person = Person.objects.filter(name=name).first()
            if person is None:
                continue
            id_number, shown_name = person.id_number, name
        last_login = today - datetime.timedelta(days=days) if days is not None else None
        rows.append(
            {
                "row": number,
                "username": username,
                "id_number": id_number,
                "name": shown_name,
                "lab": lab.uscc,
                "last_login_on": last_login.isoformat() if last_login else "",
                "state": state,
            }
        )
    return rows


@registry.demo(order=20)  # after the liaisons' demo: it needs the hired liaisons
@transaction.atomic
def seed_login_rights() -> list[tuple[str, str, str]]:
    users, made = _users()
    if LoginRight.objects.filter(username__in=[a[0] for a in ACCOUNTS]).exists():
        return made
    quality_tech, general_business = users["qualitytech"], users["generalbiz"]
    rows = _rows()
    if rows:
        login_rights_import(rows=rows, actor=general_business, dry_run=False)
    staff = {u.lab_id: u for u in User.objects.filter(role=Role.LAB_STAFF, is_active=True)}

    def submit(name: str, username: str, comment: str, *, by_person: bool = False):
        person = Person.objects.filter(name=name).select_related("user").first()
        if person is None:
            return None
        actor = person.user if by_person and person.user_id else staff.get(person.lab_id)
        if actor is None:
            return None
        return login_right_request_submit(
            person=person, username=username, actor=actor, comment=comment
        )

    # 李娜: refused once (the quality technology dept's reason), then granted.
    refused = submit("李娜", "bj.lina", "新聘联络员，申请开通业务系统账号。")
    if refused is not None:
        login_right_request_refuse(
            request=refused,
            actor=quality_tech,
            reason="申请未附检测机构盖章的申请函，请补充后重新提交。",
        )
        granted = submit("李娜", "bj.lina", "已补充盖章申请函。")
        login_right_request_accept(request=granted, actor=quality_tech, comment="材料齐全。")
        login_right_request_grant(
            request=granted, actor=general_business, comment="已在业务系统开通。"
        )
    # 张伟 applies himself to have his suspended account granted again: with the
    # general business dept.
    again = submit("张伟", "bj.zhangwei", "账号因长期未登录被暂停，申请恢复。", by_person=True)
    if again is not None:
        login_right_request_accept(request=again, actor=quality_tech, comment="资格有效。")
    # 刘洋's revoked account, applied for by his lab: with the quality technology dept.
    submit("刘洋", "sh.liuyang", "该联络员已重新聘用，申请恢复业务系统账号。")
    return made
