"""The portal in a real browser: Playwright (sync API) driving Debian's Chromium, with the
fixtures of ``tests/browser.py`` (never downloads a browser; skips without /usr/bin/chromium)."""

import re
from urllib.parse import urlsplit

import pytest

from directory.demo import DEMO_PASSWORD, seed_directory
from directory.models import Person
from tests.browser import BROWSER_MARKS, TIMEOUT_MS, VIEWPORT, screenshot, sign_in

expect = pytest.importorskip("playwright.sync_api").expect

#: 张伟, the demo person who has an account, with the check character typed in lower case.
PERSON_ID_NUMBER_TYPED = "11010519850307006x"
PERSON_ID_NUMBER = "11010519850307006X"

pytestmark = BROWSER_MARKS


@pytest.fixture
def demo():
    return seed_directory()


def test_reviewer_signs_in_and_switches_language(page, live_server, demo):
    page.goto("/accounts/login/")
    expect(page).to_have_title("登录 · CQC认证人员管理平台")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    sign_in(page, "reviewer.beijing")

    expect(page).to_have_url(f"{live_server.url}/")
    title = page.get_by_role("heading", level=1)
    expect(title).to_contain_text("工作台")
    expect(title).to_contain_text("分中心审核员")
    expect(title).to_contain_text("北京分中心")
    cards = page.get_by_test_id("dashboard")
    lab_card = cards.locator("section.card").filter(has_text="本分中心的签约检测机构")
    expect(lab_card.get_by_role("link", name="北京电器安全检测实验室")).to_be_visible()
    expect(lab_card.get_by_role("link", name="北京节能产品检测中心")).to_be_visible()
    expect(cards).not_to_contain_text("上海电子电器检测所")
    screenshot(page, "dashboard-reviewer-zh.png")

    expect(page.get_by_test_id("lang-en")).to_have_text("English")  # in its own name
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(title).to_contain_text("Dashboard")
    expect(title).to_contain_text("Branch-centre reviewer")
    expect(page.get_by_role("link", name="Testing labs of your branch centre")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, "dashboard-reviewer-en.png")

    expect(page.get_by_test_id("lang-zh-hans")).to_have_text("简体中文")
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(title).to_contain_text("工作台")
    expect(title).to_contain_text("分中心审核员")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def test_person_signs_in_with_lower_case_x_and_sees_own_id_number(page, live_server, demo):
    assert Person.objects.filter(id_number=PERSON_ID_NUMBER, user__isnull=False).exists()

    sign_in(page, PERSON_ID_NUMBER_TYPED)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("认证人员")
    expect(page.locator(".whoami")).to_contain_text("张伟")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="我的资料")).to_be_visible()
    expect(page.get_by_test_id("dashboard").get_by_role("link", name="我的资料")).to_be_visible()

    nav.get_by_role("link", name="我的资料").click()
    expect(page).to_have_url(f"{live_server.url}/directory/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的资料")
    id_cell = page.locator("dl.facts dd.mono").first
    expect(id_cell).to_have_text(PERSON_ID_NUMBER)


def test_sign_in_form_works_from_the_keyboard(page, live_server, demo):
    page.goto("/accounts/login/")
    username = page.get_by_label("身份证号或用户名")
    password = page.get_by_label("密码")
    expect(username).to_be_focused()  # autofocus

    page.keyboard.type("lab.beijing")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("检测机构经办人")


def test_lab_user_gets_404_for_a_person_of_another_lab(page, live_server, demo):
    stranger = Person.objects.get(name="刘洋")
    assert stranger.lab.name == "上海电子电器检测所"
    sign_in(page, "lab.beijing")
    expect(page).to_have_url(f"{live_server.url}/")

    response = page.goto(f"/directory/people/{stranger.pk}/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    expect(page.locator("main")).not_to_contain_text("刘洋")
    expect(page.locator("main")).not_to_contain_text("3101041992")


def test_liaison_journey_from_application_to_roster_and_coverage(browser, live_server, demo):
    # rule L-02, rule L-06, rule L-07, rule L-08, rule L-09, rule L-11
    import datetime

    from django.core import mail

    from directory.constants import Role
    from directory.idnumbers import build_id_number
    from directory.models import TestingLab, User
    from liaisons.models import LiaisonApplication, TrainingSession

    lab = TestingLab.objects.get(name="北京电器安全检测实验室")
    TrainingSession.objects.create(
        title="入门培训 第1期",
        mode="face_to_face",
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 1, 6),
        created_by=User.objects.get(username="training"),
    )
    id_number = build_id_number("110105", datetime.date(1992, 5, 5), 321)
    pdf = {
        "name": "scan.pdf",
        "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    }

    def as_user(username):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        sign_in(page, username)
        expect(page).to_have_url(f"{live_server.url}/")
        page.get_by_test_id("lang-en").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        return context, page

    def act(page, action, text=""):
        form = page.get_by_test_id(f"action-{action}")
        if text:
            form.locator("textarea").fill(text)
        form.locator("button[type=submit]").click()

    # The lab sees the gap in its coverage before anyone is hired (L-06).
    lab_context, lab_page = as_user("lab.beijing")
    lab_page.goto(f"/directory/labs/{lab.pk}/")
    expect(lab_page.get_by_test_id("coverage")).to_contain_text("CCC")
    expect(lab_page.get_by_test_id("coverage-gaps")).to_be_visible()

    # The lab prepares the application with the applicant (L-02..L-05).
    lab_page.goto("/liaisons/applications/new/")
    lab_page.get_by_label("ID number").fill(id_number)
    lab_page.locator("#id_name").fill("周杰")
    lab_page.get_by_label("Political status").select_option("masses")
    lab_page.get_by_label("Education").select_option("bachelor")
    lab_page.get_by_label("Major").fill("电气工程")
    lab_page.get_by_label("Phone").fill("13800001234")
    lab_page.get_by_label("E-mail").fill("zhoujie@example.cn")
    lab_page.get_by_label("Work unit").fill(lab.name)
    lab_page.get_by_label("Address").fill("北京市海淀区学院路 1 号")
    for field in ("CCC", "CQC mark", "RoHS", "PSE"):
        lab_page.get_by_label(field, exact=True).check()
    lab_page.get_by_label("Working since").fill("2015-07-01")
    lab_page.get_by_label("Work history").fill("2015-至今 检测工程师")
    lab_page.get_by_label("The lab's recommendation").fill("同意推荐")
    lab_page.get_by_label("Signed for the lab by").fill("王主任")
    lab_page.get_by_role("button", name="Save").click()
    application = LiaisonApplication.objects.get(person__id_number=id_number)
    expect(lab_page).to_have_url(f"{live_server.url}/liaisons/applications/{application.pk}/")

    lab_page.goto(f"/liaisons/applications/{application.pk}/edit/")
    lab_page.get_by_label(
        "The applicant has signed the impartiality and confidentiality declaration"
    ).check()
    lab_page.get_by_role("button", name="Save").click()

    lab_page.goto(f"/liaisons/applications/{application.pk}/assessment/")
    for box in lab_page.locator("input[name$='-evaluation']").all():
        box.fill("合格")
    for box in lab_page.locator("input[name$='-signatory']").all():
        box.fill("王主任")
    lab_page.get_by_role("button", name="Save").click()

    lab_page.goto(f"/liaisons/applications/{application.pk}/materials/")
    for index in range(5):
        row = lab_page.locator("form.material-upload").nth(index)
        row.locator("input[type=file]").set_input_files(pdf)
        row.locator("button[type=submit]").click()
        expect(lab_page.locator("form.material-upload").nth(index)).to_be_visible()
    expect(lab_page.locator(".material--missing")).to_have_count(0)
    lab_page.goto(f"/liaisons/applications/{application.pk}/")
    act(lab_page, "submit")
    expect(lab_page.locator("main")).to_contain_text("Submitted to the branch centre")
    screenshot(lab_page, "journey-1-submitted.png")

    # The branch centre accepts the materials, then returns them with a reason (L-07, L-08).
    branch_context, branch_page = as_user("reviewer.beijing")
    branch_page.goto("/liaisons/applications/")
    branch_page.get_by_role("link", name="周杰").click()
    act(branch_page, "accept")
    expect(branch_page.locator("main")).to_contain_text("Being checked by the branch centre")
    # L-08 (issue 11): accepting opened the applicant's account, username = ID number, with
    # no password, and mailed a set-password link (never the ID number) to the address the
    # application gives. The live server runs in this process: its mail is in mail.outbox.
    account = User.objects.get(username=id_number)
    assert account.role == Role.PERSON and not account.has_usable_password()
    assert Person.objects.get(id_number=id_number).user == account

    def account_mails():
        # The demo data mailed its own accounts' links before; only the applicant's count.
        return [m for m in mail.outbox if m.to == ["zhoujie@example.cn"]]

    assert len(account_mails()) == 1
    assert "/accounts/reset/" in account_mails()[0].body
    assert id_number not in account_mails()[0].body + account_mails()[0].subject  # rule P-04
    link = re.search(r"https?://\S+/accounts/reset/\S+/", account_mails()[0].body).group(0)
    act(branch_page, "return", "声明未手签")
    expect(branch_page.locator("main")).to_contain_text("声明未手签")

    # The lab fixes it and submits again.
    lab_page.goto(f"/liaisons/applications/{application.pk}/")
    expect(lab_page.locator("main")).to_contain_text("声明未手签")
    lab_page.goto(f"/liaisons/applications/{application.pk}/materials/")
    declaration = lab_page.locator("form.material-upload").nth(2)
    declaration.locator("input[type=file]").set_input_files(pdf)
    declaration.locator("button[type=submit]").click()
    lab_page.goto(f"/liaisons/applications/{application.pk}/")
    act(lab_page, "submit", "已重新上传手签声明")
    expect(lab_page.locator("main")).to_contain_text("Submitted to the branch centre")

    # The branch passes it to the training centre.
    branch_page.goto(f"/liaisons/applications/{application.pk}/")
    act(branch_page, "accept")
    # The second acceptance keeps the account and mails no second link (L-08).
    assert User.objects.filter(username=id_number).count() == 1
    assert len(account_mails()) == 1
    act(branch_page, "pass")
    expect(branch_page.locator("main")).to_contain_text("Passed to the training centre")

    # The training centre records the entry-training pass (L-09) and hires.
    training_context, training_page = as_user("training")
    session = TrainingSession.objects.get()
    training_page.goto(f"/liaisons/training/{session.pk}/")
    training_page.get_by_role("button", name="Enrol").first.click()
    training_page.get_by_role("button", name="Passed").first.click()
    training_page.goto(f"/liaisons/applications/{application.pk}/")
    act(training_page, "hire")
    expect(training_page.locator("main")).to_contain_text("Hired")
    screenshot(training_page, "journey-2-hired.png")

    application.person.refresh_from_db()
    number = application.person.employment_number
    assert number

    # The public roster shows the new liaison with the employment number (L-11), signed out.
    public = browser.new_context(base_url=live_server.url, locale="zh-CN")
    public_page = public.new_page()
    public_page.goto("/liaisons/roster/?name=周杰")
    expect(public_page.locator("main")).to_contain_text(number)
    expect(public_page.locator("main")).not_to_contain_text(id_number)
    screenshot(public_page, "journey-3-roster-zh.png")

    # And the lab's coverage gap is closed (L-06).
    lab_page.goto(f"/directory/labs/{lab.pk}/")
    expect(lab_page.get_by_test_id("coverage-gaps")).to_have_count(0)
    screenshot(lab_page, "journey-4-coverage.png")
    # The applicant follows the mailed link, chooses a password and signs in with the ID
    # number (L-08, P-01): the link works.
    applicant = browser.new_context(base_url=live_server.url, locale="zh-CN")
    applicant.set_default_timeout(TIMEOUT_MS)
    applicant_page = applicant.new_page()
    applicant_page.goto(urlsplit(link).path)
    applicant_page.locator("#id_new_password1").fill("Zhou-jie-2026-portal")
    applicant_page.locator("#id_new_password2").fill("Zhou-jie-2026-portal")
    applicant_page.locator("main form button[type=submit]").click()
    expect(applicant_page).to_have_url(f"{live_server.url}/accounts/reset/done/")
    sign_in(applicant_page, id_number, "Zhou-jie-2026-portal")
    expect(applicant_page).to_have_url(f"{live_server.url}/")
    expect(applicant_page.locator(".whoami")).to_contain_text("周杰")
    for context in (lab_context, branch_context, training_context, public, applicant):
        context.close()
