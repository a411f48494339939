"""Names and dates that cannot be right are refused everywhere, with a message (issue 9)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from directory import services as directory_services
from directory.idnumbers import validate_id_number
from directory.models import Person
from directory.tests.factories import PersonFactory
from liaisons.forms import AssessmentEntryForm
from liaisons.forms_training import TrainingSessionForm
from liaisons.models import LiaisonApplication, TrainingSession
from liaisons.services.preparation import assessment_entry_update, liaison_application_update
from liaisons.services.training import training_session_create
from liaisons.tests.factories import ready_application

pytestmark = pytest.mark.django_db

NUMBER = "11010519850307006X"
INVISIBLE_NAMES = ["\u200b", "\u200b\u200c\u200d", "\u202e", "\u202e\u202d\u2066", " \u200b "]
TODAY = timezone.localdate()
IMPLAUSIBLE_PAST_DATES = [datetime.date(1949, 12, 31), TODAY + datetime.timedelta(days=1)]


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


# --- Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_a_name_of_invisible_characters_only_is_refused_by_the_service(world, name):
    with pytest.raises(ValidationError) as refused:
        directory_services.person_create(id_number=NUMBER, name=name, actor=None, lab=world.lab_a)
    assert "name" in refused.value.message_dict
    assert not Person.objects.filter(id_number=NUMBER).exists()


def test_a_name_with_a_direction_override_inside_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        directory_services.person_create(
            id_number=NUMBER, name="张\u202e伟", actor=None, lab=world.lab_a
        )
    assert refused.value.error_dict["name"][0].code == "name_invisible_characters"


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_a_name_of_invisible_characters_is_refused_by_the_api(world, name):
    person = PersonFactory.build(lab=world.lab_a)
    before = LiaisonApplication.objects.count()
    answer = _api(world.lab_a_staff).post(
        "/api/liaisons/applications/",
        {"id_number": person.id_number, "name": name, "fields": ["CCC"]},
        format="json",
    )
    assert answer.status_code == 400
    assert "name" in answer.json()
    assert LiaisonApplication.objects.count() == before
    assert not Person.objects.filter(id_number=person.id_number).exists()


def test_a_name_of_invisible_characters_is_refused_by_the_form(client, world):
    client.force_login(world.lab_a_staff)
    person = PersonFactory.build(lab=world.lab_a)
    from django.urls import reverse

    page = client.post(
        reverse("liaisons:application_new"),
        {"id_number": person.id_number, "name": "\u200b\u202e", "fields": ["CCC"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 400  # the form again, with the field's message
    assert "A name needs at least one visible character." in page.content.decode()
    assert not Person.objects.filter(id_number=person.id_number).exists()


def test_an_ordinary_name_passes(world):
    for name in ["张伟", "欧阳娜娜", "Anne-Marie O'Neil", "阿依古丽·买买提"]:
        person = directory_services.person_create(
            id_number=PersonFactory.build().id_number, name=name, actor=None, lab=world.lab_a
        )
        assert person.name == name


# --- Dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", IMPLAUSIBLE_PAST_DATES)
def test_work_started_before_1950_or_in_the_future_is_refused_by_the_service(world, date):
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    with pytest.raises(ValidationError) as refused:
        liaison_application_update(
            application=application, actor=world.lab_a_staff, work_started_on=date
        )
    assert "work_started_on" in refused.value.message_dict
    application.refresh_from_db()
    assert application.work_started_on != date


@pytest.mark.parametrize("date", IMPLAUSIBLE_PAST_DATES)
def test_work_started_before_1950_or_in_the_future_is_refused_by_the_api(world, date):
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    answer = _api(world.lab_a_staff).patch(
        f"/api/liaisons/applications/{application.pk}/",
        {"work_started_on": date.isoformat()},
        format="json",
    )
    assert answer.status_code == 400
    assert "work_started_on" in answer.json()
    application.refresh_from_db()
    assert application.work_started_on != date


@pytest.mark.parametrize("date", IMPLAUSIBLE_PAST_DATES)
def test_a_training_date_before_1950_or_in_the_future_is_refused(world, date):
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    entry = application.assessment_entries.first()
    with pytest.raises(ValidationError) as refused:
        assessment_entry_update(
            entry=entry, actor=world.lab_a_staff, evaluation="合格", signatory="王", trained_on=date
        )
    assert "trained_on" in refused.value.message_dict
    entry.refresh_from_db()
    assert entry.trained_on != date
    answer = _api(world.lab_a_staff).patch(
        f"/api/liaisons/assessment-entries/{entry.pk}/",
        {"evaluation": "合格", "signatory": "王", "trained_on": date.isoformat()},
        format="json",
    )
    assert answer.status_code == 400
    assert "trained_on" in answer.json()
    form = AssessmentEntryForm(data={"trained_on": date.isoformat()})
    assert not form.is_valid() and "trained_on" in form.errors


def test_the_year_1900_is_named_as_the_problem(world):
    form = AssessmentEntryForm(data={"trained_on": "1900-03-02"})
    with timezone.override("Asia/Shanghai"):
        assert not form.is_valid()
    from django.utils import translation

    with translation.override("en"):
        assert "before 1950" in str(AssessmentEntryForm(data={"trained_on": "1900-03-02"}).errors)


@pytest.mark.parametrize(
    "starts_on", [datetime.date(1900, 1, 1), TODAY + datetime.timedelta(days=3 * 365)]
)
def test_a_training_session_in_1900_or_years_ahead_is_refused(world, starts_on):
    with pytest.raises(ValidationError) as refused:
        training_session_create(
            actor=world.training_admin,
            title="入门培训",
            mode="remote",
            starts_on=starts_on,
            ends_on=starts_on,
        )
    assert "starts_on" in refused.value.message_dict
    assert not TrainingSession.objects.exists()
    form = TrainingSessionForm(
        data={"title": "入门培训", "mode": "remote", "starts_on": starts_on, "ends_on": starts_on}
    )
    assert not form.is_valid() and "starts_on" in form.errors


def test_a_session_planned_next_month_is_fine(world):
    starts_on = TODAY + datetime.timedelta(days=30)
    session = training_session_create(
        actor=world.training_admin,
        title="入门培训",
        mode="remote",
        starts_on=starts_on,
        ends_on=starts_on,
    )
    assert session.pk


# --- Full-width digits in an ID number --------------------------------------------------------


def test_full_width_digits_in_an_id_number_are_normalised():
    assert validate_id_number("１１０１０５１９８５０３０７００６Ｘ") == NUMBER
    assert validate_id_number("１１０１０５１９８５０３０７００６ｘ") == NUMBER


def test_other_scripts_digits_are_named_as_the_problem_not_the_check_digit():
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in NUMBER[:17]) + "X"
    with pytest.raises(ValidationError) as refused:
        validate_id_number(arabic_indic)
    assert refused.value.code == "id_number_format"


def test_an_application_for_a_full_width_id_number_stores_the_canonical_one(world):
    application = ready_application(
        lab=world.lab_a, actor=world.lab_a_staff, id_number="１１０１０５１９８５０３０７００６Ｘ"
    )
    assert application.person.id_number == NUMBER
