"""The public roster of hired liaisons (L-11): searchable by anyone, never an ID number, and a
download for lab and CQC staff."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import Role
from directory.idnumbers import mask_id_number
from directory.tests.factories import PersonFactory, UserFactory
from liaisons.tests.factories import LiaisonQualificationFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def roster(world):
    """Person A is lab A's liaison (CCC, RoHS); person B lab B's (CB), suspended."""
    world.person_a.employment_number = "20000001"
    world.person_a.save()
    world.person_b.employment_number = "20000002"
    world.person_b.save()
    a = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["ROHS", "CCC"])
    b = LiaisonQualificationFactory(
        lab=world.lab_b, person=world.person_b, fields=["CB"], suspended=True
    )
    return a, b


def _no_id_numbers(content: str, *people) -> bool:
    return not any(p.id_number in content or mask_id_number(p.id_number) in content for p in people)


def _names(response) -> list[str]:
    return [row["name"] for row in response.context["entries"]]


def test_anyone_sees_name_employment_number_lab_fields_and_state_never_an_id_number(
    client, world, roster
):
    # rule L-11, rule P-04
    response = client.get(reverse("liaisons:roster"), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("甲", "20000001", "实验室A", "CCC", "RoHS", "Active", "乙", "Suspended"):
        assert text in html
    assert _no_id_numbers(html, world.person_a, world.person_b)
    # Fields in the order of the ten fields, not of entry.
    assert '<span class="tag">CCC</span> <span class="tag">RoHS</span>' in html


def test_roster_search_by_name_employment_number_lab_field_and_state(client, world, roster):
    # rule L-11
    url = reverse("liaisons:roster")
    assert _names(client.get(url, {"name": "乙"})) == ["乙"]
    assert _names(client.get(url, {"employment_number": "20000001"})) == ["甲"]
    assert _names(client.get(url, {"lab": "室B"})) == ["乙"]
    assert _names(client.get(url, {"field": "ROHS"})) == ["甲"]
    assert _names(client.get(url, {"state": "suspended"})) == ["乙"]
    assert _names(client.get(url, {"state": "nonsense"})) == []


def test_a_legacy_liaison_not_migrated_is_off_the_roster_after_the_deadline(client, world):
    # rule L-13, rule L-11
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, legacy=True)
    assert _names(client.get(reverse("liaisons:roster"))) == []


def test_roster_pages_by_fifty(client, world):
    LiaisonQualificationFactory.create_batch(51, lab=world.lab_a)
    response = client.get(reverse("liaisons:roster"))
    assert len(response.context["entries"]) == 50
    assert len(client.get(reverse("liaisons:roster"), {"page": 2}).context["entries"]) == 1


def test_roster_queries_do_not_grow_with_the_rows(client, world):
    url = reverse("liaisons:roster")
    LiaisonQualificationFactory.create_batch(3, lab=world.lab_a, fields=["CCC", "ROHS"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    LiaisonQualificationFactory.create_batch(27, lab=world.lab_b, fields=["CCC", "CB"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["entries"]) == 30
    assert len(many) == len(few) == 3  # count, the page's rows, the page's fields


def test_the_entry_page_of_one_person_by_employment_number(client, world, roster):
    # rule L-11: the page a printed QR code opens, public
    url = reverse("liaisons:roster_entry", args=["20000001"])
    response = client.get(url, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "甲" in html and "实验室A" in html and "Active" in html and "乙" not in html
    assert _no_id_numbers(html, world.person_a)
    assert client.get(reverse("liaisons:roster_entry", args=["99999999"])).status_code == 404


def test_a_person_off_the_roster_has_no_entry_page(client, world):
    # rule L-11: someone with an employment number but no roster entry is not published
    PersonFactory(lab=world.lab_a, employment_number="20000009")
    assert client.get(reverse("liaisons:roster_entry", args=["20000009"])).status_code == 404


# --- export --------------------------------------------------------------------------------


def test_the_public_gets_no_export_link_and_is_sent_to_sign_in(client, world, roster):
    # rule L-11: anyone searches, staff download
    html = client.get(reverse("liaisons:roster")).content.decode()
    assert reverse("liaisons:roster_export_csv") not in html
    for name in ("liaisons:roster_export_csv", "liaisons:roster_export_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_signed_in_users_who_are_not_staff_may_not_export(client, world, roster):
    for user in (
        world.body_x_admin,
        world.inspector,
        UserFactory(username=world.person_a.id_number, role=Role.PERSON),
    ):
        client.force_login(user)
        assert (
            reverse("liaisons:roster_export_csv")
            not in client.get(reverse("liaisons:roster")).content.decode()
        )
        assert client.get(reverse("liaisons:roster_export_csv")).status_code == 403


def test_staff_export_the_filtered_roster_as_csv_without_id_numbers(client, world, roster):
    # rule L-11, rule P-04
    client.force_login(world.lab_b_staff)
    page = client.get(reverse("liaisons:roster"), {"field": "CCC"}).content.decode()
    assert f'href="{reverse("liaisons:roster_export_csv")}?field=CCC"' in page
    response = client.get(reverse("liaisons:roster_export_csv"), {"field": "CCC"}, **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == [
        "Full name",
        "Employment number",
        "Testing lab",
        "Branch centre",
        "Certification fields",
        "State",
        "Hired on",
    ]
    assert rows[1:] == [
        ["甲", "20000001", "实验室A", "北方分中心", "CCC, RoHS", "Active", "2026-01-05"]
    ]
    assert _no_id_numbers(content, world.person_a, world.person_b)
    everyone = client.get(reverse("liaisons:roster_export_csv")).content.decode("utf-8-sig")
    assert "乙" in everyone and _no_id_numbers(everyone, world.person_a, world.person_b)


def test_staff_export_the_roster_as_xlsx(client, world, roster):
    # rule L-11, rule P-04
    openpyxl = pytest.importorskip("openpyxl", reason="tablib[xlsx] (openpyxl) not installed")
    client.force_login(world.training_admin)
    response = client.get(reverse("liaisons:roster_export_xlsx"), {"lab": "实验室B"}, **EN)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Full name"
    assert [row[:2] for row in rows[1:]] == [["乙", "20000002"]]
    flat = " ".join(str(value) for row in rows for value in row)
    assert _no_id_numbers(flat, world.person_a, world.person_b)


FORMULAE = [
    '=HYPERLINK("http://e.x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("formula", FORMULAE)
def test_a_name_that_starts_like_a_formula_is_text_in_the_csv(client, world, roster, formula):
    # issue 9: a person named =HYPERLINK(...) was a live formula in the export (rule L-11)
    Person = type(world.person_a)
    Person.objects.filter(pk=world.person_a.pk).update(name=formula)
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("liaisons:roster_export_csv"), {"lab": "实验室A"}, **EN)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[1][0] == "'" + formula
    assert rows[1][1] == "20000001"


@pytest.mark.parametrize("formula", FORMULAE)
def test_a_name_that_starts_like_a_formula_is_a_text_cell_in_the_xlsx(
    client, world, roster, formula
):
    # issue 9: in the XLSX the cell was a formula, not text (rule L-11)
    openpyxl = pytest.importorskip("openpyxl", reason="tablib[xlsx] (openpyxl) not installed")
    Person = type(world.person_a)
    Person.objects.filter(pk=world.person_a.pk).update(name=formula)
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("liaisons:roster_export_xlsx"), {"lab": "实验室A"}, **EN)
    cell = openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"]
    assert cell.data_type == "s"
    # XML reads a carriage return back as a line feed; the apostrophe is what matters.
    assert cell.value == ("'" + formula).replace("\r", "\n")
