"""What every browser test shares: Playwright (sync API) driving Debian's Chromium.

A pytest plugin, loaded by the root ``conftest.py``: the fixtures ``browser``, ``page`` and
``as_user`` are there for every test module, which marks itself with ``BROWSER_MARKS``. It
never downloads a browser: the tests skip when /usr/bin/chromium (or Playwright) is missing.
The live server runs in this process and shares the test database, so browser tests use
``transaction=True`` and ``serialized_rollback=True`` (the ten certification fields of the
data migration come back after each flush).
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from directory.demo import DEMO_PASSWORD

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
VIEWPORT = {"width": 1280, "height": 900}

BROWSER_MARKS = [
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
    database was set up on are kept in use while the browser runs. Django refuses ORM calls
    from a thread with a running event loop unless told it is safe, as it is here: the loop
    is Playwright's, and the ORM is called synchronously between its steps.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    with django_db_blocker.unblock():
        wrappers = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            for alias, wrapper in wrappers.items():
                connections[alias] = wrapper
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            for alias in wrappers:
                del connections[alias]


def new_page(browser, live_server, *, locale: str = "zh-CN"):
    """A page in a fresh context (no cookies), set to Chinese as the portal's users' are."""
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A page signed out, in Chinese."""
    page = new_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture
def as_user(browser, live_server) -> Iterator[Callable]:
    """``as_user(username, password=...)``: a page of its own, signed in as that user."""
    pages = []

    def open_as(username: str, password: str = DEMO_PASSWORD):
        page = new_page(browser, live_server)
        pages.append(page)
        sign_in(page, username, password)
        return page

    yield open_as
    for page in pages:
        page.context.close()


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


def tab_to(page, element_id: str, *, limit: int = 80) -> None:
    """Press Tab until the element is focused, as a keyboard user moves through the page."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} never got the focus with Tab")
