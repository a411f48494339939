"""A lab applying for a person the portal already knows (issue 9, item 1; P-01, P-03, P-04).

A lab may start an application for anyone, a transfer or someone holding another CQC
qualification, but it never changes that person's record, sees no more of them than its
recommendation form, and cannot tell from the answers whether an ID number is on record.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from directory.constants import PoliticalStatus
from directory.models import Person
from directory.tests.factories import PersonFactory
from liaisons.constants import ApplicationState
from liaisons.models import LiaisonApplication
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_reject,
    liaison_application_submit,
    liaison_application_withdraw,
)
from liaisons.services.hiring import liaison_applications_hire
from liaisons.services.preparation import liaison_application_start, liaison_application_update
from liaisons.tests.factories import (
    LiaisonApplicationFactory,
    LiaisonQualificationFactory,
    TrainingEnrolmentFactory,
    ready_application,
)

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/liaisons/applications/"

#: What lab B types about the applicant: none of it is what the record holds.
TYPED = {
    "political_status": PoliticalStatus.MASSES,
    "education": "bachelor",
    "major": "伪造专业",
    "phone": "13900000000",
    "email": "attacker@lab-b.example",
    "work_unit": "实验室B",
    "address": "上海市某区",
}

RECORD_FIELDS = ("name", "phone", "email", "address", "work_unit", "major", "education", "lab_id")


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def _payload(id_number: str, name: str = "冒名") -> dict:
    return {
        "id_number": id_number,
        "name": name,
        "fields": ["CCC"],
        "person_data": TYPED,
        "work_started_on": "2015-07-01",
        "work_history": "2015-至今 检测工程师",
        "recommendation": "同意推荐。",
        "lab_signatory": "王主任",
    }


def _record(person: Person) -> dict:
    person.refresh_from_db()
    return {field: getattr(person, field) for field in RECORD_FIELDS}


def _stranger_of_lab_a(world) -> Person:
    person = world.person_a
    Person.objects.filter(pk=person.pk).update(
        phone="13611112222", email="jia@lab-a.example", address="北京市海淀区", major="电气"
    )
    person.refresh_from_db()
    LiaisonQualificationFactory(lab=world.lab_a, person=person)
    return person


def _strangers(world) -> dict:
    """A person of another lab, of a certification body, and one with an application in
    progress at another lab."""
    in_progress = PersonFactory(name="戊", lab=world.lab_a, phone="13700000000")
    LiaisonApplicationFactory(lab=world.lab_a, person=in_progress, submitted=True)
    return {
        "of another lab": _stranger_of_lab_a(world),
        "of a certification body": world.person_x,
        "with an application in progress": in_progress,
    }


@pytest.mark.parametrize(
    "who", ["of another lab", "of a certification body", "with an application in progress"]
)
def test_a_lab_starting_an_application_never_rewrites_a_strangers_record(world, who):
    # rule P-03, issue 9 item 1: the API start with a stranger's ID number.
    person = _strangers(world)[who]
    before = _record(person)
    history_before = person.history.count()

    response = _api(world.lab_b_staff).post(APPLICATIONS, _payload(person.id_number), format="json")

    assert response.status_code == 201, response.content
    assert _record(person) == before
    assert person.history.count() == history_before
    application = LiaisonApplication.objects.get(pk=response.json()["id"])
    assert application.person_id == person.pk
    assert application.applicant_name == "冒名"
    assert application.applicant_email == TYPED["email"]


@pytest.mark.parametrize(
    "who", ["of another lab", "of a certification body", "with an application in progress"]
)
def test_the_lab_sees_only_what_it_typed_of_a_stranger(world, who):
    # rule P-04, issue 9 item 1: neither the API nor the page shows the record.
    person = _strangers(world)[who]
    api = _api(world.lab_b_staff)
    created = api.post(APPLICATIONS, _payload(person.id_number), format="json").json()

    detail = api.get(f"{APPLICATIONS}{created['id']}/").json()
    shown = detail["applicant"]
    assert shown["name"] == "冒名"
    assert shown["phone"] == TYPED["phone"]
    assert shown["employment_number"] is None
    assert "id" not in shown
    serialized = str(detail)
    for secret in (person.name, person.phone, person.email, person.address):
        if secret:
            assert secret not in serialized
    assert api.get(f"/api/people/{person.pk}/").status_code == 404

    client = api  # the page, signed in as the same lab
    client.force_login(world.lab_b_staff)
    page = client.get(reverse("liaisons:application_detail", args=[created["id"]]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "冒名" in html
    for secret in (person.name, person.phone, person.email, person.address):
        if secret:
            assert secret not in html
    assert 'data-testid="record-differences"' not in html
    assert 'data-testid="other-applications"' not in html


def test_the_answer_does_not_tell_whether_an_id_number_is_on_record(world):
    # rule P-04, issue 9 item 1: a known and an unknown ID number get the same answer.
    known = _stranger_of_lab_a(world)
    unknown = PersonFactory.build()
    api = _api(world.lab_b_staff)

    answers = [
        api.post(APPLICATIONS, _payload(number), format="json")
        for number in (known.id_number, unknown.id_number)
    ]

    assert [a.status_code for a in answers] == [201, 201]
    first, second = (a.json() for a in answers)

    def shape(body):
        return {
            key: value
            for key, value in body.items()
            if key not in ("id", "created_at", "applicant", "qualification")
        } | {"applicant": {k: v for k, v in body["applicant"].items() if k != "id_number"}}

    assert shape(first) == shape(second)


def test_the_new_application_screen_leaves_a_strangers_record_alone(client, world):
    # rule P-03, issue 9 item 1: the screen, like the API.
    person = _stranger_of_lab_a(world)
    before = _record(person)
    client.force_login(world.lab_b_staff)
    response = client.post(
        reverse("liaisons:application_new"),
        {"id_number": person.id_number, "name": "冒名", "fields": ["CCC"], **TYPED},
    )
    assert response.status_code == 302
    assert _record(person) == before
    assert LiaisonApplication.objects.get(lab=world.lab_b).applicant_name == "冒名"


def test_editing_and_submitting_never_touch_a_strangers_record(world):
    # rule P-03, issue 9 item 1: the write reaches the person through the application.
    person = _stranger_of_lab_a(world)
    before = _record(person)
    application = ready_application(
        lab=world.lab_b, actor=world.lab_b_staff, id_number=person.id_number, name="冒名"
    )
    liaison_application_update(
        application=application,
        actor=world.lab_b_staff,
        person_data={"name": "又改", "phone": "13000000000", "email": "x@lab-b.example"},
    )
    liaison_application_submit(application=application, actor=world.lab_b_staff)

    assert _record(person) == before
    person.refresh_from_db()
    assert person.important_data_locked_at is None  # not locked by another lab's submission


def test_the_account_mail_goes_to_the_record_not_to_the_typed_address(
    world, django_capture_on_commit_callbacks
):
    # rule L-08, issue 9 item 1: a lab cannot take over a stranger's account by typing its
    # own e-mail address.
    person = world.person_x
    Person.objects.filter(pk=person.pk).update(email="bing@body-x.example")
    application = ready_application(
        lab=world.lab_b, actor=world.lab_b_staff, id_number=person.id_number, name="冒名"
    )
    liaison_application_update(
        application=application, actor=world.lab_b_staff, person_data={"email": TYPED["email"]}
    )
    liaison_application_submit(application=application, actor=world.lab_b_staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        liaison_application_accept(application=application, actor=world.branch_s_reviewer)

    recipients = {address for message in mail.outbox for address in message.to}
    assert TYPED["email"] not in recipients
    assert "bing@body-x.example" in recipients


def test_reviewers_see_where_the_application_differs_from_the_record(client, world):
    # rule P-03: the branch centre checks the stated data against the materials and sees the
    # other lab's application in progress; the lab sees neither.
    person = _strangers(world)["with an application in progress"]
    application = ready_application(
        lab=world.lab_b, actor=world.lab_b_staff, id_number=person.id_number, name="冒名"
    )
    liaison_application_submit(application=application, actor=world.lab_b_staff)
    url = reverse("liaisons:application_detail", args=[application.pk])

    client.force_login(world.branch_s_reviewer)
    html = client.get(url).content.decode()
    assert 'data-testid="record-differences"' in html
    assert person.name in html and "冒名" in html
    assert 'data-testid="other-applications"' in html
    assert world.lab_a.name in html

    client.force_login(world.lab_b_staff)
    html = client.get(url).content.decode()
    assert 'data-testid="record-differences"' not in html
    assert world.lab_a.name not in html


def test_a_lab_own_new_applicant_record_follows_the_application_until_submitted(world):
    # rule P-03: the lab's own new applicant is recorded as typed, tier (b) locked at the first
    # submission.
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff, name="新人")
    person = application.person
    assert person.name == "新人" and person.lab_id == world.lab_a.pk
    liaison_application_update(
        application=application, actor=world.lab_a_staff, person_data={"name": "新人甲"}
    )
    person.refresh_from_db()
    assert person.name == "新人甲"
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    person.refresh_from_db()
    assert person.important_data_locked_at is not None


def test_one_decision_does_not_hire_one_person_for_two_labs(world):
    # rule L-07, issue 9 item 1: two labs may apply for one person; one decision names both.
    person = _stranger_of_lab_a(world)
    TrainingEnrolmentFactory(person=person, passed=True)
    applications = [
        LiaisonApplicationFactory(lab=lab, person=person, passed=True, applicant_name=name)
        for lab, name in ((world.lab_a, person.name), (world.lab_b, "冒名"))
    ]
    with pytest.raises(ValidationError) as refused:
        liaison_applications_hire(applications=applications, actor=world.training_admin)
    assert "same_person_twice" in [e.code for e in refused.value.error_list]
    assert not LiaisonApplication.objects.filter(state=ApplicationState.HIRED).exists()


def test_a_second_start_for_the_same_person_at_the_same_lab_is_refused_clearly(world):
    # rule L-07: one open application per person and lab; the lab is told of its own.
    api = _api(world.lab_b_staff)
    person = PersonFactory.build()
    first = api.post(APPLICATIONS, _payload(person.id_number), format="json")
    second = api.post(APPLICATIONS, _payload(person.id_number), format="json")
    assert first.status_code == 201
    assert second.status_code == 400
    assert "already has an application in progress" in str(second.json())
    assert LiaisonApplication.objects.filter(lab=world.lab_b).count() == 1


def test_the_screen_sends_a_second_start_to_the_lab_own_application_in_progress(client, world):
    # rule L-07: the lab's own application in progress for the ID number is where it goes on.
    application = LiaisonApplicationFactory(lab=world.lab_b, person=world.person_b)
    client.force_login(world.lab_b_staff)
    response = client.post(
        reverse("liaisons:application_new"),
        {"id_number": world.person_b.id_number, "name": "乙", "fields": ["CCC"]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("liaisons:application_detail", args=[application.pk])
    assert LiaisonApplication.objects.filter(lab=world.lab_b).count() == 1


def test_the_decision_mail_does_not_show_the_lab_a_strangers_address(
    world, django_capture_on_commit_callbacks
):
    # rule P-04, issue 9 item 1: the rejection went out as one mail to the lab's staff and to
    # the person, so lab B read the stranger's e-mail address off its own copy's "To:" line.
    person = _stranger_of_lab_a(world)
    application = LiaisonApplicationFactory(
        lab=world.lab_b, person=person, passed=True, applicant_name="冒名"
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        liaison_application_reject(
            application=application, actor=world.training_admin, reason="材料与本人不符。"
        )

    lab_addresses = {world.lab_b_staff.email, world.lab_b.email} - {""}
    assert lab_addresses, "the lab must have an address for this test to mean anything"
    to_lab = [m for m in mail.outbox if lab_addresses & set(m.recipients())]
    to_person = [m for m in mail.outbox if person.email in m.recipients()]
    assert to_lab and to_person  # both still learn the decision
    for message in to_lab:
        assert person.email not in message.recipients()
        assert person.email not in str(message.message())


def test_a_lab_draft_never_decides_where_another_lab_applicants_account_mail_goes(
    world, django_capture_on_commit_callbacks
):
    # rule L-08, P-03, issue 9 item 1: lab B typed a number the portal did not know yet with
    # its own address and left the draft; lab A then applied for the real person, and the
    # branch centre's acceptance mailed the new account's set-password link to lab B.
    stranger = PersonFactory.build(lab=world.lab_a)
    liaison_application_start(
        lab=world.lab_b,
        actor=world.lab_b_staff,
        id_number=stranger.id_number,
        name="冒名",
        person_data={"email": TYPED["email"], "phone": TYPED["phone"]},
    )
    application = ready_application(
        lab=world.lab_a, actor=world.lab_a_staff, id_number=stranger.id_number, name="真名"
    )
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        liaison_application_accept(application=application, actor=world.branch_n_reviewer)

    person = Person.objects.get(id_number=stranger.id_number)
    assert person.user is not None
    assert person.user.email != TYPED["email"]
    assert TYPED["email"] not in {a for m in mail.outbox for a in m.recipients()}
    # The account goes where the application the branch centre checked says.
    assert person.user.email == application.applicant_email
    assert person.name == "真名"
    # Nor does lab B find the checked data filled in when it starts again.
    liaison_application_withdraw(
        application=LiaisonApplication.objects.get(lab=world.lab_b), actor=world.lab_b_staff
    )
    again = liaison_application_start(
        lab=world.lab_b, actor=world.lab_b_staff, id_number=stranger.id_number, name="冒名"
    )
    assert again.applicant_email == "" and again.applicant_phone == ""


def test_accepting_another_lab_application_leaves_a_legacy_liaison_with_its_lab(world):
    # rule L-13, P-03: the record is vouched by the branch, but the legacy liaison of lab A is
    # still lab A's until a hire moves them.
    person = PersonFactory(name="旧人", lab=world.lab_a)
    LiaisonQualificationFactory(lab=world.lab_a, person=person, legacy=True)
    application = ready_application(
        lab=world.lab_b, actor=world.lab_b_staff, id_number=person.id_number, name="旧人"
    )
    liaison_application_submit(application=application, actor=world.lab_b_staff)
    liaison_application_accept(application=application, actor=world.branch_s_reviewer)
    person.refresh_from_db()
    assert person.lab_id == world.lab_a.pk
    assert person.important_data_locked_at is not None
