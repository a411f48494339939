"""The login-right screens: lists cut to each role's scope with filters and exports, an
account's page with its timeline, the request's steps, the import's upload, preview and
confirmation; Chinese first, English second; no answer is a 5xx (A-01, A-02, A-06, P-04)."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access_audit.constants import LoginRightState, RightRequestState
from access_audit.models import LoginRight, LoginRightRequest
from access_audit.services import requests as services
from access_audit.tests.conftest import change_qualification
from access_audit.tests.factories import LoginRightFactory, LoginRightRequestFactory
from directory.constants import Role
from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ZH, EN = "zh-hans", "en"


@pytest.fixture
def rights(world):
    """An account of lab A's person A, of lab B's person B, and one of lab A matching nobody."""
    return (
        LoginRightFactory(person=world.person_a, username="cbs-jia"),
        LoginRightFactory(person=world.person_b, username="cbs-yi"),
        LoginRightFactory(unmatched=True, username="cbs-nobody", lab=world.lab_a),
    )


def _usernames(response) -> set[str]:
    return {right.username for right in response.context["rights"]}


def _get(client, user, name, *args, language=ZH, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE=language)


# --- the list, by role -----------------------------------------------------------------------


def test_each_role_sees_the_accounts_of_its_scope(client, world, departments, rights):
    # rule A-01: lab staff their lab's, a branch its labs', the departments and the training
    # centre all; lab A cannot see lab B's people
    everything = {"cbs-jia", "cbs-yi", "cbs-nobody"}
    expected = {
        world.lab_a_staff: {"cbs-jia", "cbs-nobody"},
        world.lab_b_staff: {"cbs-yi"},
        world.branch_n_reviewer: {"cbs-jia", "cbs-nobody"},
        world.branch_s_reviewer: {"cbs-yi"},
        world.training_admin: everything,
        departments.quality_tech: everything,
        departments.general_business: everything,
        world.evaluator: set(),
        world.body_x_admin: set(),
        world.inspector: set(),
    }
    for user, usernames in expected.items():
        response = _get(client, user, "access_audit:right_list")
        assert response.status_code == 200, user.username
        assert _usernames(response) == usernames, user.username


def test_a_person_sees_their_own_accounts(client, world, rights):
    # rule A-01
    account = UserFactory(username=world.person_a.id_number, role=Role.PERSON)
    world.person_a.user = account
    world.person_a.save(update_fields=["user"])
    assert _usernames(_get(client, account, "access_audit:right_list")) == {"cbs-jia"}


def test_the_list_masks_the_id_number_and_filters(client, world, departments, rights):
    # rule P-04
    jia, yi, nobody = rights
    LoginRightFactory(person=world.person_a, username="cbs-jia-old", revoked=True)
    response = _get(client, departments.general_business, "access_audit:right_list")
    page = response.content.decode()
    assert world.person_a.id_number not in page and world.person_a.masked_id_number in page
    by = lambda **params: _usernames(  # noqa: E731
        _get(client, departments.general_business, "access_audit:right_list", **params)
    )
    assert by(state="revoked") == {"cbs-jia-old"}
    assert by(follow_up="unmatched") == {"cbs-nobody"}
    assert by(lab=world.lab_b.pk) == {"cbs-yi"}
    assert by(q="cbs-j") == {"cbs-jia", "cbs-jia-old"}
    assert by(q=world.person_b.name) == {"cbs-yi"}


def test_the_follow_up_page_lists_the_unmatched_accounts(client, world, departments, rights):
    # rule A-02: accounts matching no person are listed, never dropped
    response = _get(client, departments.general_business, "access_audit:right_follow_up")
    assert response.status_code == 200
    assert _usernames(response) == {"cbs-nobody"}
    assert _usernames(_get(client, world.lab_b_staff, "access_audit:right_follow_up")) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"state": "<script>"},
        {"lab": "abc"},
        {"lab": "99999999999999999999"},
        {"page": "9999"},
        {"page": "-1"},
        {"follow_up": "x" * 5000},
        {"q": "ü" * 5000},
    ],
)
def test_hostile_filters_never_answer_5xx(client, world, departments, rights, params):
    for name in ("access_audit:right_list", "access_audit:request_list"):
        response = _get(client, departments.general_business, name, **params)
        assert response.status_code in (200, 404), (name, params)
    for name in ("access_audit:right_export_csv", "access_audit:request_export_xlsx"):
        assert _get(client, world.lab_a_staff, name, **params).status_code == 200


# --- exports ---------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_is_the_filtered_scope_with_formulas_neutralised(client, world, rights):
    # rule P-04: the ID number masked; no cell a live formula (issue 9)
    jia = rights[0]
    jia.name = '=HYPERLINK("http://evil","点我")'
    jia.save()
    response = _get(client, world.lab_a_staff, "access_audit:right_export_csv", language=EN)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="login-rights-')
    header, *rows = _csv_rows(response)
    assert header[:3] == ["Business-system username", "ID number", "Name in the business system"]
    assert {row[0] for row in rows} == {"cbs-jia", "cbs-nobody"}  # not lab B's
    row = next(r for r in rows if r[0] == "cbs-jia")
    assert row[1] == world.person_a.masked_id_number
    assert row[2].startswith("'=")
    filtered = _get(
        client, world.lab_a_staff, "access_audit:right_export_csv", follow_up="unmatched"
    )
    assert [r[0] for r in _csv_rows(filtered)[1:]] == ["cbs-nobody"]


def test_the_xlsx_export_opens_in_chinese(client, world, departments, rights):
    response = _get(client, departments.quality_tech, "access_audit:right_export_xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "业务系统用户名"
    assert len(values) == 4


def test_the_request_export(client, world, departments, hired):
    # rule A-02
    services.login_right_request_submit(
        person=world.person_a, username="cbs-jia", actor=world.lab_a_staff
    )
    LoginRightRequestFactory(person=world.person_b)
    response = _get(client, world.lab_a_staff, "access_audit:request_export_csv")
    assert [row[0] for row in _csv_rows(response)[1:]] == [world.person_a.name]


# --- an account's page -----------------------------------------------------------------------


def test_an_accounts_page_shows_its_timeline_its_feed_and_its_requests(
    client, world, departments, hired
):
    # rule A-01, rule A-06: suspended by the qualification's change, granted again on request
    right = LoginRightFactory(person=world.person_a, username="cbs-jia")
    change_qualification(hired[0], "suspend", world.training_admin, reason="连续三次差评")
    change_qualification(hired[0], "reinstate", world.training_admin, reason="整改到位")
    request = services.login_right_request_submit(
        person=world.person_a, username="cbs-jia", actor=world.lab_a_staff
    )
    services.login_right_request_accept(request=request, actor=departments.quality_tech)
    services.login_right_request_grant(request=request, actor=departments.general_business)
    response = _get(client, world.lab_a_staff, "access_audit:right_detail", right.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert [c.state for c in response.context["changes"]] == ["active", "suspended"]
    assert [c.rule for c in response.context["changes"]] == ["A-02", "A-01"]
    whats = [entry.what for entry in response.context["timeline"]]
    assert "有效 → 已暂停" in whats and "已暂停 → 有效" in whats
    assert "连续三次差评" in page
    assert response.context["requests"] == [request]
    assert world.person_a.id_number not in page  # rule P-04: lab staff see it masked


def test_the_full_id_number_is_for_the_general_business_dept(client, world, departments, rights):
    # rule P-04
    nobody = rights[2]
    page = _get(client, departments.general_business, "access_audit:right_detail", nobody.pk)
    assert nobody.id_number in page.content.decode()
    page = _get(client, departments.quality_tech, "access_audit:right_detail", nobody.pk)
    assert nobody.id_number not in page.content.decode()


def test_another_labs_account_answers_404(client, world, rights):
    # rule A-01: lab A cannot see lab B's people
    assert (
        _get(client, world.lab_a_staff, "access_audit:right_detail", rights[1].pk).status_code
        == 404
    )


# --- requests --------------------------------------------------------------------------------


def test_lab_staff_apply_through_the_form(client, world, hired):
    # rule A-02
    client.force_login(world.lab_a_staff)
    form = client.get(reverse("access_audit:request_create"))
    assert form.status_code == 200
    assert set(form.context["form"].fields["person"].queryset) == {world.person_a}
    response = client.post(
        reverse("access_audit:request_create"),
        {"person": world.person_a.pk, "username": "cbs-jia", "comment": "新聘"},
    )
    request = LoginRightRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("access_audit:request_detail", args=[request.pk])


@pytest.mark.parametrize(("language", "words"), [(ZH, "须先经聘用"), (EN, "must first be hired")])
def test_the_form_says_why_an_unqualified_person_cannot_apply(client, world, language, words):
    # rule A-01, rule A-02, rule L-07
    client.force_login(world.lab_a_staff)
    response = client.post(
        reverse("access_audit:request_create"),
        {"person": world.person_a.pk, "username": "cbs-jia"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and "A-01" in page and "L-07" in page
    assert not LoginRightRequest.objects.exists()


def test_lab_a_cannot_name_lab_bs_person(client, world, hired):
    # rule A-02
    client.force_login(world.lab_a_staff)
    response = client.post(
        reverse("access_audit:request_create"),
        {"person": world.person_b.pk, "username": "cbs-yi"},
    )
    assert response.status_code == 400  # not among the choices
    assert not LoginRightRequest.objects.exists()
    assert (
        client.get(
            reverse("access_audit:request_create"), {"person": world.person_b.pk}
        ).status_code
        == 404
    )


def test_a_person_applies_for_themself(client, world, hired):
    # rule A-02
    account = UserFactory(username=world.person_a.id_number, role=Role.PERSON)
    world.person_a.user = account
    world.person_a.save(update_fields=["user"])
    client.force_login(account)
    assert "person" not in client.get(reverse("access_audit:request_create")).context["form"].fields
    response = client.post(reverse("access_audit:request_create"), {"username": "cbs-jia"})
    assert response.status_code == 302
    assert LoginRightRequest.objects.get().submitted_by == account


@pytest.mark.parametrize("who", ["training_admin", "branch_n_reviewer", "evaluator"])
def test_who_does_not_apply_gets_403(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("access_audit:request_create")).status_code == 403
    assert client.post(reverse("access_audit:request_create"), {"username": "x"}).status_code == 403


def test_each_department_sees_its_step_and_takes_it(client, world, departments, hired):
    # rule A-02: the quality technology dept accepts, the general business dept grants
    request = services.login_right_request_submit(
        person=world.person_a, username="cbs-jia", actor=world.lab_a_staff
    )
    detail = reverse("access_audit:request_detail", args=[request.pk])
    assert _get(
        client, departments.quality_tech, "access_audit:request_detail", request.pk
    ).context["actions"] == ["accept", "refuse"]
    assert _get(client, world.lab_a_staff, "access_audit:request_detail", request.pk).context[
        "actions"
    ] == ["withdraw"]
    assert (
        _get(
            client, departments.general_business, "access_audit:request_detail", request.pk
        ).context["actions"]
        == []
    )
    # A general business officer cannot accept; a quality technology officer cannot grant.
    client.force_login(departments.general_business)
    url = reverse("access_audit:request_accept", args=[request.pk])
    assert client.post(url, {"accept-comment": ""}).status_code == 403
    client.force_login(departments.quality_tech)
    response = client.post(url, {"accept-comment": "材料齐全"})
    assert response.status_code == 302 and response["Location"] == detail
    grant = reverse("access_audit:request_grant", args=[request.pk])
    assert client.post(grant, {"grant-comment": ""}).status_code == 403
    client.force_login(departments.general_business)
    assert client.post(grant, {"grant-comment": "已开通"}).status_code == 302
    request.refresh_from_db()
    assert request.state == RightRequestState.GRANTED
    assert LoginRight.objects.get().state == LoginRightState.ACTIVE
    # Granted twice: the second is told someone acted a moment ago, in words.
    response = client.post(grant, {"grant-comment": ""}, HTTP_ACCEPT_LANGUAGE=EN)
    assert response.status_code == 400
    assert "a moment ago" in response.content.decode()


def test_a_refusal_without_a_reason_is_sent_back(client, world, departments, hired):
    # rule A-02
    request = services.login_right_request_submit(
        person=world.person_a, username="cbs-jia", actor=world.lab_a_staff
    )
    client.force_login(departments.quality_tech)
    url = reverse("access_audit:request_refuse", args=[request.pk])
    assert client.post(url, {"refuse-reason": "  "}).status_code == 400
    assert client.post(url, {"refuse-reason": "长" * 1001}).status_code == 400
    assert client.post(url, {"refuse-reason": "缺少盖章申请函"}).status_code == 302
    request.refresh_from_db()
    assert request.state == RightRequestState.REFUSED


def test_lab_b_cannot_act_on_lab_as_request(client, world, hired):
    # rule A-02: 404 alike for missing and forbidden
    request = services.login_right_request_submit(
        person=world.person_a, username="cbs-jia", actor=world.lab_a_staff
    )
    client.force_login(world.lab_b_staff)
    for action in ("withdraw", "accept", "grant", "refuse"):
        url = reverse(f"access_audit:request_{action}", args=[request.pk])
        assert client.post(url, {}).status_code == 404
    assert client.get(reverse("access_audit:request_list")).context["requests"].count() == 0


# --- the import ------------------------------------------------------------------------------


def _upload(content: bytes, name="accounts.csv"):
    return SimpleUploadedFile(name, content)


def _file(world, *rows) -> bytes:
    lines = ["用户名,身份证号,姓名,实验室,最后登录日期,状态"]
    lines += [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_upload_preview_and_confirm(client, world, departments):
    # rule A-02: the preview writes nothing; the confirmation writes all
    content = _file(
        world,
        ("cbs-jia", world.person_a.id_number, "甲", world.lab_a.name, "2026-01-02", "正常"),
        ("cbs-nobody", "110105197907013016", "外部", world.lab_a.name, "", "正常"),
    )
    client.force_login(departments.general_business)
    assert client.get(reverse("access_audit:right_import")).status_code == 200
    preview = client.post(reverse("access_audit:right_import"), {"file": _upload(content)})
    assert preview.status_code == 200
    assert preview.context["report"].ok and not LoginRight.objects.exists()
    done = client.post(reverse("access_audit:right_import_confirm"))
    assert done.status_code == 302
    assert done["Location"] == reverse("access_audit:right_follow_up")
    assert set(LoginRight.objects.values_list("username", flat=True)) == {"cbs-jia", "cbs-nobody"}
    # The session's rows are used once.
    again = client.post(reverse("access_audit:right_import_confirm"))
    assert again.status_code == 302 and again["Location"] == reverse("access_audit:right_import")
    assert LoginRight.objects.count() == 2


def test_a_bad_file_shows_its_report_and_cannot_be_confirmed(client, world, departments):
    # rule A-02, rule P-01
    content = _file(
        world,
        ("cbs-jia", world.person_a.id_number, "甲", world.lab_a.name, "", "正常"),
        ("cbs-bad", "110105199003070061", "错", world.lab_a.name, "", "正常"),
    )
    client.force_login(departments.general_business)
    response = client.post(
        reverse("access_audit:right_import"), {"file": _upload(content)}, HTTP_ACCEPT_LANGUAGE=EN
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-row="3"' in page and "check digit" in page and 'data-row="2"' not in page
    assert client.post(reverse("access_audit:right_import_confirm")).status_code == 302
    assert not LoginRight.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02",
        b"PK\x03\x04garbage",
        "账号\n".encode(),
        b"a" * 100,
        "用户名,身份证号,姓名,实验室,最后登录日期,状态\n".encode() + b"\xff" * 50,
    ],
)
def test_garbage_uploads_answer_400_not_5xx(client, world, departments, content):
    client.force_login(departments.general_business)
    response = client.post(reverse("access_audit:right_import"), {"file": _upload(content)})
    assert response.status_code == 400
    assert not LoginRight.objects.exists()


@pytest.mark.parametrize("who", ["lab_a_staff", "training_admin", "branch_n_reviewer"])
def test_only_the_general_business_dept_reaches_the_import(client, world, departments, who):
    # rule A-02
    for user in (getattr(world, who), departments.quality_tech):
        client.force_login(user)
        assert client.get(reverse("access_audit:right_import")).status_code == 403
        assert client.post(reverse("access_audit:right_import_confirm")).status_code == 403


# --- languages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"), [(ZH, "业务系统登录权限"), (EN, "Login rights to the business system")]
)
def test_the_screens_speak_chinese_first_and_english(
    client, world, departments, rights, language, title
):
    page = _get(client, departments.general_business, "access_audit:right_list", language=language)
    assert title in page.content.decode()
    for name in (
        "access_audit:request_list",
        "access_audit:right_follow_up",
        "access_audit:right_import",
    ):
        assert (
            _get(client, departments.general_business, name, language=language).status_code == 200
        )


# --- the dashboard ---------------------------------------------------------------------------


def test_each_department_finds_its_step_on_the_dashboard(client, world, departments, hired):
    # rule A-02
    from django.utils import translation

    from directory.dashboard import cards_for

    submitted = services.login_right_request_submit(
        person=world.person_a, username="cbs-jia", actor=world.lab_a_staff
    )
    LoginRightFactory(unmatched=True, username="cbs-nobody", lab=world.lab_b)
    with translation.override(EN):
        quality = {c.title: c for c in cards_for(departments.quality_tech)}
        business = {c.title: c for c in cards_for(departments.general_business)}
    check = quality["Login-right requests to check"]
    assert check.count == 1 and check.items[0][1].endswith(f"/requests/{submitted.pk}/")
    assert business["Login rights to grant"].count == 0
    assert business["Accounts to follow up"].count == 1
    for user in (departments.quality_tech, departments.general_business):
        client.force_login(user)
        page = client.get(reverse("dashboard"))
        assert page.status_code == 200
        for card in page.context["cards"]:
            if card.url:
                assert client.get(card.url).status_code == 200, card.url
