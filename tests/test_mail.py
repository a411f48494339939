"""E-mails: each recipient reads them in their own language, links on the portal address.

Issue 10: the account e-mail of L-08 went out in English because the reviewer who accepted the
materials used the portal in English, and the password-reset link named whatever host the
request came in on.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from directory.constants import Role
from directory.models import Person
from directory.services import person_account_ensure
from directory.tests.factories import PASSWORD, UserFactory
from liaisons import notifications
from liaisons.constants import ChangeTier
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_return,
    liaison_application_submit,
)
from liaisons.services.changes import (
    change_request_approve,
    change_request_forward,
    change_request_submit,
)
from liaisons.tests.factories import ready_application

pytestmark = pytest.mark.django_db

PORTAL = "https://portal.issue10.example"
LINK = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")


def test_account_mail_is_in_chinese_whatever_the_reviewer_reads(
    world, django_capture_on_commit_callbacks
):
    # rule L-08; issue 10: the reviewer reads English, the new account holder chose nothing.
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    mail.outbox.clear()
    # The mail is sent on commit, still in the reviewer's request (and language).
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    person = Person.objects.get(pk=application.person_id)
    [message] = [m for m in mail.outbox if person.email in m.to]
    assert message.subject == "您的CQC认证人员管理平台账号"
    assert "请通过以下链接设置密码" in message.body
    assert "Choose your password" not in message.body


def test_a_recipient_who_chose_english_reads_english_the_lab_mailbox_chinese(
    world, django_capture_on_commit_callbacks
):
    # rule L-07; issue 10: grouped by language, whoever triggers the mail.
    world.lab_a_staff.language = "en"
    world.lab_a_staff.save()
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    mail.outbox.clear()
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        liaison_application_return(
            application=application, actor=world.branch_n_reviewer, reason="缺少签字"
        )
    [english] = [m for m in mail.outbox if world.lab_a_staff.email in m.to]
    [chinese] = [m for m in mail.outbox if world.lab_a.email in m.to]
    assert english.to == [world.lab_a_staff.email]
    assert english.subject == "A liaison application was returned for correction"
    assert chinese.subject == "一份认证联络员聘用申请已退回修改"
    assert world.lab_a_staff.email not in chinese.to


def test_a_person_with_an_account_reads_their_language(world, django_capture_on_commit_callbacks):
    # rule P-03; issue 10: the person learns the decision in the language of their account.
    user, _ = person_account_ensure(person=world.person_a, actor=None)
    user.language = "en"
    user.save()
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        request = change_request_submit(
            person=world.person_a,
            actor=user,
            tier=ChangeTier.IMPORTANT,
            changes={"name": "甲改"},
            justification="户口本姓名已更正",
        )
        change_request_forward(request=request, actor=world.branch_n_reviewer)
        change_request_approve(request=request, actor=world.training_admin)
    approved = [m for m in mail.outbox if world.person_a.email in m.to]
    assert [m.subject for m in approved] == ["A personal-data change request was approved"]
    [to_branch] = [m for m in mail.outbox if world.branch_n_reviewer.email in m.to]
    assert to_branch.subject == "有一份个人信息变更申请待您审核"


def test_switching_language_is_remembered_for_the_mails(client, world):
    # issue 10: the language a user picks is where their e-mails are written in.
    client.force_login(world.lab_a_staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    world.lab_a_staff.refresh_from_db()
    assert world.lab_a_staff.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    world.lab_a_staff.refresh_from_db()
    assert world.lab_a_staff.language == "en"
    client.post(reverse("set_language"), {"language": "zh-Hans", "next": "/"})
    world.lab_a_staff.refresh_from_db()
    assert world.lab_a_staff.language == "zh-hans"


def test_a_language_chosen_on_the_sign_in_page_is_remembered(client, world):
    # issue 10
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(
        reverse("login"), {"username": world.lab_a_staff.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    world.lab_a_staff.refresh_from_db()
    assert world.lab_a_staff.language == "en"


def test_password_reset_mail_in_the_account_language(client, world):
    # issue 10
    user = UserFactory(username="reader", role=Role.TRAINING_ADMIN, language="en")
    with translation.override("zh-hans"):
        client.post(reverse("password_reset"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="zh")
    [message] = mail.outbox
    assert "Someone asked to reset the password" in message.body


def _links(messages) -> list[str]:
    return [link for m in messages for link in LINK.findall(m.subject + "\n" + m.body)]


def test_every_link_in_every_mail_is_on_the_portal_address(
    client, world, settings, django_capture_on_commit_callbacks
):
    # issue 10: never the host a request came in on (anyone can set it), always the portal's.
    settings.PORTAL_BASE_URL = PORTAL
    settings.ALLOWED_HOSTS = ["*"]
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # The account e-mail (L-08) and the application notices.
        liaison_application_submit(application=application, actor=world.lab_a_staff)
        liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    application.refresh_from_db()
    for event in notifications.SUBJECTS:
        notifications.send_application_notice(application, event)
    # The coverage gap notice (L-06).
    notifications.send_coverage_gap_notice(world.lab_a, ["CCC", "ROHS"])
    # The change request notices (P-03).
    user = Person.objects.get(pk=application.person_id).user
    with django_capture_on_commit_callbacks(execute=True):
        request = change_request_submit(
            person=world.person_a,
            actor=world.lab_a_staff,
            tier=ChangeTier.IMPORTANT,
            changes={"name": "甲改"},
            justification="户口本姓名已更正",
        )
        change_request_forward(request=request, actor=world.branch_n_reviewer)
        change_request_approve(request=request, actor=world.training_admin)
    # Django's password reset, asked for through a host that is not the portal's.
    user.set_password(PASSWORD)
    user.save()
    client.post(reverse("password_reset"), {"email": user.email}, HTTP_HOST="attacker.example.net")
    subjects = {m.subject for m in mail.outbox}
    assert "设置CQC认证人员管理平台新密码" in subjects
    assert "您的CQC认证人员管理平台账号" in subjects
    assert any("覆盖缺口" in s for s in subjects)
    links = _links(mail.outbox)
    assert len(links) >= len(mail.outbox)
    assert all(link.startswith(PORTAL + "/") for link in links), links
