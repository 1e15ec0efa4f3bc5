"""Browser fixtures shared by the Playwright tests: Debian's Chromium, a fresh page per test.

Loaded as a pytest plugin from tests/conftest.py. Nothing downloads a browser: Chromium is
/usr/bin/chromium, started with the flags this machine needs.
"""

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).parent / "artifacts"
WAIT_SECONDS = 10.0


@pytest.fixture
def browser(monkeypatch) -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe, so Django's async guard is lifted for these tests only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser: Browser) -> Page:
    """A page in a context of its own (its own cookies: another person at another desk)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(WAIT_SECONDS * 1000)
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    return page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    before = set(threading.enumerate())
    page = new_page(browser)
    yield page
    page.context.close()
    # The live server serves each browser connection in a thread that holds a database
    # connection until the browser hangs up: let those end before the database is reset.
    for thread in set(threading.enumerate()) - before:
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=5)
    # While Playwright's loop runs, Django keeps this thread's connection per context, out of
    # pytest-django's reach: close it here.
    connections.close_all()
