"""The printable forms as PDF (L-02..L-04, L-11, P-04): what they hold, how they print, who
may download them, and that generating them is idempotent.

The PDFs are read with poppler's tools (pdftotext, pdffonts, pdfinfo, pdftoppm), as a
person would read the printed page. Printing takes ~0.2 s a form: only these tests print
(``LIAISON_DOCUMENTS_ON_COMMIT`` is off in the test settings, on here).
"""

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from cqcportal.pdf import ForbiddenResource, static_path_for
from directory.constants import CertificationFieldCode as F
from directory.idnumbers import mask_id_number
from directory.tests.factories import TestingLabFactory
from liaisons import documents
from liaisons.constants import DocumentKind
from liaisons.models import LiaisonDocument, LiaisonQualification
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_return,
    liaison_application_submit,
)
from liaisons.services.documents import application_documents_generate, document_ensure
from liaisons.services.hiring import liaison_application_hire
from liaisons.services.preparation import assessment_entry_update
from liaisons.tasks import generate_application_documents
from liaisons.tests.factories import TrainingEnrolmentFactory, ready_application

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]

K = DocumentKind
#: A4 in PDF points, and the side margins of static/css/forms.css (18 mm).
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
SIDE_MARGIN = 18 / 25.4 * 72


@pytest.fixture(autouse=True)
def documents_on(settings):
    settings.LIAISON_DOCUMENTS_ON_COMMIT = True


# --- reading a PDF ---------------------------------------------------------------------------


def _run(*args: str, data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        return subprocess.run(
            [*args, pdf.name, "-"] if args[0] == "pdftotext" else [*args, pdf.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_text(data: bytes) -> str:
    """The text of the PDF in reading order (a table cell's lines together), with all white
    space removed (pdftotext spaces CJK freely)."""
    return re.sub(r"\s+", "", _run("pdftotext", data=data))


def pdf_pages(data: bytes) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", data=data), re.M).group(1))


def pdf_fonts(data: bytes) -> list[list[str]]:
    lines = _run("pdffonts", data=data).splitlines()[2:]
    return [line.split() for line in lines if line.strip()]


def first_page_png(data: bytes):
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(source), f"{tmp}/page"],
            check=True,
        )
        (png,) = Path(tmp).glob("page*.png")
        return Image.open(io.BytesIO(png.read_bytes())).convert("L")


def pdf_words(data: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) of every word, from ``pdftotext -bbox``."""
    html = _run("pdftotext", "-bbox", data=data)
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if match:
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            words.append((page, x0, y0, x1, y1, match.group(5)))
    return words


def compact(text: str) -> str:
    return re.sub(r"\s+", "", str(text))


# --- building applications --------------------------------------------------------------------


def _hired(world, *, lab=None, fields=("CCC", "ROHS"), staff=None):
    """An application of lab A (by default) taken through the whole flow to a hire."""
    lab = lab or world.lab_a
    staff = staff or world.lab_a_staff
    application = ready_application(lab=lab, actor=staff, fields=fields, name="欧阳明月")
    TrainingEnrolmentFactory(person=application.person, passed=True)
    liaison_application_submit(application=application, actor=staff)
    liaison_application_accept(application=application, actor=world.branch_n_reviewer)
    liaison_application_pass(application=application, actor=world.branch_n_reviewer)
    liaison_application_hire(application=application, actor=world.training_admin)
    application.refresh_from_db()
    return application


@pytest.fixture
def hired(world, settings):
    settings.LIAISON_DOCUMENTS_ON_COMMIT = False  # print only what each test asks for
    return _hired(world)


def _pdf(application, kind, *, full=True) -> bytes:
    stored = document_ensure(application=application, kind=kind, full_id_number=full)
    with stored.file.open("rb") as file:
        return file.read()


# --- what each document holds and how it prints -----------------------------------------------


@pytest.mark.parametrize("kind", list(K))
def test_each_document_holds_the_name_fields_and_form_code_and_prints_as_designed(hired, kind):
    """L-02, L-03, L-04: the person's name, the fields applied for and the form's code are on
    the printed page; fonts are embedded subsets; the page count is the designed one; the
    page is not blank."""
    # rule L-02
    data = _pdf(hired, kind)
    text = pdf_text(data)
    assert "欧阳明月" in text
    assert "CCC" in text and "RoHS" in text
    assert compact(documents.FORM_CODES[kind]) in text
    fonts = pdf_fonts(data)
    assert fonts, "no font in the PDF"
    for font in fonts:
        # name type [type...] encoding emb sub uni object ID: emb and sub are the 5th and
        # 4th columns from the end.
        assert font[-5:-3] == ["yes", "yes"], font
        assert "WenQuanYi" in font[0], font
    assert pdf_pages(data) == documents.DESIGNED_PAGES[kind]
    page = first_page_png(data)
    dark = sum(page.histogram()[:128])
    assert dark > 0.005 * page.width * page.height, "the first page is (nearly) blank"


def test_the_recommendation_form_holds_every_entry_the_lab_filled_in(hired):
    """L-03: no field of the recommendation form may be empty; they all come from the record."""
    # rule L-03
    text = pdf_text(_pdf(hired, K.RECOMMENDATION))
    person = hired.person
    for value in (
        hired.lab.name,
        person.id_number,
        person.major,
        person.phone,
        person.email,
        hired.recommendation,
        hired.lab_signatory,
        "推荐单位（盖章）",
        "日期：年月日",
    ):
        assert compact(value) in text, value


def test_the_training_record_lists_the_three_prescribed_items_then_one_row_per_field(hired):
    """L-04: three prescribed items first, then a row per field applied for."""
    # rule L-04
    text = pdf_text(_pdf(hired, K.ASSESSMENT))
    entries = list(hired.assessment_entries.order_by("position"))
    assert len(entries) == 3 + 2
    positions = [text.find(compact(entry.content)) for entry in entries]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_the_hire_notice_has_a_qr_code_of_the_public_roster_entry_and_no_id_number(hired):
    """L-11: anyone checks a printed notice against the roster; the QR code opens the
    entry by employment number, never by ID number (P-04)."""
    # rule L-11
    qualification = LiaisonQualification.objects.get(application=hired)
    number = hired.person.employment_number
    rendered = documents.application_document(hired, K.HIRE_NOTICE)
    url = documents.roster_entry_url(number)
    assert url.endswith(reverse("liaisons:roster_entry", args=[number]))
    assert "<svg" in rendered.html and url in rendered.html
    text = pdf_text(rendered.pdf())
    assert number in text and compact(qualification.lab.name) in text
    assert hired.person.id_number not in text and hired.person.id_number not in rendered.html


def test_long_text_stays_inside_the_page_and_the_forms_keep_their_page_count(world, settings):
    """A 40-character lab name and all ten fields: every word stays inside the printable
    width (so inside the table), and each form still fits its designed pages."""
    # rule L-05
    settings.LIAISON_DOCUMENTS_ON_COMMIT = False
    lab = TestingLabFactory(
        name="国家电器电子产品质量监督检验中心暨北京电器安全检测实验室第二分部" + "检测所" * 3,
        branch=world.branch_n,
        business_scope=list(F.values),
    )
    assert len(lab.name) >= 40
    staff = world.lab_a_staff
    staff.lab = lab
    staff.save(update_fields=["lab"])
    application = _hired(world, lab=lab, fields=tuple(F.values), staff=staff)
    assert application.fields.count() == 10
    left, right = SIDE_MARGIN - 1, PAGE_WIDTH - SIDE_MARGIN + 1
    for kind in K:
        data = _pdf(application, kind)
        assert pdf_pages(data) == documents.DESIGNED_PAGES[kind], kind
        words = pdf_words(data)
        assert words
        outside = [w for w in words if w[1] < left or w[3] > right or w[4] > PAGE_HEIGHT]
        assert not outside, (kind, outside[:5])
        text = pdf_text(data)
        assert compact(lab.name) in text, kind
        for label in ("CCC", "有机", "PSE", "GAP"):
            assert label in text, (kind, label)


# --- who may download, and which ID number they see (P-04) -------------------------------------


def _url(application, kind=K.RECOMMENDATION) -> str:
    return reverse("liaisons:application_document", args=[application.pk, kind])


def test_users_outside_the_scope_get_404_for_every_form(client, world, hired):
    """Lab B's staff and branch S's reviewer cannot download lab A's forms: 404, as for a
    missing application."""
    # rule P-04
    for outsider in (world.lab_b_staff, world.branch_s_reviewer, world.body_x_admin):
        client.force_login(outsider)
        for kind in K:
            assert client.get(_url(hired, kind)).status_code == 404, (outsider, kind)
        qualification = LiaisonQualification.objects.get(application=hired)
        notice = reverse("liaisons:qualification_hire_notice", args=[qualification.pk])
        assert client.get(notice).status_code == 404
    client.force_login(world.lab_a_staff)
    missing = reverse("liaisons:application_document", args=[999999, K.RECOMMENDATION])
    assert client.get(missing).status_code == 404
    assert client.get(_url(hired, "bogus")).status_code == 404
    client.logout()
    assert client.get(_url(hired)).status_code == 302  # to sign in


def test_the_full_id_number_only_for_those_who_may_see_it(client, world, hired):
    """P-04: the training centre, the person's branch and the staff of the application's lab
    (who typed the number, hold the ID-card copy, and sign and stamp the form, L-03) get the
    full number on the form; anyone else who sees the application gets it masked. Neither
    number is in the file name."""
    # rule P-04, rule L-03; issue 10: the lab's copy carries the number in full.
    number = hired.person.id_number
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the forms stay Chinese
    seen = {}
    for user in (world.training_admin, world.branch_n_reviewer, world.lab_a_staff):
        client.force_login(user)
        response = client.get(_url(hired))
        assert response.status_code == 200
        assert number not in response["Content-Disposition"]
        seen[user.username] = pdf_text(response.content)
    assert number in seen["training"] and number in seen["branch_n"]
    assert number in seen["lab_a"]
    assert "本科" in seen["lab_a"] and "Bachelor" not in seen["lab_a"]
    # Staff of another lab do not see the application at all.
    client.force_login(world.lab_b_staff)
    assert client.get(_url(hired)).status_code == 404
    # The application's page keeps the number masked for the lab: only the printed form has it.
    client.force_login(world.lab_a_staff)
    page = client.get(reverse("liaisons:application_detail", args=[hired.pk])).content.decode()
    assert number not in page and mask_id_number(number) in page


def test_whoever_else_sees_the_application_prints_it_masked(world, hired):
    # rule P-04: the masked variant stays for anyone who may see the application but not the
    # number.
    from liaisons.permissions import can_print_applicant_id_number

    assert can_print_applicant_id_number(world.lab_a_staff, hired)
    assert not can_print_applicant_id_number(world.lab_b_staff, hired)
    assert not can_print_applicant_id_number(world.evaluator, hired)
    stored = document_ensure(application=hired, kind=K.RECOMMENDATION, full_id_number=False)
    with stored.file.open("rb") as file:
        text = pdf_text(file.read())
    assert hired.person.id_number not in text
    assert mask_id_number(hired.person.id_number) in text


def test_a_missing_file_is_printed_on_the_spot_at_download(client, world, hired):
    client.force_login(world.lab_a_staff)
    assert not LiaisonDocument.objects.filter(application=hired).exists()
    response = client.get(_url(hired, K.DECLARATION))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    stored = LiaisonDocument.objects.get(application=hired, kind=K.DECLARATION)
    default_storage.delete(stored.file.name)  # lost from storage
    response = client.get(_url(hired, K.DECLARATION))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    stored.refresh_from_db()
    assert default_storage.exists(stored.file.name)


def test_the_application_page_lists_the_forms_and_the_qualification_page_the_notice(
    client, world, hired
):
    client.force_login(world.lab_a_staff)
    page = client.get(reverse("liaisons:application_detail", args=[hired.pk])).content.decode()
    for kind in K:
        assert _url(hired, kind) in page
    qualification = LiaisonQualification.objects.get(application=hired)
    page = client.get(
        reverse("liaisons:qualification_detail", args=[qualification.pk])
    ).content.decode()
    assert reverse("liaisons:qualification_hire_notice", args=[qualification.pk]) in page


# --- the roster PDF (L-11) ----------------------------------------------------------------------


def test_the_roster_pdf_follows_the_filters_and_never_holds_an_id_number(client, world, hired):
    """L-11: name, employment number, lab, fields, state; never the ID number, not even
    masked."""
    # rule L-11
    other = _hired(world, fields=("CCC",))
    client.force_login(world.lab_a_staff)
    page = client.get(reverse("liaisons:roster")).content.decode()
    assert reverse("liaisons:roster_export_pdf") in page
    response = client.get(reverse("liaisons:roster_export_pdf"), {"field": "ROHS"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert hired.person.employment_number in text
    assert other.person.employment_number not in text  # CCC only: filtered out
    for person in (hired.person, other.person):
        assert person.id_number not in text
        assert mask_id_number(person.id_number) not in text
        assert person.id_number[:6] + "*" not in text
    assert not re.search(r"\d{17}[\dX]", text)


def test_the_roster_pdf_is_for_signed_in_staff_like_the_other_exports(client, world):
    response = client.get(reverse("liaisons:roster_export_pdf"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- generation: after commit, idempotent, again when the data change --------------------------


def _files(application) -> dict:
    return {
        (d.kind, d.full_id_number): (d.file.name, d.fingerprint, d.generated_at)
        for d in LiaisonDocument.objects.filter(application=application)
    }


def test_submitting_prints_the_forms_once_and_running_again_prints_nothing(
    world, django_capture_on_commit_callbacks
):
    """The task runs after commit; run twice it stores one file per form and prints none
    again; a changed training entry prints the training record again, only it."""
    # rule L-04
    staff = world.lab_a_staff
    with django_capture_on_commit_callbacks(execute=True):
        application = ready_application(lab=world.lab_a, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        liaison_application_submit(application=application, actor=staff)
    first = _files(application)
    assert set(first) == {
        (K.RECOMMENDATION, True),
        (K.RECOMMENDATION, False),
        (K.ASSESSMENT, False),
        (K.DECLARATION, False),
    }
    assert generate_application_documents.delay(application.pk).get() == 4
    assert _files(application) == first
    assert LiaisonDocument.objects.filter(application=application).count() == 4

    entry = application.assessment_entries.order_by("position").first()
    liaison_application_return(
        application=application, actor=world.branch_n_reviewer, reason="请补充评价"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessment_entry_update(
            entry=entry, actor=staff, evaluation="优秀，考核合格", signatory="王主任"
        )
    second = _files(application)
    assert second[(K.ASSESSMENT, False)][0] != first[(K.ASSESSMENT, False)][0]
    assert not default_storage.exists(first[(K.ASSESSMENT, False)][0])  # the old print went
    for key in first:
        if key != (K.ASSESSMENT, False):
            assert second[key] == first[key], key
    text = pdf_text(
        LiaisonDocument.objects.get(application=application, kind=K.ASSESSMENT).file.read()
    )
    assert "优秀，考核合格" in text


def test_a_hire_prints_the_hire_notice_with_the_qualification(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = _hired(world)
    notice = LiaisonDocument.objects.get(application=application, kind=K.HIRE_NOTICE)
    assert notice.qualification == LiaisonQualification.objects.get(application=application)
    assert application.person.id_number not in notice.file.name
    assert len(application_documents_generate(application_id=application.pk)) == 5


def test_no_form_is_printed_when_the_setting_is_off(world, settings):
    settings.LIAISON_DOCUMENTS_ON_COMMIT = False
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    assert not LiaisonDocument.objects.exists()


# --- the URL fetcher: the portal's static files and nothing else -------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/style.css",
        "https://127.0.0.1:8000/static/css/forms.css",
        "ftp://example.com/x",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file:///static/../../../../etc/passwd",
        "file://evil.example.com/static/css/forms.css",
        "file:///static/css/missing.css",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(ForbiddenResource):
        static_path_for(url)


def test_the_fetcher_serves_the_forms_stylesheet_and_a_document_never_reaches_out():
    assert static_path_for("file:///static/css/forms.css").name == "forms.css"
    from cqcportal.pdf import html_to_pdf

    # An outside image is simply left out: the PDF prints, and nothing was fetched.
    data = html_to_pdf(
        '<html lang="zh-CN"><body><p>测试</p><img src="http://127.0.0.1:9/x.png">'
        '<img src="file:///etc/hostname"></body></html>'
    )
    assert data.startswith(b"%PDF") and "测试" in pdf_text(data)


def test_the_demo_prints_the_forms_of_every_submitted_application_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    """The demo attaches the forms to every application that left the lab (and the hire
    notices of those hired): one dispatch per application, after its data are complete."""
    from django.core.management import call_command

    from liaisons.constants import ApplicationState
    from liaisons.models import LiaisonApplication

    dispatched = []
    monkeypatch.setattr(generate_application_documents, "delay", dispatched.append)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    expected = set(
        LiaisonApplication.objects.exclude(state=ApplicationState.DRAFT).values_list(
            "pk", flat=True
        )
    )
    assert expected and sorted(dispatched) == sorted(expected)


def test_two_first_prints_at_once_store_one_row_and_no_stray_file(hired, monkeypatch):
    """The second of two simultaneous first prints finds the first one's row (unique per
    application, kind and variant) and leaves no file of its own behind."""
    from liaisons.services import documents as service

    first = document_ensure(application=hired, kind=K.DECLARATION)
    LiaisonDocument.objects.filter(pk=first.pk).update(fingerprint="stale")
    real_store, stored_names = service._store, []

    def racing_store(application, kind, full_id_number, fingerprint, pdf):
        # The other print commits its row between our lookup and our insert.
        LiaisonDocument.objects.filter(pk=first.pk).delete()
        other = real_store(application, kind, full_id_number, fingerprint, pdf)
        stored_names.append(other.file.name)
        monkeypatch.setattr(LiaisonDocument.objects, "select_for_update", lambda: _NoRows())
        return real_store(application, kind, full_id_number, fingerprint, pdf)

    folder = f"liaisons/documents/{hired.pk}"
    before = set(default_storage.listdir(folder)[1])
    monkeypatch.setattr(service, "_store", racing_store)
    document = document_ensure(application=hired, kind=K.DECLARATION)
    assert LiaisonDocument.objects.filter(application=hired, kind=K.DECLARATION).count() == 1
    assert document.file.name == stored_names[0]
    # One new file, the winner's: the loser deleted its own.
    assert set(default_storage.listdir(folder)[1]) - before == {Path(document.file.name).name}


class _NoRows:
    """A queryset stand-in that finds nothing, as a lookup before the other's commit did."""

    def filter(self, **kwargs):
        return self

    def first(self):
        return None


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbar-tools to read QR codes")
def test_the_printed_qr_code_reads_back_as_the_roster_entry(hired):
    """L-11: the QR code of the printed notice, scanned at 150 dpi, opens the roster entry."""
    data = _pdf(hired, K.HIRE_NOTICE)
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "notice.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", "-singlefile", f"{tmp}/notice.pdf", f"{tmp}/p"],
            check=True,
        )
        scanned = subprocess.run(
            ["zbarimg", "-q", "--raw", f"{tmp}/p.png"], capture_output=True, text=True
        ).stdout.strip()
    assert scanned == documents.roster_entry_url(hired.person.employment_number)


# --- every text at its limit (issue 9) ----------------------------------------------------------


def _at_limit(model, field: str, text: str = "检") -> str:
    """The longest text the field takes."""
    from cqcportal.limits import field_limit

    length = field_limit(model, field)
    return (text * length)[:length]


def _work_histories() -> dict[str, str]:
    """The work histories that fill the box most: one long line, and as many lines as
    allowed, each as long as the characters left allow."""
    from cqcportal.limits import WORK_HISTORY_MAX_LENGTH as LENGTH
    from cqcportal.limits import WORK_HISTORY_MAX_LINES as LINES

    per_line = (LENGTH - (LINES - 1)) // LINES
    return {
        "one long line": "检" * LENGTH,
        "every line": "\n".join(["检" * per_line] * LINES),
        "every line, latin": "\n".join(["W" * per_line] * LINES),
    }


@pytest.mark.parametrize("shape", list(_work_histories()))
def test_the_worst_case_form_prints_in_seconds_and_keeps_its_pages(world, settings, shape):
    """Every text of the forms at its length limit: each form prints within a few seconds,
    stays inside the printable width and keeps its designed page count."""
    # issue 9: a 100,000-character work history made one print run 367 s; rule L-03
    import time

    from cqcportal.limits import TRAINING_CONTENT_MAX_LENGTH
    from directory.models import BranchCentre, Person, TestingLab
    from liaisons.models import AssessmentEntry, LiaisonApplication

    settings.LIAISON_DOCUMENTS_ON_COMMIT = False
    lab = TestingLabFactory(
        name=_at_limit(TestingLab, "name"), branch=world.branch_n, business_scope=list(F.values)
    )
    staff = world.lab_a_staff
    staff.lab = lab
    staff.save(update_fields=["lab"])
    application = _hired(world, lab=lab, fields=tuple(F.values), staff=staff)
    BranchCentre.objects.filter(pk=lab.branch_id).update(name=_at_limit(BranchCentre, "name"))
    Person.objects.filter(pk=application.person_id).update(
        name=_at_limit(Person, "name"),
        major=_at_limit(Person, "major"),
        phone=_at_limit(Person, "phone", "8"),
        email=_at_limit(Person, "email", "m")[:-7] + "@cqc.cn",
        work_unit=_at_limit(Person, "work_unit"),
        address=_at_limit(Person, "address"),
    )
    AssessmentEntry.objects.filter(application=application).update(
        content="检" * TRAINING_CONTENT_MAX_LENGTH,
        evaluation=_at_limit(AssessmentEntry, "evaluation"),
        signatory=_at_limit(AssessmentEntry, "signatory"),
    )
    LiaisonApplication.objects.filter(pk=application.pk).update(
        work_history=_work_histories()[shape],
        recommendation=_at_limit(LiaisonApplication, "recommendation"),
        lab_signatory=_at_limit(LiaisonApplication, "lab_signatory"),
    )
    application = LiaisonApplication.objects.get(pk=application.pk)
    application.full_clean(exclude=["fields", "state"])  # every text within its limit
    left, right = SIDE_MARGIN - 1, PAGE_WIDTH - SIDE_MARGIN + 1
    for kind in K:
        started = time.monotonic()
        data = _pdf(application, kind)
        elapsed = time.monotonic() - started
        assert elapsed < 5, (kind, elapsed)
        assert pdf_pages(data) == documents.DESIGNED_PAGES[kind], kind
        outside = [w for w in pdf_words(data) if w[1] < left or w[3] > right or w[4] > PAGE_HEIGHT]
        assert not outside, (kind, outside[:5])
