"""Two-step sign-in in a real browser (issue 9): a decider enrols at the first sign-in and
passes the second step at the next one. Fixtures and helpers are tests/browser.py's."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from directory.demo import seed_directory
from tests.browser import BROWSER_MARKS, screenshot, sign_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = BROWSER_MARKS


@pytest.fixture
def demo():
    return seed_directory()


def _code_for(secret_text: str, *, step: int = 0) -> str:
    key = b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    return f"{totp(key, drift=step):06d}"


@pytest.fixture
def required(settings):
    # The live server runs in this process: it reads the same settings.
    settings.SECOND_FACTOR_REQUIRED = True


def test_a_decider_enrols_at_first_sign_in_and_verifies_at_the_next(
    page, live_server, demo, required
):
    sign_in(page, "training")
    expect(page.get_by_role("heading", level=1)).to_have_text("设置两步登录")
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    screenshot(page, "two-step-enrol-zh.png")
    # Nothing else is reachable before the second step.
    page.goto("/directory/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("设置两步登录")

    secret = page.get_by_test_id("otp-secret").inner_text()
    page.get_by_label("验证码").fill(_code_for(secret))
    page.get_by_role("button", name="确认").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    screenshot(page, "two-step-recovery-codes-zh.png")
    page.get_by_role("link", name="已妥善保存，继续").click()
    # On to the page last asked for.
    expect(page).to_have_url(f"{live_server.url}/directory/people/")

    page.get_by_role("button", name="退出登录").click()
    sign_in(page, "training")
    expect(page.get_by_role("heading", level=1)).to_have_text("两步登录")
    page.get_by_label("验证码").fill(_code_for(secret, step=1))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("工作台")
    page.get_by_role("link", name="两步登录").click()
    expect(page.locator("main")).to_contain_text("已开启")
