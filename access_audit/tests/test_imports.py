"""The business system's account list imported by the general business dept: a preview with a
row-by-row report, then all rows or none; accounts matching no person kept and listed for
follow-up (A-01, A-02, A-06; P-01 for the ID numbers)."""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django_fsm_log.models import StateLog

from access_audit import imports
from access_audit.constants import LoginRightState
from access_audit.models import LoginRight, RightChange
from access_audit.selectors import rights as selectors
from access_audit.services.imports import login_rights_import
from access_audit.tests.factories import LoginRightFactory
from directory.idnumbers import build_id_number

pytestmark = pytest.mark.django_db

HEADINGS_ZH = ["用户名", "身份证号", "姓名", "实验室", "最后登录日期", "状态"]
HEADINGS_EN = ["Username", "ID number", "Name", "Lab", "Last login", "State"]
NOBODY = build_id_number("110105", datetime.date(1979, 7, 1), 301)


def _csv(rows, headings=HEADINGS_ZH, encoding="utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return SimpleUploadedFile("accounts.csv", buffer.getvalue().encode(encoding))


def _xlsx(rows, headings=HEADINGS_EN) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("accounts.xlsx", buffer.getvalue())


def _rows(world):
    return [
        ["cbs-jia", world.person_a.id_number, "甲", world.lab_a.name, "2026-11-02", "正常"],
        ["cbs-yi", world.person_b.id_number, "乙", world.lab_b.uscc, "2026/10/01", "暂停"],
        ["cbs-nobody", NOBODY, "外部", world.lab_a.name, "", "active"],
    ]


def _import(upload, actor, *, dry_run):
    return login_rights_import(rows=imports.read_account_rows(upload), actor=actor, dry_run=dry_run)


def _problems(report) -> dict[int, str]:
    return {row.row: " ".join(row.errors) for row in report.error_rows}


# --- a good file -----------------------------------------------------------------------------


def test_the_preview_reports_every_row_and_writes_nothing(world, departments):
    # rule A-02
    report = _import(_csv(_rows(world)), departments.general_business, dry_run=True)
    assert report.ok and report.dry_run
    assert [row.action for row in report.rows] == ["new", "new", "new"]
    assert report.counts["unmatched"] == 1 and report.counts["new"] == 3
    assert [row.person_name for row in report.rows] == ["甲", "乙", ""]
    assert not LoginRight.objects.exists() and not RightChange.objects.exists()


def test_an_import_stores_every_account_and_keeps_the_unmatched_one_for_follow_up(
    world, departments
):
    # rule A-02: an account matching no person is kept with no person, never dropped
    report = _import(_csv(_rows(world)), departments.general_business, dry_run=False)
    assert report.imported == 3
    jia = LoginRight.objects.get(username="cbs-jia")
    assert (jia.person, jia.lab, jia.state) == (world.person_a, world.lab_a, "active")
    assert jia.last_login_on == datetime.date(2026, 11, 2) and jia.imported_at
    yi = LoginRight.objects.get(username="cbs-yi")
    assert (yi.person, yi.lab, yi.state) == (world.person_b, world.lab_b, "suspended")
    nobody = LoginRight.objects.get(username="cbs-nobody")
    assert nobody.person is None and nobody.id_number == NOBODY and nobody.name == "外部"
    assert nobody.last_login_on is None
    assert list(selectors.follow_up_list(user=departments.general_business)) == [nobody]
    assert list(selectors.follow_up_list(user=world.lab_a_staff)) == [nobody]
    assert list(selectors.follow_up_list(user=world.lab_b_staff)) == []
    # The feed holds every account from its first state on.
    assert sorted(RightChange.objects.values_list("right__username", "state")) == [
        ("cbs-jia", "active"),
        ("cbs-nobody", "active"),
        ("cbs-yi", "suspended"),
    ]
    assert jia.history.get().history_user == departments.general_business


def test_an_xlsx_list_with_english_headings_and_typed_cells(world, departments):
    # rule A-02: dates as date cells, the state in English, the lab by its code (USCC)
    # A spreadsheet's date-and-time cell has no time zone.
    logged_in = datetime.datetime(2025, 5, 6, 9, 30)  # noqa: DTZ001
    rows = [
        [
            "cbs-jia",
            world.person_a.id_number,
            "甲",
            world.lab_a.uscc,
            datetime.date(2026, 1, 3),
            "Active",
        ],
        ["cbs-x", NOBODY, "", world.lab_b.name, logged_in, "Revoked"],
    ]
    report = _import(_xlsx(rows), departments.general_business, dry_run=False)
    assert report.imported == 2
    assert LoginRight.objects.get(username="cbs-x").state == LoginRightState.REVOKED
    assert LoginRight.objects.get(username="cbs-x").last_login_on == datetime.date(2025, 5, 6)


def test_a_second_import_updates_by_username_and_changes_state_through_the_transition(
    world, departments
):
    # rule A-02: upsert by username; a changed state is a transition with the feed's row
    right = LoginRightFactory(person=world.person_a, username="CBS-Jia", lab=world.lab_a)
    unchanged = LoginRightFactory(
        person=world.person_b, username="cbs-yi", lab=world.lab_b, last_login_on=None, name="乙"
    )
    rows = [
        ["cbs-jia", world.person_a.id_number, "甲", world.lab_a.name, "2026-11-02", "暂停"],
        ["cbs-yi", world.person_b.id_number, "乙", world.lab_b.name, "", "正常"],
    ]
    report = _import(_csv(rows), departments.general_business, dry_run=False)
    assert [row.action for row in report.rows] == ["update", "unchanged"]
    right.refresh_from_db()
    assert right.state == LoginRightState.SUSPENDED and right.username == "CBS-Jia"
    assert right.last_login_on == datetime.date(2026, 11, 2) and right.imported_at
    log = StateLog.objects.for_(right).get()
    assert (log.transition, log.by) == ("suspend", departments.general_business)
    assert RightChange.objects.get().right == right
    history = unchanged.history.count()
    unchanged.refresh_from_db()
    assert unchanged.imported_at is not None
    assert unchanged.history.count() == history  # only the time of the import, no history
    assert LoginRight.objects.count() == 2


# --- bad files: a clear report, nothing stored -----------------------------------------------


def test_wrong_columns_are_named(world, departments):
    # rule A-02
    upload = _csv([["cbs-jia", "x"]], headings=["账号", "证件"])
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        imports.read_account_rows(upload)
    assert excinfo.value.code == "import_columns"
    message = excinfo.value.messages[0]
    assert "ID number" in message and "Lab" in message and "State" in message
    assert "Username" not in message.split("missing:")[1].split(")")[0]  # 账号 was found


def test_a_column_given_twice_is_refused(world, departments):
    # rule A-02
    upload = _csv([], headings=[*HEADINGS_ZH, "账号"])
    with pytest.raises(ValidationError) as excinfo:
        imports.read_account_rows(upload)
    assert excinfo.value.code == "import_columns"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("11010519900307006", "18"),  # too short
        ("110105199003070061", "check digit"),
        ("110105199013070061", "birth date"),
        ("", "missing"),
    ],
)
def test_bad_id_numbers_are_reported_on_their_row_and_nothing_is_stored(
    world, departments, number, words
):
    # rule P-01, rule A-02: all rows or none
    rows = [*_rows(world), ["cbs-bad", number, "错", world.lab_a.name, "", "正常"]]
    with translation.override("en"):
        report = _import(_csv(rows), departments.general_business, dry_run=True)
        assert list(_problems(report)) == [5]
        assert "ID number" in _problems(report)[5] and words in _problems(report)[5]
        with pytest.raises(ValidationError) as excinfo:
            _import(_csv(rows), departments.general_business, dry_run=False)
    assert excinfo.value.code == "import_has_errors"
    assert not LoginRight.objects.exists() and not RightChange.objects.exists()


def test_duplicate_usernames_in_the_file_whatever_their_case(world, departments):
    # rule A-02
    rows = [*_rows(world), ["CBS-JIA", NOBODY, "重", world.lab_a.name, "", "正常"]]
    with translation.override("en"):
        report = _import(_csv(rows), departments.general_business, dry_run=True)
    assert _problems(report) == {5: "The username is already on row 2 of the file."}
    with pytest.raises(ValidationError):
        _import(_csv(rows), departments.general_business, dry_run=False)
    assert not LoginRight.objects.exists()


def test_unknown_labs_bad_dates_and_states_are_each_reported(world, departments):
    # rule A-02
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [
        ["cbs-1", NOBODY, "一", "不存在的实验室", "", "正常"],
        ["cbs-2", NOBODY, "二", world.lab_a.name, "2026-02-30", "正常"],
        ["cbs-3", NOBODY, "三", world.lab_a.name, tomorrow, "正常"],
        ["cbs-4", NOBODY, "四", world.lab_a.name, "", "deleted"],
        ["cbs 5", NOBODY, "五", "", "昨天", ""],
    ]
    with translation.override("en"):
        problems = _problems(_import(_csv(rows), departments.general_business, dry_run=True))
    assert "Unknown testing lab" in problems[2]
    assert "not a date" in problems[3]
    assert "future" in problems[4]
    assert "Unknown state" in problems[5]
    assert all(
        column in problems[6] for column in ("Username", "Testing lab", "Last login", "State")
    )


def test_a_file_cannot_make_a_suspended_account_active_again(world, departments):
    # rule A-06, rule A-02: only a granted request does
    LoginRightFactory(person=world.person_a, username="cbs-jia", suspended=True)
    rows = [["cbs-jia", world.person_a.id_number, "甲", world.lab_a.name, "", "正常"]]
    with translation.override("en"):
        problems = _problems(_import(_csv(rows), departments.general_business, dry_run=True))
    assert "A-02" in problems[2] and "A-06" in problems[2]
    with pytest.raises(ValidationError):
        _import(_csv(rows), departments.general_business, dry_run=False)
    assert LoginRight.objects.get().state == LoginRightState.SUSPENDED


def test_a_file_cannot_give_a_persons_account_to_someone_else(world, departments):
    # rule A-02
    LoginRightFactory(person=world.person_a, username="cbs-jia")
    rows = [["cbs-jia", world.person_b.id_number, "乙", world.lab_a.name, "", "正常"]]
    with translation.override("en"):
        problems = _problems(_import(_csv(rows), departments.general_business, dry_run=True))
    assert "another person" in problems[2]
    assert LoginRight.objects.get().person == world.person_a


@pytest.mark.parametrize("who", ["quality_tech"])
def test_only_the_general_business_dept_imports(world, departments, who):
    # rule A-02
    with pytest.raises(PermissionDenied):
        _import(_csv(_rows(world)), getattr(departments, who), dry_run=True)
    for user in (world.lab_a_staff, world.training_admin, world.branch_n_reviewer):
        with pytest.raises(PermissionDenied):
            _import(_csv(_rows(world)), user, dry_run=False)
    assert not LoginRight.objects.exists()


# --- hostile and huge input ------------------------------------------------------------------


def _read_error(upload) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        imports.read_account_rows(upload)
    return excinfo.value


def test_a_file_too_large_is_refused_before_reading(world):
    upload = SimpleUploadedFile("big.csv", b"a" * (imports.MAX_FILE_BYTES + 1))
    assert _read_error(upload).code == "import_too_large"


def test_too_many_rows_are_refused(world, monkeypatch):
    import dataclasses

    monkeypatch.setattr(
        imports, "ACCOUNT_LIST", dataclasses.replace(imports.ACCOUNT_LIST, max_rows=3)
    )
    rows = [[f"cbs-{n}", NOBODY, "", world.lab_a.name, "", "正常"] for n in range(4)]
    assert _read_error(_csv(rows)).code == "import_too_many_rows"


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused(world):
    # A zip bomb: a sheet of zeros compresses a thousandfold.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (imports.MAX_UNPACKED_BYTES + 1))
    upload = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
    assert _read_error(upload).code == "import_too_large"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "import_empty"),
        (b"\xd0\xcf\x11\xe0old excel", "import_format"),
        (b"PK\x03\x04 not really a zip", "import_unreadable"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "import_not_text"),
        (b"\xff\xfe\xfa\xfb\xfc" * 10, "import_encoding"),
        ("用户名,身份证号\n".encode(), "import_columns"),
        (",".join(HEADINGS_EN).encode() + b"\n\n,,,\n", "import_no_rows"),
        (",".join(HEADINGS_EN).encode() + b'\n"unclosed' + b"x" * 200_000, "import_unreadable"),
    ],
)
def test_unreadable_files_get_one_clear_message(world, content, code):
    assert _read_error(SimpleUploadedFile("f.csv", content)).code == code


def test_a_gb18030_file_is_read(world, departments):
    # Files saved by Chinese Excel on Windows
    upload = _csv(_rows(world), encoding="gb18030")
    assert [row["name"] for row in imports.read_account_rows(upload)] == ["甲", "乙", "外部"]


def test_hostile_cells_are_refused_or_kept_as_text(world, departments):
    rows = [
        ["cbs-1", NOBODY, '=HYPERLINK("http://x")', world.lab_a.name, "", "正常"],
        ["cbs-2", NOBODY, "长" * 31, world.lab_a.name, "", "正常"],
        ["cbs-3", NOBODY, "a\x07b", world.lab_a.name, "", "正常"],
        ["x" * 65, NOBODY, "", world.lab_a.name, "", "正常"],
        ["cbs-5", "1" * 5000, "", "实" * 5000, "9" * 5000, "正" * 5000],
    ]
    with translation.override("en"):
        report = _import(_csv(rows), departments.general_business, dry_run=True)
    problems = _problems(report)
    assert 2 not in problems  # a formula-looking name is text like any other
    assert "30 characters" in problems[3]
    assert "control characters" in problems[4]
    assert "Username" in problems[5]
    assert len(problems[6]) < 2000  # a report, not an echo of the file


def test_a_huge_but_legal_file_is_imported_in_reasonable_time(world, departments):
    # The limit's worth of rows: the preview and the import each check every one.
    rows = [
        [f"cbs-{n:05d}", NOBODY, "外部", world.lab_a.name, "2026-01-01", "正常"]
        for n in range(2000)
    ]
    started = timezone.now()
    report = _import(_csv(rows), departments.general_business, dry_run=False)
    assert report.imported == 2000 and LoginRight.objects.count() == 2000
    assert RightChange.objects.count() == 2000
    assert (timezone.now() - started).total_seconds() < 60
