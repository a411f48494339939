"""The evidence pack of an enforcement run (A-04, A-06): its report in Chinese, its
spreadsheets, its SHA-256 manifest, built once, completed after a kill, and verified so that
a changed file is found."""

import hashlib
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from access_audit.evidence import pack
from access_audit.evidence.pack import (
    evidence_pack_build,
    evidence_pack_check,
    pack_names,
    parse_manifest,
)
from access_audit.models import EnforcementRun, EvidenceFile
from access_audit.signals import enforcement_run_finished
from access_audit.tests.evidence_helpers import enforced_run

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def stored(run, part: str) -> bytes:
    evidence = EvidenceFile.objects.get(run=run, name=pack_names(run)[part])
    with evidence.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def built(world):
    enforced = enforced_run(world)
    evidence_pack_build(run_id=enforced.run.pk)
    enforced.run.refresh_from_db()
    return enforced


def test_a_04_the_report_names_who_was_revoked_and_why_in_chinese(built):
    text = pdf_text(stored(built.run, "report"))
    for heading in ("业务系统登录权限清理执行报告", "按情形统计", "按分中心统计", "按检测机构统计",
                    "收回原因", "收回登录权限的人员名单"):  # fmt: skip
        assert heading in text
    for right in built.lab_a + built.lab_b:
        assert right.username in text
    assert built.kept.username not in text
    assert "实验室A" in text and "北方分中心" in text and "A-04" in text
    # P-04: the ID number is masked in the report, as in every list.
    assert built.lab_a[0].id_number not in text


def test_the_report_embeds_its_fonts_as_subsets(built):
    fonts = subprocess.run(
        ["pdffonts", "-"], input=stored(built.run, "report"), capture_output=True, check=False
    )
    if fonts.returncode != 0:  # older poppler reads no stdin
        pytest.skip("pdffonts cannot read standard input here")
    lines = fonts.stdout.decode().splitlines()[2:]
    assert lines and all(" yes yes " in line for line in lines)


def test_the_spreadsheets_list_every_revoked_account_masked(built):
    csv_text = stored(built.run, "csv").decode("utf-8-sig")
    for right in built.lab_a + built.lab_b:
        assert right.username in csv_text
        assert right.id_number not in csv_text
    assert built.kept.username not in csv_text
    assert "业务系统用户名" in csv_text.splitlines()[0]
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(stored(built.run, "xlsx")), read_only=True).active
    usernames = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert usernames == {r.username for r in built.lab_a + built.lab_b}


def test_the_manifest_lists_every_file_with_its_sha256_and_the_run_holds_its_digest(built):
    names = pack_names(built.run)
    manifest = stored(built.run, "manifest")
    listed = parse_manifest(manifest.decode())
    assert set(listed) == {names["csv"], names["xlsx"], names["report"]}
    for part in ("csv", "xlsx", "report"):
        assert listed[names[part]] == hashlib.sha256(stored(built.run, part)).hexdigest()
        evidence = EvidenceFile.objects.get(run=built.run, name=names[part])
        assert evidence.sha256 == listed[names[part]]
        assert evidence.size == len(stored(built.run, part))
    assert built.run.manifest_sha256 == hashlib.sha256(manifest).hexdigest()
    # In ``sha256sum`` format: every line "<64 hex>  <name>".
    assert all(len(line.split("  ")[0]) == 64 for line in manifest.decode().splitlines())
    assert evidence_pack_check(built.run).intact


def _overwrite(run, part: str, data: bytes) -> None:
    evidence = EvidenceFile.objects.get(run=run, name=pack_names(run)[part])
    storage = evidence.file.storage
    storage.delete(evidence.file.name)
    storage.save(evidence.file.name, ContentFile(data))


@pytest.mark.parametrize("part", ["csv", "xlsx", "report"])
def test_a_06_a_changed_file_is_detected(built, part):
    _overwrite(built.run, part, stored(built.run, part) + b" ")
    check = evidence_pack_check(built.run)
    assert not check.intact
    changed = [c.name for c in check.files if not c.intact]
    assert changed == [pack_names(built.run)[part]]


def test_a_file_changed_with_its_record_is_still_detected_by_the_manifest(built):
    names = pack_names(built.run)
    forged = stored(built.run, "csv").replace(built.lab_a[0].username.encode(), b"someone")
    _overwrite(built.run, "csv", forged)
    EvidenceFile.objects.filter(run=built.run, name=names["csv"]).update(
        sha256=hashlib.sha256(forged).hexdigest()
    )
    assert not evidence_pack_check(built.run).intact


def test_a_rewritten_manifest_is_detected_by_the_run_digest(built):
    names = pack_names(built.run)
    forged = stored(built.run, "manifest").replace(b"a", b"b", 1)
    _overwrite(built.run, "manifest", forged)
    EvidenceFile.objects.filter(run=built.run, name=names["manifest"]).update(
        sha256=hashlib.sha256(forged).hexdigest()
    )
    check = evidence_pack_check(built.run)
    assert not check.manifest_matches_run and not check.intact


def test_a_missing_file_is_detected(built):
    evidence = EvidenceFile.objects.get(run=built.run, name=pack_names(built.run)["xlsx"])
    evidence.file.storage.delete(evidence.file.name)
    check = evidence_pack_check(built.run)
    assert not check.intact
    assert [c.actual for c in check.files if c.name == evidence.name] == [""]


def test_a_rebuild_builds_nothing_twice(built):
    before = dict(EvidenceFile.objects.filter(run=built.run).values_list("name", "sha256"))
    manifest = built.run.manifest_sha256
    assert evidence_pack_build(run_id=built.run.pk) == []
    after = dict(EvidenceFile.objects.filter(run=built.run).values_list("name", "sha256"))
    assert after == before and len(after) == 4
    built.run.refresh_from_db()
    assert built.run.manifest_sha256 == manifest
    assert evidence_pack_check(built.run).intact


def test_a_build_killed_half_way_is_completed(world, monkeypatch):
    enforced = enforced_run(world)
    run = enforced.run

    def killed(*args, **kwargs):
        raise SystemExit("killed while printing")

    monkeypatch.setattr(pack, "report_pdf", killed)
    with pytest.raises(SystemExit):
        evidence_pack_build(run_id=run.pk)
    names = pack_names(run)
    assert set(EvidenceFile.objects.filter(run=run).values_list("name", flat=True)) == {
        names["csv"],
        names["xlsx"],
    }
    csv_digest = EvidenceFile.objects.get(run=run, name=names["csv"]).sha256
    # A file saved before the kill recorded it is written again, not left beside a copy.
    orphan = EvidenceFile(run=run, name=names["report"])
    orphan.file.storage.save(orphan.file.field.generate_filename(orphan, names["report"]),
                             ContentFile(b"half a pdf"))  # fmt: skip
    monkeypatch.undo()
    made = evidence_pack_build(run_id=run.pk)
    assert [m.name for m in made] == [names["report"], names["manifest"]]
    assert EvidenceFile.objects.get(run=run, name=names["csv"]).sha256 == csv_digest
    report = EvidenceFile.objects.get(run=run, name=names["report"])
    assert report.file.name.endswith(names["report"])
    run.refresh_from_db()
    assert run.manifest_sha256 and evidence_pack_check(run).intact


def test_a_dry_run_or_a_run_not_done_has_no_pack(world):
    enforced = enforced_run(world)
    EnforcementRun.objects.filter(pk=enforced.run.pk).update(dry_run=True)
    assert evidence_pack_build(run_id=enforced.run.pk) == []
    EnforcementRun.objects.filter(pk=enforced.run.pk).update(dry_run=False, state="held")
    assert evidence_pack_build(run_id=enforced.run.pk) == []
    assert not EvidenceFile.objects.exists()
    assert evidence_pack_build(run_id=999_999) == []


def test_the_deadline_jobs_announcement_builds_the_pack_and_tells_the_labs(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    enforced = enforced_run(world)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enforcement_run_finished.send(sender=EnforcementRun, run_id=enforced.run.pk)
    assert EvidenceFile.objects.filter(run=enforced.run).count() == 4
    sent_to = {address for message in mailoutbox for address in message.to}
    assert sent_to >= {world.lab_a_staff.email, world.lab_b_staff.email}


def test_the_report_stays_bounded_for_many_revocations(world, monkeypatch):
    """Above ``REPORT_MAX_PEOPLE`` the report lists no one and says so; the spreadsheets hold
    everyone."""
    from access_audit.evidence import report

    monkeypatch.setattr(report, "REPORT_MAX_PEOPLE", 3)
    enforced = enforced_run(world, per_lab=3)
    evidence_pack_build(run_id=enforced.run.pk)
    text = pdf_text(stored(enforced.run, "report"))
    assert "本次执行共收回 6 个账号的登录权限，超过报告逐人列出的上限（3 个）" in text
    assert not any(r.username in text for r in enforced.lab_a + enforced.lab_b)
    assert stored(enforced.run, "csv").decode("utf-8-sig").count("\n") == 7


def test_a_build_cut_short_by_its_time_limit_hands_the_rest_to_a_new_task(world, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from access_audit.tasks import evidence as tasks

    enforced = enforced_run(world)
    real = pack.evidence_pack_build
    calls = []

    def cut_short(*, run_id):
        calls.append(run_id)
        if len(calls) == 1:
            names = pack_names(enforced.run)
            pack._store(enforced.run, names["csv"], lambda: pack._spreadsheet(enforced.run, "csv"))
            raise SoftTimeLimitExceeded()
        return real(run_id=run_id)

    monkeypatch.setattr(pack, "evidence_pack_build", cut_short)
    assert tasks.build_evidence_pack.run(enforced.run.pk) == 0
    # The second task (run at once, tasks are eager here) stored the other three.
    assert len(calls) == 2
    assert EvidenceFile.objects.filter(run=enforced.run).count() == 4
    enforced.run.refresh_from_db()
    assert evidence_pack_check(enforced.run).intact
