"""Importing a body's certificate list (Q-05): a preview of every row, a row-by-row error
report, all rows or none, into the importer's own body only; a certificate without a lead
is uncovered at once."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from directory.idnumbers import build_id_number
from quality_roles import coverage
from quality_roles.imports import MAX_ROWS, read_certificate_rows
from quality_roles.models import Certificate
from quality_roles.services.imports import certificates_import

from .factories import LeadAppointmentFactory

pytestmark = pytest.mark.django_db

HEADINGS_ZH = ["证书编号", "产品名称", "认证项目", "证书状态", "项目质量负责人身份证号"]
HEADINGS_EN = ["Certificate number", "Product", "Project or category", "State", "Responsible lead"]
NOBODY = build_id_number("110105", datetime.date(1979, 7, 1), 301)


def _csv(rows, headings=HEADINGS_ZH) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return SimpleUploadedFile("certificates.csv", buffer.getvalue().encode("utf-8-sig"))


def _xlsx(rows, headings=HEADINGS_EN) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("certificates.xlsx", buffer.getvalue())


def _id(lead) -> str:
    return lead.staff.person.id_number


def test_a_good_file_is_previewed_then_imported_and_a_row_without_lead_is_uncovered(
    certified, client
):
    # rule Q-05: preview writes nothing; the confirmation writes every row
    c = certified
    client.force_login(c.b.candidate_account)
    upload = _xlsx(
        [
            ["N-1", "电冰箱 BCD-200", "CCC-HA", "valid", _id(c.lead_a)],
            ["N-2", "洗衣机 XQB-80", "ccc-ha", "有效", ""],
            ["N-3", "空调 KFR-35", "CCC-HA", "暂停", ""],
        ]
    )
    preview = client.post(reverse("quality_roles:certificate_import"), {"file": upload})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'data-testid="import-uncovered"' in page and "孙负责" in page
    assert not Certificate.objects.filter(number__startswith="N-").exists()
    done = client.post(reverse("quality_roles:certificate_import_confirm"))
    assert done.status_code == 302 and "coverage=uncovered" in done["Location"]
    imported = {x.number: x for x in Certificate.objects.filter(number__startswith="N-")}
    assert imported["N-1"].responsible_lead == c.lead_a and imported["N-3"].state == "suspended"
    assert imported["N-1"].history.count() == 1
    uncovered = set(coverage.uncovered_certificates(body=c.b.body))
    assert imported["N-2"] in uncovered and imported["N-3"] not in uncovered


def test_every_bad_row_is_reported_and_nothing_is_stored(certified, world):
    # rule Q-05: duplicates, unknown lead, lead of another body, bad state, over-long values
    c = certified
    foreign = LeadAppointmentFactory(body=world.body_y, active=True)
    rows = [
        {"row": 2, "number": "M-1", "product": "电冰箱", "project": "CCC-HA", "state": "valid",
         "lead": _id(c.lead_b)},
        {"row": 3, "number": "M-1", "product": "电冰箱", "project": "CCC-HA", "state": "valid",
         "lead": ""},
        {"row": 4, "number": "X-A1", "product": "电冰箱", "project": "CCC-HA", "state": "valid",
         "lead": ""},
        {"row": 5, "number": "M-3", "product": "电冰箱", "project": "CCC-HA", "state": "valid",
         "lead": NOBODY},
        {"row": 6, "number": "M-4", "product": "电冰箱", "project": "CCC-HA", "state": "valid",
         "lead": _id(foreign)},
        {"row": 7, "number": "M-5", "product": "电冰箱", "project": "CCC-HA", "state": "gone",
         "lead": ""},
        {"row": 8, "number": "M" * 41, "product": "电" * 301, "project": "NOPE", "state": "valid",
         "lead": "123"},
    ]  # fmt: skip
    report = certificates_import(body=c.b.body, rows=rows, actor=c.b.admin, dry_run=True)
    errors = {r.row: " ".join(r.errors) for r in report.rows}
    assert errors[2] == ""
    assert "already on row 2" in errors[3]
    assert "already holds" in errors[4]
    assert "no project quality lead in office" in errors[5]
    assert "another certification body" in errors[6]
    assert "Unknown state" in errors[7]
    assert "At most 40" in errors[8] and "At most 300" in errors[8] and "NOPE" in errors[8]
    assert "ID number" in errors[8] or "18" in errors[8]
    before = Certificate.objects.count()
    with pytest.raises(ValidationError, match="6 rows have problems"):
        certificates_import(body=c.b.body, rows=rows, actor=c.b.admin, dry_run=False)
    assert Certificate.objects.count() == before


def test_the_preview_of_a_bad_file_lists_the_rows_and_keeps_nothing_to_confirm(certified, client):
    # rule Q-05
    c = certified
    client.force_login(c.b.admin)
    bad = _csv([["K-1", "电冰箱", "CCC-HA", "valid", NOBODY]])
    preview = client.post(reverse("quality_roles:certificate_import"), {"file": bad})
    assert preview.status_code == 400 and 'data-row="2"' in preview.content.decode()
    confirm = client.post(reverse("quality_roles:certificate_import_confirm"))
    assert confirm.status_code == 302
    assert not Certificate.objects.filter(number="K-1").exists()


def test_a_file_that_cannot_be_read_says_why(certified, client):
    # rule Q-05: columns named, rows capped as the account list's
    c = certified
    client.force_login(c.b.admin)
    url = reverse("quality_roles:certificate_import")
    wrong = client.post(url, {"file": _csv([["1"]], headings=["什么"])})
    assert wrong.status_code == 400 and "Certificate number" in wrong.content.decode()
    rows = [[f"R-{i}", "电冰箱", "CCC-HA", "valid", ""] for i in range(MAX_ROWS + 1)]
    with translation.override("en"), pytest.raises(ValidationError, match="import it in parts"):
        read_certificate_rows(_csv(rows))


def test_only_the_body_s_director_or_administrator_imports_into_their_own_body(
    certified, client, world
):
    # rule Q-05: body Y cannot import into body X; a lead cannot import
    c = certified
    rows = [{"row": 2, "number": "Z-1", "product": "p", "project": "CCC-HA", "state": "valid",
             "lead": ""}]  # fmt: skip
    for actor in (world.body_y_admin, c.b.lead_a_account, world.inspector):
        with pytest.raises(PermissionDenied):
            certificates_import(body=c.b.body, rows=rows, actor=actor, dry_run=False)
    client.force_login(c.b.lead_a_account)
    assert client.get(reverse("quality_roles:certificate_import")).status_code == 403
    # Body Y's administrator imports into body Y, where CCC-HA is no project of theirs.
    client.force_login(world.body_y_admin)
    upload = _csv([["Z-1", "p", "CCC-HA", "valid", ""]])
    response = client.post(reverse("quality_roles:certificate_import"), {"file": upload})
    assert response.status_code == 400 and "CCC-HA" in response.content.decode()
    assert not Certificate.objects.filter(number="Z-1").exists()
