"""Directory services: people, employment numbers, accounts and their scope."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from directory import services
from directory.constants import Role
from directory.models import EmploymentNumberCounter, Person, User
from directory.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_first_hire_assigns_an_employment_number(world):  # rule P-02
    number = services.person_assign_employment_number(person=world.person_a, actor=None)
    world.person_a.refresh_from_db()
    assert world.person_a.employment_number == number
    assert len(number) == 8 and number.isdigit()


def test_employment_number_is_kept_at_later_hires(world):  # rule P-02
    first = services.person_assign_employment_number(person=world.person_a, actor=None)
    again = services.person_assign_employment_number(person=world.person_a, actor=None)
    assert again == first
    assert EmploymentNumberCounter.objects.get().last_value == 1


def test_employment_numbers_are_never_reused(world):  # rule P-02
    a = services.person_assign_employment_number(person=world.person_a, actor=None)
    b = services.person_assign_employment_number(person=world.person_b, actor=None)
    assert a != b
    assert int(b) == int(a) + 1


def test_employment_numbers_are_unique_in_the_database(world):  # rule P-02
    services.person_assign_employment_number(person=world.person_a, actor=None)
    world.person_a.refresh_from_db()
    with pytest.raises(IntegrityError):
        Person.objects.filter(pk=world.person_b.pk).update(
            employment_number=world.person_a.employment_number
        )


def test_person_edits_self_maintained_data_at_once_with_history(world):  # rule P-03
    person = world.person_a
    services.person_update_self_maintained(
        person=person, actor=world.lab_a_staff, phone="13900000000", address="北京市朝阳区"
    )
    person.refresh_from_db()
    assert person.phone == "13900000000"
    latest = person.history.first()
    assert latest.phone == "13900000000"
    assert latest.history_user == world.lab_a_staff


@pytest.mark.parametrize("field", ["name", "political_status", "education", "major", "lab"])
def test_person_cannot_change_important_or_qualification_data_alone(world, field):  # rule P-03
    with pytest.raises(ValidationError) as caught:
        services.person_update_self_maintained(person=world.person_a, actor=None, **{field: "x"})
    assert "P-03" in caught.value.messages[0]
    world.person_a.refresh_from_db()
    assert getattr(world.person_a, field) != "x"


def test_invalid_email_is_refused_and_nothing_stored(world):  # rule P-03
    before = world.person_a.history.count()
    with pytest.raises(ValidationError):
        services.person_update_self_maintained(person=world.person_a, actor=None, email="nope")
    world.person_a.refresh_from_db()
    assert world.person_a.email != "nope"
    assert world.person_a.history.count() == before


@pytest.mark.parametrize(
    ("role", "orgs_factory"),
    [
        (Role.LAB_STAFF, lambda w: services.Organisations()),
        (Role.BRANCH_REVIEWER, lambda w: services.Organisations(lab=w.lab_a)),
        (Role.TRAINING_ADMIN, lambda w: services.Organisations(branch=w.branch_n)),
        (Role.QUALITY_DIRECTOR, lambda w: services.Organisations(lab=w.lab_a)),
    ],
)
def test_a_role_is_bound_to_exactly_its_organisation(world, role, orgs_factory):
    with pytest.raises(ValidationError):
        services.user_create_staff(username="x", role=role, actor=None, orgs=orgs_factory(world))
    assert not User.objects.filter(username="x").exists()


def test_the_database_refuses_a_user_bound_to_the_wrong_organisation(world):
    with pytest.raises(IntegrityError):
        User.objects.create(username="bad", role=Role.LAB_STAFF, branch=world.branch_n)


def test_first_account_is_the_id_number_with_a_set_password_link(  # rule L-08
    world, django_capture_on_commit_callbacks
):
    person = world.person_a
    with django_capture_on_commit_callbacks(execute=True):
        user, created = services.person_account_ensure(person=person, actor=world.branch_n_reviewer)
    assert created
    assert user.username == person.id_number
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "/accounts/reset/" in message.body
    assert person.id_number not in message.body  # rule P-04
    assert person.id_number not in message.subject


def test_existing_account_is_kept(world, django_capture_on_commit_callbacks):  # rule L-08
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.person_account_ensure(person=world.person_a, actor=None)
        again, created = services.person_account_ensure(person=world.person_a, actor=None)
    assert again == first and not created
    assert len(mail.outbox) == 1


def test_evaluator_gets_labs_by_object_permission(world):
    from directory.selectors import lab_list

    assert not lab_list(user=world.evaluator).exists()
    services.evaluator_grant_lab(evaluator=world.evaluator, lab=world.lab_a, actor=None)
    assert list(lab_list(user=world.evaluator)) == [world.lab_a]
    services.evaluator_revoke_lab(evaluator=world.evaluator, lab=world.lab_a, actor=None)
    assert not lab_list(user=world.evaluator).exists()


def test_people_factory_makes_valid_people():
    person = PersonFactory()
    person.full_clean()


def test_the_set_password_mail_is_a_mail_queue_task_on_commit_and_sent_once(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    # rule L-08, issue 11: the mail was sent inside the web request, and a second run of its
    # job sent it again.
    from directory import tasks

    queued = []
    monkeypatch.setattr(tasks.send_account_created_email, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user, created = services.person_account_ensure(person=world.person_a, actor=None)
    assert created and not mail.outbox and not queued  # nothing before the commit
    for callback in callbacks:
        callback()
    assert queued == [user.pk] and not mail.outbox  # queued, not sent by the request
    assert tasks.send_account_created_email.run(user.pk) == 1
    assert tasks.send_account_created_email.run(user.pk) == 0
    assert len(mail.outbox) == 1
    user.refresh_from_db()
    assert user.account_mail_sent_at is not None


def test_a_set_password_mail_that_failed_is_sent_by_the_retry(world, monkeypatch):
    # rule L-08, issue 11
    from directory import tasks

    monkeypatch.setattr(tasks.send_account_created_email, "delay", lambda pk: None)
    user, _ = services.person_account_ensure(person=world.person_a, actor=None)
    real = services.send_in_their_language

    def down(**kwargs):
        raise ConnectionError("mail server gone")

    monkeypatch.setattr(services, "send_in_their_language", down)
    with pytest.raises(ConnectionError):
        tasks.send_account_created_email.run(user.pk)
    monkeypatch.setattr(services, "send_in_their_language", real)
    assert tasks.send_account_created_email.run(user.pk) == 1
    assert len(mail.outbox) == 1
