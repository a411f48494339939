"""The application screens as their users see them (L-02..L-09, P-04)."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from directory.idnumbers import build_id_number, mask_id_number
from liaisons import rules
from liaisons.constants import MAX_UPLOAD_BYTES, ApplicationState, MaterialKind
from liaisons.models import ApplicationMaterial, LiaisonApplication
from liaisons.services.applications import (
    liaison_application_accept,
    liaison_application_return,
    liaison_application_submit,
)
from liaisons.services.preparation import liaison_application_start, material_upload
from liaisons.tests.factories import (
    PDF_BYTES,
    LiaisonApplicationFactory,
    TrainingEnrolmentFactory,
    pdf_upload,
    ready_application,
)

pytestmark = pytest.mark.django_db

S = ApplicationState


@pytest.fixture
def client(client):
    """A browser set to English, so tests can read the messages (the default is Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name, application) -> str:
    return reverse(f"liaisons:{name}", args=[application.pk])


def _state(application) -> str:
    return LiaisonApplication.objects.get(pk=application.pk).state


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _submitted(world, trait="submitted", **kwargs):
    """An application of lab A that left the lab, in the state of ``trait``."""
    return LiaisonApplicationFactory(
        lab=world.lab_a, created_by=world.lab_a_staff, **{trait: True}, **kwargs
    )


def _lab_b_application(world, **kwargs):
    return LiaisonApplicationFactory(
        lab=world.lab_b, person=world.person_b, created_by=world.lab_b_staff, **kwargs
    )


# --- scope: 404 outside it, 403 inside it without the right (L-07) ---------------------------


def test_lab_staff_cannot_see_or_act_on_another_labs_application(client, world):
    # rule L-07, rule P-04: lab B's application does not exist for lab A
    application = _lab_b_application(world, returned=True)
    material = material_upload(
        application=application,
        kind=MaterialKind.ID_CARD,
        upload=pdf_upload(),
        actor=world.lab_b_staff,
    )
    client.force_login(world.lab_a_staff)
    assert (
        world.person_b.name not in client.get(reverse("liaisons:application_list")).content.decode()
    )
    for name in ("application_detail", "application_edit", "application_materials"):
        assert client.get(_url(name, application)).status_code == 404, name
    for name in ("application_submit", "application_withdraw", "application_edit"):
        assert client.post(_url(name, application)).status_code == 404, name
    assert client.get(_url("material_download", material)).status_code == 404
    assert _state(application) == S.RETURNED


def test_branch_cannot_act_on_another_branchs_application(client, world):
    # rule L-07: branch N checks the labs of branch N only
    application = _lab_b_application(world, submitted=True)
    client.force_login(world.branch_n_reviewer)
    assert client.get(_url("application_detail", application)).status_code == 404
    for name in ("application_accept", "application_return", "application_pass"):
        response = client.post(_url(name, application), {"comment": "x"})
        assert response.status_code == 404, name
    assert _state(application) == S.SUBMITTED


@pytest.mark.parametrize(
    ("trait", "action"),
    [("submitted", "accept"), ("with_branch", "pass"), ("passed", "hire"), ("passed", "reject")],
)
def test_lab_staff_cannot_take_the_branch_or_training_centre_steps(client, world, trait, action):
    # rule L-07: only the branch centre accepts and passes, only the training centre decides
    application = _submitted(world, trait)
    before = _state(application)
    client.force_login(world.lab_a_staff)
    response = client.post(_url(f"application_{action}", application), {"comment": "ok"})
    assert response.status_code == 403
    assert _state(application) == before


def test_only_lab_staff_start_an_application(client, world):
    # rule L-07: the lab prepares the application
    for user in (world.branch_n_reviewer, world.training_admin):
        client.force_login(user)
        assert client.get(reverse("liaisons:application_new")).status_code == 403


# --- uploads (L-02) ---------------------------------------------------------------------------


@pytest.fixture
def draft(world):
    return LiaisonApplicationFactory(
        lab=world.lab_a, person=world.person_a, created_by=world.lab_a_staff
    )


def test_a_renamed_executable_is_refused_and_nothing_is_stored(client, world, draft):
    # rule L-02: materials are recognised by their content, not their name
    client.force_login(world.lab_a_staff)
    program = SimpleUploadedFile("form.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = client.post(
        _url("application_materials", draft), {"kind": MaterialKind.ID_CARD, "file": program}
    )
    assert response.status_code == 400
    assert "Only PDF, JPEG or PNG files are accepted" in response.content.decode()
    assert not ApplicationMaterial.objects.filter(application=draft).exists()


def test_a_file_over_10_mb_is_refused_and_nothing_is_stored(client, world, draft):
    # rule L-02: at most 10 MB per material
    client.force_login(world.lab_a_staff)
    body = b"%PDF-1.4\n" + b"0" * (MAX_UPLOAD_BYTES + 1 - 9 - 6) + b"%%EOF\n"
    assert len(body) == MAX_UPLOAD_BYTES + 1
    big = SimpleUploadedFile("big.pdf", body, "application/pdf")
    response = client.post(
        _url("application_materials", draft), {"kind": MaterialKind.ID_CARD, "file": big}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 10.0\xa0MB is accepted" in html
    assert not ApplicationMaterial.objects.filter(application=draft).exists()


def test_download_is_an_attachment_named_by_kind_never_sniffed(client, world, draft):
    # rule L-02, rule P-04: the uploaded name (which may hold an ID number) is not served
    upload = SimpleUploadedFile(f"{world.person_a.id_number}.pdf", PDF_BYTES, "application/pdf")
    material = material_upload(
        application=draft, kind=MaterialKind.ID_CARD, upload=upload, actor=world.lab_a_staff
    )
    client.force_login(world.lab_a_staff)
    response = client.get(_url("material_download", material))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="id_card.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert world.person_a.id_number not in str(response.headers)


# --- steps and their messages (L-01..L-07, L-09) ----------------------------------------------


def test_submitting_an_incomplete_application_lists_every_problem_with_its_rule(client, world):
    # rule L-02, rule L-03, rule L-04, rule L-05: all problems at once, each naming its rule
    application = liaison_application_start(
        lab=world.lab_a,
        actor=world.lab_a_staff,
        id_number=world.person_a.id_number,
        name=world.person_a.name,
        fields=[],
    )
    with translation.override("en"):
        expected = [
            e.messages[0]
            for e in rules.application_problems(application, today=timezone.localdate())
        ]
    assert {m[:4] for m in expected} >= {"L-02", "L-03", "L-04", "L-05"}
    client.force_login(world.lab_a_staff)
    response = client.post(_url("application_submit", application), follow=True)
    shown = _messages(response)
    assert shown == expected
    html = response.content.decode()
    assert all(escape(m) in html for m in expected)
    assert _state(application) == S.DRAFT


def test_a_stale_second_action_says_someone_acted_a_moment_ago(client, world):
    # rule L-07: two reviewers press "accept" on the same application
    application = _submitted(world)
    client.force_login(world.branch_n_reviewer)
    first = client.post(_url("application_accept", application), follow=True)
    assert _messages(first) == ["The materials were accepted for checking."]
    second = client.post(_url("application_accept", application), follow=True)
    [message] = _messages(second)
    assert "cannot be accepted" in message and "acted on it a moment ago" in message
    assert _state(application) == S.WITH_BRANCH


def test_return_needs_a_reason_which_the_lab_then_reads(client, world):
    # rule L-07: a return requires a reason
    application = _submitted(world)
    client.force_login(world.branch_n_reviewer)
    response = client.post(_url("application_return", application), {"comment": " "}, follow=True)
    assert _messages(response) == ["A reason is required (L-07)."]
    assert _state(application) == S.SUBMITTED
    client.post(_url("application_return", application), {"comment": "身份证复印件不清晰"})
    assert _state(application) == S.RETURNED
    client.force_login(world.lab_a_staff)
    assert (
        "身份证复印件不清晰" in client.get(_url("application_detail", application)).content.decode()
    )


def test_hire_without_entry_training_says_so(client, world):
    # rule L-09: entry training must be passed before the hire
    application = _submitted(world, "passed")
    client.force_login(world.training_admin)
    response = client.post(_url("application_hire", application), follow=True)
    assert any(m.startswith("L-09") for m in _messages(response))
    assert _state(application) == S.PASSED


# --- the page of an application (P-04) --------------------------------------------------------


def test_detail_shows_the_timeline_and_masks_the_id_number_for_lab_staff(client, world):
    # rule P-04, rule L-07: every step is on the timeline; lab staff never see the full number
    application = _submitted(world)
    liaison_application_accept(
        application=application, actor=world.branch_n_reviewer, comment="材料齐全"
    )
    person = application.person
    client.force_login(world.lab_a_staff)
    html = client.get(_url("application_detail", application)).content.decode()
    assert 'id="timeline-title"' in html and "材料齐全" in html
    assert person.id_number not in html and mask_id_number(person.id_number) in html
    # The branch centre checks the ID-card copy against it, so it sees the full number.
    client.force_login(world.branch_n_reviewer)
    assert person.id_number in client.get(_url("application_detail", application)).content.decode()


def test_the_page_offers_only_the_steps_the_user_may_take(client, world):
    # rule L-07
    application = _submitted(world)
    client.force_login(world.lab_a_staff)
    html = client.get(_url("application_detail", application)).content.decode()
    assert 'data-testid="action-withdraw"' in html and 'data-testid="action-accept"' not in html
    client.force_login(world.branch_n_reviewer)
    html = client.get(_url("application_detail", application)).content.decode()
    assert 'data-testid="action-accept"' in html and 'data-testid="action-return"' in html
    assert 'data-testid="action-withdraw"' not in html and 'data-testid="action-hire"' not in html


# --- the list: queues, filters, constant queries (P-04) ---------------------------------------


def test_the_list_makes_the_same_number_of_queries_for_3_or_30_rows(client, world):
    client.force_login(world.branch_n_reviewer)
    url = reverse("liaisons:application_list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.context["applications"])

    for _ in range(3):
        _submitted(world, fields=["CCC", "ROHS"])
    queries()  # the session's first page also remembers what it learnt once (second factor)
    few, rows = queries()
    assert rows == 3
    for _ in range(27):
        _submitted(world, fields=["CCC", "ROHS"])
    many, rows = queries()
    assert rows == 30
    assert many == few


def test_the_list_masks_id_numbers_and_shows_age(client, world):
    # rule P-04
    application = _submitted(world)
    LiaisonApplication.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=12)
    )
    client.force_login(world.branch_n_reviewer)
    response = client.get(reverse("liaisons:application_list"))
    html = response.content.decode()
    person = application.person
    assert person.name in html
    assert person.id_number not in html and mask_id_number(person.id_number) in html
    assert response.context["applications"][0]["age_days"] == 12


def test_each_role_sees_its_queue_by_default_and_can_widen_it(client, world):
    # rule L-07: branch: submitted and being checked; training centre: passed
    submitted = _submitted(world)
    returned = _submitted(world, "returned")
    passed = _submitted(world, "passed")
    url = reverse("liaisons:application_list")

    def shown(user, params=None):
        client.force_login(user)
        return {a["id"] for a in client.get(url, params or {}).context["applications"]}

    assert shown(world.branch_n_reviewer) == {submitted.pk}
    assert shown(world.branch_n_reviewer, {"state": ["returned", "passed"]}) == {
        returned.pk,
        passed.pk,
    }
    assert shown(world.training_admin) == {passed.pk}
    assert shown(world.lab_a_staff) == {submitted.pk, returned.pk, passed.pk}
    assert shown(world.branch_s_reviewer) == set()


def test_the_list_filters_by_name_field_lab_and_age(client, world):
    old = _submitted(world, fields=["ROHS"])
    LiaisonApplication.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=40)
    )
    new = _submitted(world, fields=["CCC"])
    client.force_login(world.branch_n_reviewer)
    url = reverse("liaisons:application_list")

    def shown(params):
        return {a["id"] for a in client.get(url, params).context["applications"]}

    assert shown({"q": new.person.name}) == {new.pk}
    assert shown({"field": "ROHS"}) == {old.pk}
    assert shown({"age": "30"}) == {old.pk}
    assert shown({"age": "7", "lab": world.lab_a.pk}) == {old.pk}
    # A lab outside the scope is not offered, and asking for it shows nothing.
    response = client.get(url, {"lab": world.lab_b.pk})
    assert response.context["filter"].errors and not response.context["applications"]


def test_dashboard_cards_show_each_roles_applications(client, world):
    # rule L-07
    application = _submitted(world)
    detail = _url("application_detail", application)
    client.force_login(world.branch_n_reviewer)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Applications to check" in html and detail in html
    client.force_login(world.branch_s_reviewer)
    assert detail not in client.get(reverse("dashboard")).content.decode()
    client.force_login(world.lab_a_staff)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Applications to finish" in html and reverse("liaisons:application_list") in html


# --- the whole path through the screens (L-02..L-08) ------------------------------------------


def test_create_upload_submit_accept_pass_hire_through_the_screens(client, world):
    # rule L-02, rule L-03, rule L-04, rule L-05, rule L-07, rule L-08, rule L-09
    id_number = build_id_number("110101", datetime.date(1990, 5, 17), 321)
    data = {
        "id_number": id_number,
        "name": "赵新",
        "political_status": "masses",
        "education": "bachelor",
        "major": "电气工程",
        "phone": "13800000001",
        "email": "zhao@example.cn",
        "work_unit": world.lab_a.name,
        "address": "北京市海淀区",
        "fields": ["CCC", "ROHS"],
        "work_started_on": "2015-07-01",
        "work_history": "2015-至今 检测工程师",
        "recommendation": "同意推荐",
        "lab_signatory": "王主任",
    }
    client.force_login(world.lab_a_staff)
    form = client.get(reverse("liaisons:application_new")).context["form"]
    assert [c[0] for c in form.fields["fields"].choices] == ["CCC", "ROHS"]  # lab A's scope
    response = client.post(reverse("liaisons:application_new"), data)
    application = LiaisonApplication.objects.get(person__id_number=id_number)
    assert response.status_code == 302 and response["Location"] == _url(
        "application_detail", application
    )
    assert id_number not in response["Location"]  # rule P-04

    update = {k: v for k, v in data.items() if k != "id_number"}
    response = client.post(
        _url("application_edit", application), {**update, "declaration_accepted": "on"}
    )
    assert response.status_code == 302

    rows = client.get(_url("application_assessment", application)).context["rows"]
    assert len(rows) == 5  # three prescribed items, then CCC and RoHS (L-04)
    signed = {}
    for entry, _form in rows:
        signed[f"entry-{entry.pk}-evaluation"] = "合格"
        signed[f"entry-{entry.pk}-signatory"] = "王主任"
        signed[f"entry-{entry.pk}-trained_on"] = "2026-01-10"
    assert client.post(_url("application_assessment", application), signed).status_code == 302

    for kind in MaterialKind.values:
        response = client.post(
            _url("application_materials", application), {"kind": kind, "file": pdf_upload()}
        )
        assert response.status_code == 302, kind
    assert application.materials.count() == 5

    response = client.post(_url("application_submit", application), follow=True)
    assert _messages(response)[-1] == "The application was submitted to the branch centre."
    assert _state(application) == S.SUBMITTED

    client.force_login(world.branch_n_reviewer)
    client.post(_url("application_accept", application), {"comment": "收到"})
    assert _state(application) == S.WITH_BRANCH
    application.person.refresh_from_db()
    assert application.person.user.username == id_number  # rule L-08
    client.post(_url("application_pass", application))
    assert _state(application) == S.PASSED

    TrainingEnrolmentFactory(person=application.person, passed=True)
    client.force_login(world.training_admin)
    response = client.post(_url("application_hire", application), follow=True)
    assert _state(application) == S.HIRED
    qualification = application.qualification
    assert reverse("liaisons:qualification_detail", args=[qualification.pk]) in (
        response.content.decode()
    )


def test_a_locked_name_cannot_be_changed_on_the_edit_page(client, world):
    # rule P-03: important data is locked once first submitted
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    liaison_application_return(
        application=application, actor=world.branch_n_reviewer, reason="补充材料"
    )
    client.force_login(world.lab_a_staff)
    form = client.get(_url("application_edit", application)).context["form"]
    assert form.fields["name"].disabled
    data = {name: form[name].value() or "" for name in form.fields if name != "fields"}
    data.update(name="别的名字", fields=["CCC"], work_started_on="2015-07-01")
    assert client.post(_url("application_edit", application), data).status_code == 302
    application.person.refresh_from_db()
    assert application.person.name != "别的名字"


# --- languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["Applications to check", "Testing lab"]), ("zh-hans", ["签约检测机构"])],
)
def test_the_screens_work_in_english_and_chinese(client, world, language, expected):
    application = _submitted(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(world.branch_n_reviewer)
    for url in (reverse("liaisons:application_list"), _url("application_detail", application)):
        response = client.get(url)
        assert response.status_code == 200
    html = client.get(reverse("liaisons:application_list")).content.decode()
    assert all(text in html for text in expected)
