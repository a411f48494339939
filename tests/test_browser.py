"""The portal in a real browser: Playwright (sync API) driving Debian's Chromium.

Never downloads a browser: it uses /usr/bin/chromium and skips when that is missing. The
live server shares the test database, so the data is made with ``transaction=True`` and
``serialized_rollback=True`` (the ten certification fields of the data migration come back
after each flush).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from directory.demo import DEMO_PASSWORD, seed_directory
from directory.models import Person

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"
TIMEOUT_MS = 15_000

#: 张伟, the demo person who has an account, with the check character typed in lower case.
PERSON_ID_NUMBER_TYPED = "11010519850307006x"
PERSON_ID_NUMBER = "11010519850307006X"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    """One Chromium for the module.

    Playwright's sync API leaves an event loop running in this thread, and Django's
    connection handler (an asgiref ``Local``) then hands out fresh connection objects: ones
    without the serialized test data that ``serialized_rollback`` restores, and, on SQLite,
    not the in-memory connection the live server must share. So the connections the test
    database was set up on are kept in use while the browser runs.
    """
    with django_db_blocker.unblock():
        wrappers = {alias: connections[alias] for alias in connections}
    with sync_api.sync_playwright() as playwright:
        for alias, wrapper in wrappers.items():
            connections[alias] = wrapper
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        for alias in wrappers:
            del connections[alias]


@pytest.fixture
def page(browser, live_server):
    # A browser set to Chinese, as the portal's users' are; every test starts signed out.
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo():
    return seed_directory()


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("身份证号或用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.exists()
    assert path.stat().st_size > 10 * 1024, f"{path} is suspiciously small"
    return path


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
