"""The notice of an enforcement run to each affected lab (A-04): once per lab, to the labs
whose accounts were taken only, in each recipient's language, never with an ID number."""

import pytest
from django.core import mail

from access_audit.evidence import notices
from access_audit.evidence.notices import enforcement_notice_send, notices_due
from access_audit.models import EnforcementNoticeSent
from access_audit.tasks.evidence import send_enforcement_notices
from access_audit.tests.evidence_helpers import enforced_run
from directory.constants import Role
from directory.tests.factories import TestingLabFactory, UserFactory

pytestmark = pytest.mark.django_db


def addresses(messages) -> set[str]:
    return {address for message in messages for address in message.to}


def test_a_04_each_affected_lab_is_told_once_and_no_other_lab(world, mailoutbox):
    enforced = enforced_run(world)
    bystander = TestingLabFactory(name="实验室C", branch=world.branch_n, email="c@lab.example.cn")
    UserFactory(role=Role.LAB_STAFF, lab=bystander, email="c-staff@lab.example.cn")
    assert send_enforcement_notices(enforced.run.pk) == 2
    sent = addresses(mailoutbox)
    assert {world.lab_a_staff.email, world.lab_b_staff.email} <= sent
    assert not {"c@lab.example.cn", "c-staff@lab.example.cn"} & sent
    assert set(EnforcementNoticeSent.objects.values_list("lab_id", "accounts")) == {
        (world.lab_a.pk, 2),
        (world.lab_b.pk, 2),
    }
    # Each message goes to one lab and lists that lab's accounts only.
    for message in mailoutbox:
        lab_a = world.lab_a_staff.email in message.to or world.lab_a.email in message.to
        own, other = (enforced.lab_a, enforced.lab_b) if lab_a else (enforced.lab_b, enforced.lab_a)
        assert all(r.username in message.body for r in own)
        assert not any(r.username in message.body for r in other)
        assert enforced.kept.username not in message.body
        # P-04: never an ID number in an e-mail.
        assert not any(r.id_number in message.body for r in own)

    mail.outbox.clear()
    assert send_enforcement_notices(enforced.run.pk) == 0
    assert enforcement_notice_send(run_id=enforced.run.pk, lab_id=world.lab_a.pk) == 0
    assert mail.outbox == []
    assert EnforcementNoticeSent.objects.count() == 2


def test_the_notice_is_in_each_recipients_language(world, mailoutbox):
    enforced = enforced_run(world)
    world.lab_a_staff.language = "en"
    world.lab_a_staff.save(update_fields=["language"])
    enforcement_notice_send(run_id=enforced.run.pk, lab_id=world.lab_a.pk)
    by_address = {address: m for m in mailoutbox for address in m.to}
    english = by_address[world.lab_a_staff.email]
    assert "the portal has withdrawn the login rights" in english.body
    assert "withdrawn" in english.subject
    chinese = by_address[world.lab_a.email]
    assert "登录权限" in chinese.body and "A-02" in chinese.body


def test_a_failed_send_is_sent_by_the_retry(world, monkeypatch, mailoutbox):
    enforced = enforced_run(world)

    def down(**kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(notices, "send_in_their_language", down)
    with pytest.raises(ConnectionError):
        enforcement_notice_send(run_id=enforced.run.pk, lab_id=world.lab_a.pk)
    assert not EnforcementNoticeSent.objects.exists()
    monkeypatch.undo()
    assert enforcement_notice_send(run_id=enforced.run.pk, lab_id=world.lab_a.pk) > 0
    assert EnforcementNoticeSent.objects.get().recipients > 0


def test_a_lab_without_staff_is_told_through_its_branch_centre(world, mailoutbox):
    enforced = enforced_run(world)
    world.lab_b_staff.is_active = False
    world.lab_b_staff.save(update_fields=["is_active"])
    enforcement_notice_send(run_id=enforced.run.pk, lab_id=world.lab_b.pk)
    sent = addresses(mailoutbox)
    assert world.branch_s_reviewer.email in sent and world.lab_b_staff.email not in sent


def test_the_notice_lists_a_bounded_number_of_accounts(world, monkeypatch, mailoutbox):
    monkeypatch.setattr(notices, "NOTICE_MAX_ACCOUNTS", 1)
    enforced = enforced_run(world, per_lab=3)
    enforcement_notice_send(run_id=enforced.run.pk, lab_id=world.lab_a.pk)
    body = mailoutbox[0].body
    assert sum(r.username in body for r in enforced.lab_a) == 1
    assert "2" in body.split(enforced.lab_a[0].username)[-1]


def test_a_dry_run_tells_nobody(world, mailoutbox):
    enforced = enforced_run(world)
    type(enforced.run).objects.filter(pk=enforced.run.pk).update(dry_run=True)
    assert notices_due(run_id=enforced.run.pk) == []
    assert enforcement_notice_send(run_id=enforced.run.pk, lab_id=world.lab_a.pk) == 0
    assert mailoutbox == []
