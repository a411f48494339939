"""Legacy liaisons (L-13): imported from the paper roster, counted until the migration
deadline (A-05: 2011-08-30 24:00 CST), migrated by a hire through the system."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from directory.constants import PoliticalStatus
from directory.idnumbers import build_id_number, validate_id_number
from directory.models import Person
from liaisons.constants import CHINA, MaterialKind, QualificationState
from liaisons.imports import read_legacy_rows
from liaisons.models import LiaisonApplication, LiaisonQualification
from liaisons.selectors import counting_qualifications, coverage_gaps
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_submit,
)
from liaisons.services.hiring import liaison_application_hire
from liaisons.services.legacy import legacy_liaisons_import
from liaisons.services.preparation import (
    assessment_entry_update,
    liaison_application_update,
    material_upload,
)
from liaisons.tests.factories import (
    LiaisonQualificationFactory,
    TrainingEnrolmentFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

BEFORE_DEADLINE = datetime.datetime(2011, 8, 30, 23, 59, tzinfo=CHINA)
AT_DEADLINE = datetime.datetime(2011, 8, 31, 0, 0, tzinfo=CHINA)

NEW_NUMBER = build_id_number("110105", datetime.date(1975, 5, 5), 12)
OTHER_NUMBER = build_id_number("110105", datetime.date(1980, 2, 3), 45)
BAD_NUMBER = NEW_NUMBER[:-1] + ("0" if NEW_NUMBER[-1] != "0" else "1")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _csv(*lines: str) -> SimpleUploadedFile:
    text = "\n".join(["身份证号,姓名,实验室,认证领域,聘用日期", *lines]) + "\n"
    return SimpleUploadedFile("legacy.csv", text.encode("utf-8"), content_type="text/csv")


def _row(number=NEW_NUMBER, name="老王", lab="实验室A", fields="CCC、RoHS", hired_on="2008-03-01"):
    return {"id_number": number, "name": name, "lab": lab, "fields": fields, "hired_on": hired_on}


# --- deadline ------------------------------------------------------------------------------


def test_legacy_liaison_counts_until_the_deadline_and_not_after(world):
    # rule L-13, rule A-05: 2011-08-30 24:00 China Standard Time.
    legacy = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, legacy=True)
    assert legacy in counting_qualifications(now=BEFORE_DEADLINE)
    assert legacy not in counting_qualifications(now=AT_DEADLINE)
    # One minute earlier in UTC terms is the same instant as 23:59 CST.
    assert legacy in counting_qualifications(now=AT_DEADLINE - datetime.timedelta(seconds=1))


def _complete_and_hire(application, world):
    """The lab completes the migration application; branch and training centre hire."""
    staff = world.lab_a_staff
    liaison_application_update(
        application=application,
        actor=staff,
        person_data={
            "political_status": PoliticalStatus.MASSES,
            "phone": "13800000000",
            "email": "old.liaison@example.cn",
            "work_unit": world.lab_a.name,
            "address": "北京市朝阳区",
        },
        declaration_accepted=True,
        work_started_on=datetime.date(2005, 7, 1),
        work_history="2005-至今 联络员",
        recommendation="同意",
        lab_signatory="王主任",
    )
    for entry in application.assessment_entries.all():
        assessment_entry_update(entry=entry, actor=staff, evaluation="合格", signatory="王主任")
    for kind in MaterialKind.values:
        material_upload(application=application, kind=kind, upload=pdf_upload(), actor=staff)
    liaison_application_submit(application=application, actor=staff)
    liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    liaison_application_pass(application=application, actor=world.branch_n_reviewer)
    TrainingEnrolmentFactory(person=application.person, passed=True)
    return liaison_application_hire(application=application, actor=world.training_admin)


def test_migrated_legacy_liaison_is_replaced_by_the_new_qualification(client, world):
    # rule L-13: the lab starts the migration from the legacy list; the hire replaces it.
    legacy = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, legacy=True, fields=["CCC"]
    )
    client.force_login(world.lab_a_staff)
    page = client.get(reverse("liaisons:legacy_list"), **EN).content.decode()
    assert "needs migration" in page and "Start migration application" in page
    response = client.post(reverse("liaisons:legacy_migrate", args=[legacy.pk]))
    application = LiaisonApplication.objects.get()
    assert response.status_code == 302
    assert str(application.pk) in response["Location"]
    assert application.is_migration and application.legacy_qualification == legacy
    assert list(application.fields.values_list("code", flat=True)) == ["CCC"]

    new = _complete_and_hire(application, world)
    legacy.refresh_from_db()
    assert legacy.migrated_at is not None and not legacy.needs_migration
    for now in (BEFORE_DEADLINE, AT_DEADLINE):
        counting = set(counting_qualifications(now=now).filter(person=world.person_a))
        assert counting == {new}, now
    page = client.get(reverse("liaisons:legacy_list"), **EN).content.decode()
    assert "Start migration application" not in page and "migrated" in page


def test_migration_is_started_by_the_lab_of_the_liaison_only(client, world):
    # rule L-13
    legacy = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, legacy=True)
    client.force_login(world.lab_b_staff)
    assert client.post(reverse("liaisons:legacy_migrate", args=[legacy.pk])).status_code == 404
    client.force_login(world.branch_n_reviewer)
    page = client.get(reverse("liaisons:legacy_list"), **EN).content.decode()
    assert world.person_a.name in page and "Start migration application" not in page
    assert client.post(reverse("liaisons:legacy_migrate", args=[legacy.pk])).status_code == 403
    assert not LiaisonApplication.objects.exists()
    client.force_login(world.evaluator)
    assert client.get(reverse("liaisons:legacy_list")).status_code == 403


# --- import service ------------------------------------------------------------------------


def test_import_preview_writes_nothing(world):
    # rule L-13
    people = Person.objects.count()
    report = legacy_liaisons_import(rows=[_row()], actor=world.training_admin, dry_run=True)
    assert report.ok and report.rows[0].fields == ["CCC", "ROHS"]
    assert Person.objects.count() == people
    assert not LiaisonQualification.objects.exists()


def test_import_writes_people_and_legacy_qualifications(world):
    # rule L-13, rule P-01, rule P-02, rule L-06
    rows = [_row(), _row(number=world.person_a.id_number, name="甲", fields="CCC")]
    report = legacy_liaisons_import(rows=rows, actor=world.training_admin, dry_run=False)
    assert report.imported == 2
    new_person = Person.objects.get(id_number=NEW_NUMBER)
    assert new_person.name == "老王" and new_person.lab == world.lab_a
    assert new_person.employment_number is None  # drawn at the migration hire (P-02)
    qualifications = LiaisonQualification.objects.filter(lab=world.lab_a)
    assert qualifications.count() == 2
    for qualification in qualifications:
        assert qualification.is_legacy and qualification.needs_migration
        assert qualification.state == QualificationState.ACTIVE
        assert qualification.hired_on == datetime.date(2008, 3, 1)
        assert qualification.application is None
        assert qualification.history.first().history_user == world.training_admin
    assert set(qualifications.get(person=new_person).fields.values_list("code", flat=True)) == {
        "CCC",
        "ROHS",
    }
    # The person on record was reused, not duplicated (P-01).
    assert Person.objects.filter(id_number=world.person_a.id_number).count() == 1


def test_every_bad_row_is_reported_with_its_row_number(world):
    # rule L-13, rule P-01
    LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b)
    with translation.override("en"):
        try:
            validate_id_number(BAD_NUMBER)
        except ValidationError as error:
            checksum_message = error.messages[0]
        rows = [
            {**_row(), "row": 2},
            {**_row(number=BAD_NUMBER, name="坏号"), "row": 3},
            {**_row(number=OTHER_NUMBER, name="某人", lab="没有的实验室"), "row": 4},
            {**_row(number=OTHER_NUMBER, name="某人", fields="CCC、魔法"), "row": 5},
            {
                **_row(
                    number=build_id_number("110105", datetime.date(1981, 1, 1), 7),
                    name="范围外",
                    fields="GAP",
                ),
                "row": 6,
            },
            {
                **_row(
                    number=world.person_b.id_number, name="乙", lab=world.lab_b.uscc, fields="CCC"
                ),
                "row": 7,
            },
            {
                **_row(
                    number=build_id_number("110105", datetime.date(1982, 1, 1), 9),
                    name="新人",
                    hired_on="2012-01-01",
                ),
                "row": 8,
            },
        ]
        report = legacy_liaisons_import(rows=rows, actor=world.training_admin, dry_run=True)
    errors = {row.row: " ".join(row.errors) for row in report.rows}
    assert errors[2] == ""
    assert checksum_message in errors[3]
    assert "Unknown testing lab" in errors[4]
    assert "Unknown certification field “魔法”" in errors[5]
    assert "not in the CQC business scope of 实验室A" in errors[6]
    assert "already a current liaison" in errors[7]
    assert "L-13" in errors[8]
    assert [row.row for row in report.error_rows] == [3, 4, 5, 6, 7, 8]
    # A real run with any bad row writes nothing at all.
    with pytest.raises(ValidationError) as caught:
        legacy_liaisons_import(rows=rows, actor=world.training_admin, dry_run=False)
    assert caught.value.code == "legacy_import_has_errors"
    assert not Person.objects.filter(id_number=NEW_NUMBER).exists()
    assert LiaisonQualification.objects.count() == 1


def test_the_same_person_twice_in_a_file_is_reported(world):
    # rule L-13, rule P-01
    rows = [{**_row(), "row": 2}, {**_row(), "row": 3}]
    with translation.override("en"):
        report = legacy_liaisons_import(rows=rows, actor=world.training_admin, dry_run=True)
    assert report.rows[0].ok
    assert "already on row 2" in report.rows[1].errors[0]


def test_only_the_training_centre_imports(world):
    # rule L-13
    for actor in (world.lab_a_staff, world.branch_n_reviewer):
        with pytest.raises(PermissionDenied):
            legacy_liaisons_import(rows=[_row()], actor=actor, dry_run=True)


def test_imported_legacy_liaisons_cover_their_labs_fields_before_the_deadline(world):
    # rule L-13, rule L-06
    legacy_liaisons_import(rows=[_row()], actor=world.training_admin, dry_run=False)
    qualification = LiaisonQualification.objects.get()
    assert qualification in counting_qualifications(now=BEFORE_DEADLINE)
    assert qualification not in counting_qualifications(now=AT_DEADLINE)
    # Today (after the deadline) they no longer cover the lab's scope.
    assert [f.code for f in coverage_gaps(lab=world.lab_a)] == ["CCC", "ROHS"]


# --- reading files -------------------------------------------------------------------------


def test_csv_rows_keep_their_row_numbers_and_field_names(world):
    # rule L-13
    rows = read_legacy_rows(
        _csv(
            f'{NEW_NUMBER},老王,实验室A,"CCC,RoHS",2008/3/1',
            ",,,,",
            f"{OTHER_NUMBER},某人,{world.lab_b.uscc},CB,2009年1月2日",
        )
    )
    assert [row["row"] for row in rows] == [2, 4]
    report = legacy_liaisons_import(rows=rows, actor=world.training_admin, dry_run=True)
    assert report.ok
    assert report.rows[0].fields == ["CCC", "ROHS"]
    assert report.rows[1].lab_name == world.lab_b.name
    assert report.rows[1].hired_on == datetime.date(2009, 1, 2)


def test_a_file_without_the_columns_is_refused():
    # rule L-13
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")
    with pytest.raises(ValidationError) as caught:
        read_legacy_rows(upload)
    assert caught.value.code == "import_columns"


def test_a_column_given_twice_is_refused_and_a_huge_cell_is_a_row_error(world):
    # rule L-13: the roster is read within the shared reader's bounds
    twice = SimpleUploadedFile(
        "x.csv", "身份证号,姓名,姓名,实验室,认证领域,聘用日期\n".encode(), content_type="text/csv"
    )
    with pytest.raises(ValidationError) as caught:
        read_legacy_rows(twice)
    assert caught.value.code == "import_columns"
    rows = read_legacy_rows(_csv(f"{NEW_NUMBER},{'王' * 100_000},实验室A,CCC,2008-03-01"))
    assert len(rows[0]["name"]) <= 401  # cut just past the limit, so the check can say so
    report = legacy_liaisons_import(rows=rows, actor=world.training_admin, dry_run=True)
    assert not report.ok


def test_xlsx_is_read_like_csv(world):
    # rule L-13
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID number", "Name", "Lab", "Fields", "Hired on"])
    sheet.append([NEW_NUMBER, "老王", world.lab_a.uscc, "CCC、RoHS", datetime.date(2008, 3, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_legacy_rows(SimpleUploadedFile("roster.xlsx", buffer.getvalue()))
    assert rows == [
        {
            "row": 2,
            "id_number": NEW_NUMBER,
            "name": "老王",
            "lab": world.lab_a.uscc,
            "fields": "CCC、RoHS",
            "hired_on": "2008-03-01",
        }
    ]


# --- screens -------------------------------------------------------------------------------


def test_import_screens_preview_then_confirm(client, world):
    # rule L-13
    client.force_login(world.training_admin)
    url = reverse("liaisons:legacy_import")
    response = client.post(
        url, {"file": _csv(f"{NEW_NUMBER},老王,实验室A,CCC、RoHS,2008-03-01")}, **EN
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Import these legacy liaisons" in html
    assert NEW_NUMBER not in html  # masked in the list (P-04)
    assert not LiaisonQualification.objects.exists()
    response = client.post(reverse("liaisons:legacy_import_confirm"))
    assert response.status_code == 302
    assert LiaisonQualification.objects.get().person.id_number == NEW_NUMBER
    # The rows were used once: a second confirmation imports nothing more.
    client.post(reverse("liaisons:legacy_import_confirm"))
    assert LiaisonQualification.objects.count() == 1


def test_import_screen_lists_bad_rows_and_offers_no_confirmation(client, world):
    # rule L-13
    client.force_login(world.training_admin)
    response = client.post(
        reverse("liaisons:legacy_import"),
        {
            "file": _csv(
                f"{NEW_NUMBER},老王,实验室A,CCC,2008-03-01",
                f"{BAD_NUMBER},坏号,实验室A,CCC,2008-03-01",
            )
        },
        **EN,
    )
    html = response.content.decode()
    assert 'data-row="3"' in html and "check digit" in html
    assert "Import these legacy liaisons" not in html
    assert client.post(reverse("liaisons:legacy_import_confirm")).status_code == 302
    assert not LiaisonQualification.objects.exists()


def test_import_screens_are_the_training_centres(client, world):
    # rule L-13
    for user in (world.lab_a_staff, world.branch_n_reviewer):
        client.force_login(user)
        assert client.get(reverse("liaisons:legacy_import")).status_code == 403
        assert client.post(reverse("liaisons:legacy_import_confirm")).status_code == 403
    client.force_login(world.lab_a_staff)
    response = client.post(
        reverse("liaisons:legacy_import"),
        {"file": _csv(f"{NEW_NUMBER},老王,实验室A,CCC,2008-03-01")},
    )
    assert response.status_code == 403
    assert not Person.objects.filter(id_number=NEW_NUMBER).exists()


def test_legacy_list_is_scoped(client, world):
    # rule L-13
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, legacy=True)
    LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b, legacy=True)
    client.force_login(world.lab_a_staff)
    html = client.get(reverse("liaisons:legacy_list")).content.decode()
    assert world.person_a.name in html and world.person_b.name not in html
    assert world.person_a.id_number not in html
    client.force_login(world.training_admin)
    html = client.get(reverse("liaisons:legacy_list")).content.decode()
    assert world.person_a.name in html and world.person_b.name in html
    # Migration is the lab's to start, not the training centre's.
    assert "/migrate/" not in html
