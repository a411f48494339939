"""Demo data of the check campaign (A-03, A-04), a campaign at every stage: the 2011 campaign
(deadlines 2011-08-30 and 2011-12-30), enforced by the real deadline job (its runs are real
``EnforcementRun`` rows); this year's pilot, closed, its deadline passed yesterday and its run
still to come; next year's, in draft; and a current campaign, open, whose confirmation
deadline lies a few weeks after the day the demo is seeded, with confirmations over the past
days, so that the dashboard's progress, chart and clock, and the reminders, can be seen
working.

Registered after the login rights' demo (``access_audit/demo.py``, order 20): the accounts it
imports are taken into the campaigns. If there are none, a few accounts of the demo's people
are made here, so that this demo works alone. Idempotent: nothing is done once a campaign
exists.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from directory import registry
from directory.idnumbers import build_id_number
from directory.models import Person, TestingLab, User
from liaisons.constants import CHINA

from .constants import CampaignState, Case, Confirmation, LoginRightState, RunState, china_today
from .models import AuditCampaign, CampaignEntry, LoginRight
from .services import campaign_confirmation
from .services import campaigns as services

CAMPAIGN_2011 = "2011年业务系统登录人员核查"
#: Accounts made when the demo has none: (username, person's name or None, lab name, state,
#: days since the last login, the name the business system shows). 李娜, hired, has none:
#: case 2.
ACCOUNTS = [
    ("bj-zhangwei", "张伟", "北京电器安全检测实验室", LoginRightState.ACTIVE, 2, ""),
    ("sh-liuyang", "刘洋", "上海电子电器检测所", LoginRightState.ACTIVE, 5, ""),
    # A legacy liaison not migrated (L-13): the account is case 3, unused for long.
    ("bj-wangfang", "王芳", "北京节能产品检测中心", LoginRightState.ACTIVE, 200, ""),
    ("sh-chenjing", "陈静", "上海环保材料检测站", LoginRightState.ACTIVE, 30, ""),
    ("gz-yanglei", "杨磊", "广州农产品质量检测中心", LoginRightState.REVOKED, 700, ""),
    # Accounts whose ID number matches no person: someone who left long ago, and a newcomer.
    ("bj-wangjianguo", None, "北京电器安全检测实验室", LoginRightState.ACTIVE, 400, "王建国"),
    ("sh-zhaoli", None, "上海电子电器检测所", LoginRightState.ACTIVE, 20, "赵丽"),
]


def _ensure_accounts() -> None:
    if LoginRight.objects.exclude(username=ACCOUNT_2011[0]).exists():
        return
    today = china_today()
    labs = {lab.name: lab for lab in TestingLab.objects.all()}
    for seq, (username, name, lab_name, state, unused, shown) in enumerate(ACCOUNTS, start=1):
        person = Person.objects.filter(name=name).first() if name else None
        right = LoginRight.objects.create(
            username=username,
            person=person,
            id_number=person.id_number
            if person
            else build_id_number("110105", datetime.date(1970, 1, seq), 900 + seq),
            name=shown or (person.name if person else ""),
            lab=labs.get(lab_name),
            last_login_on=today - datetime.timedelta(days=unused),
            imported_at=timezone.now(),
        )
        if state == LoginRightState.REVOKED:
            right.revoke(at=timezone.now(), reason="2011年核查后离职，权限已取消")
            right.save()


def _china(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), CHINA)


#: An account of 2011 whose ID number matched no person and that no lab confirmed: the real
#: deadline job revoked it at 2011-12-30 24:00 (A-04).
ACCOUNT_2011 = ("bj-sunlixin", "孙立新", "北京电器安全检测实验室")


def _seed_2011(training: User) -> None:
    """The 2011 campaign, enforced by the deadline job itself (``enforcement/run.py``): what
    its labs confirmed then is recorded on its entries (written directly: the service
    confirms nothing after the deadline, A-04); the job ran on 2011-08-31 (L-13: legacy
    liaisons not migrated lapse) and on 2011-12-31 (A-04: the unconfirmed account revoked,
    the campaign enforced)."""
    from .enforcement.run import deadlines_enforce, held_run_resume, run_clock
    from .services.enforcement import enforcement_run_confirm

    campaign = services.campaign_create(
        actor=training,
        name=CAMPAIGN_2011,
        migration_deadline=datetime.date(2011, 8, 30),
        confirmation_deadline=datetime.date(2011, 12, 30),
    )
    username, shown, lab_name = ACCOUNT_2011
    LoginRight.objects.get_or_create(
        username=username,
        defaults={
            "id_number": build_id_number("110105", datetime.date(1965, 3, 9), 951),
            "name": shown,
            "lab": TestingLab.objects.filter(name=lab_name).first(),
            "last_login_on": datetime.date(2010, 11, 2),
            "imported_at": _china(datetime.date(2011, 5, 20), 9),
        },
    )
    services.campaign_open(
        campaign=campaign, actor=training, at=_china(datetime.date(2011, 5, 26), 9)
    )
    staff = {u.lab_id: u for u in User.objects.filter(role="lab_staff", is_active=True)}
    for index, entry in enumerate(
        CampaignEntry.objects.filter(campaign=campaign, lab__isnull=False, right__isnull=True)
        .exclude(case=Case.NEITHER)
        .order_by("pk")
    ):
        CampaignEntry.objects.filter(pk=entry.pk).update(
            confirmation=Confirmation.WORKS,
            confirmed_at=_china(datetime.date(2011, 9, 1) + datetime.timedelta(days=9 * index), 10),
            confirmed_by=staff.get(entry.lab_id),
            confirmed_by_branch=entry.lab_id not in staff,
        )
    deadlines_enforce(at=run_clock(datetime.date(2011, 8, 31)))
    campaign = AuditCampaign.objects.get(pk=campaign.pk)
    campaign.close(at=_china(datetime.date(2011, 12, 20), 17), by=training)
    campaign.save()
    for run in deadlines_enforce(at=run_clock(datetime.date(2011, 12, 31))):
        if run.state == RunState.HELD:
            # The account was the only active one: the circuit breaker held the run, and the
            # training centre confirmed it the next morning (what the task does then).
            enforcement_run_confirm(
                run=run, actor=training, at=_china(datetime.date(2011, 12, 31), 9)
            )
            held_run_resume(run)


def _confirm(campaign, actor, entries, confirmation, *, at, comment="") -> None:
    entries = [e for e in entries if e is not None and e.confirmation == ""]
    if actor is None or not entries:
        return
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=actor,
        seen={e.pk: e.confirmation for e in entries},
        confirmation=confirmation,
        comment=comment,
        at=at,
    )


def _unused_of(entries, staff):
    """An account of the staff's lab the portal suggests as left, when the login rights' demo
    made the accounts (its own 王建国 is made only when there were none)."""
    if staff is None:
        return None
    unconfirmed = entries.filter(lab_id=staff.lab_id, confirmation="", right__isnull=False)
    return (
        unconfirmed.filter(suggest_left=True).first()
        or unconfirmed.filter(case=3).first()
        or unconfirmed.first()
    )


def _seed_pilot(training: User) -> None:
    """A pilot campaign of this year, closed: its labs confirmed some people, its confirmation
    deadline was yesterday, and tonight's deadline job (or ``enforce_deadlines``) will take
    the rights it names; its preview shows who (A-04). Opened and closed before the current
    campaign opens: one campaign is open at a time."""
    now = timezone.now()
    today = china_today(now)
    campaign = services.campaign_create(
        actor=training,
        name=f"{today.year}年业务系统登录权限核查（试点）",
        migration_deadline=today - datetime.timedelta(days=20),
        confirmation_deadline=today - datetime.timedelta(days=1),
    )
    services.campaign_open(campaign=campaign, actor=training, at=now - datetime.timedelta(days=40))
    beijing = User.objects.filter(username="lab.beijing").first()
    works = CampaignEntry.objects.filter(campaign=campaign, person__name="张伟").first()
    if beijing is not None and works is not None:
        at = now - datetime.timedelta(days=30)
        _confirm(campaign, beijing, [works], Confirmation.WORKS, at=at)
    services.campaign_close(campaign=campaign, actor=training, at=now - datetime.timedelta(days=2))


def _seed_next(training: User) -> None:
    """Next year's campaign, in draft: its deadlines set, not yet opened (A-03)."""
    today = china_today()
    services.campaign_create(
        actor=training,
        name=f"{today.year + 1}年业务系统登录权限核查",
        migration_deadline=datetime.date(today.year + 1, 6, 30),
        confirmation_deadline=datetime.date(today.year + 1, 9, 30),
    )


def _seed_current(training: User) -> None:
    """The current campaign: opened nine days ago, deadline in 24 days, some confirmed."""
    now = timezone.now()
    today = china_today(now)
    campaign = services.campaign_create(
        actor=training,
        name=f"{today.year}年业务系统登录权限核查",
        migration_deadline=today + datetime.timedelta(days=10),
        confirmation_deadline=today + datetime.timedelta(days=24),
    )
    services.campaign_open(campaign=campaign, actor=training, at=now - datetime.timedelta(days=9))
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    entries = CampaignEntry.objects.filter(campaign=campaign).select_related("person", "right")

    def of(name):
        return entries.filter(person__name=name).first() or entries.filter(right__name=name).first()

    def ago(days):
        return now - datetime.timedelta(days=days)

    beijing, shanghai = users.get("lab.beijing"), users.get("lab.shanghai")
    _confirm(campaign, beijing, [of("张伟")], Confirmation.WORKS, at=ago(8))
    _confirm(campaign, beijing, [of("李娜")], Confirmation.WORKS, at=ago(5), comment="仍在岗")
    _confirm(campaign, shanghai, [of("刘洋")], Confirmation.WORKS, at=ago(3))
    # An account unused for over a year: the lab confirms what the portal suggested.
    _confirm(
        campaign,
        beijing,
        [of("王建国") or _unused_of(entries, beijing)],
        Confirmation.LEFT_RETIRED,
        at=ago(2),
        comment="已于2024年退休",
    )
    # The energy-saving lab has no staff user: its branch centre confirms for it.
    _confirm(
        campaign,
        users.get("reviewer.beijing"),
        [of("王芳")],
        Confirmation.WORKS,
        at=ago(1),
        comment="实验室暂无经办人，由分中心确认；须在截止前完成迁移聘用",
    )


@registry.demo(order=15)  # after the liaisons' demo, before the accounts of today (order 20)
@transaction.atomic
def seed_campaign_2011() -> None:
    """The 2011 campaign, over the liaisons and accounts of 2011, enforced by the real job."""
    if AuditCampaign.objects.filter(name=CAMPAIGN_2011).exists():
        return
    training = User.objects.filter(username="training").first()
    if training is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _seed_2011(training)


@registry.demo(order=30)  # after the login rights' demo (order 20)
@transaction.atomic
def seed_campaigns() -> None:
    if AuditCampaign.objects.exclude(name=CAMPAIGN_2011).exists():
        return
    training = User.objects.filter(username="training").first()
    if training is None:
        return
    seed_campaign_2011()
    _ensure_accounts()
    # What the services write in words (reasons, descriptions) is written in the portal's
    # language, as a user of the Chinese portal would have it written.
    with translation.override(settings.LANGUAGE_CODE):
        _seed_pilot(training)
        _seed_current(training)
        _seed_next(training)
    assert AuditCampaign.objects.filter(state=CampaignState.OPEN).count() == 1  # noqa: S101
