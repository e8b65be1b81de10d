"""Playwright driving Debian's Chromium against a live node (never a downloaded browser).

Registered once as a plugin from tests/conftest.py: a browser fixture defined (or imported) in
two places would start two Playwright instances in one event loop, which Playwright refuses.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CORRIDOR_REQUIRE_BROWSER") == "1":
            pytest.fail("Debian's chromium is required (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 600})
    page = context.new_page()
    yield page
    context.close()


def login(page, base_url: str, username: str, password: str) -> None:
    """Sign in and wait for the page the form leads to (home, the second factor, or the error)."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    follow(page, page.locator("button[type=submit]"))


def follow(page, target) -> None:
    """Click a link or a submit button and wait until the page it leads to has loaded.

    `click()` returns before the navigation it starts, and `wait_for_load_state()` then answers
    for the page being left; whatever the test reads next (the page, or the database the POST
    writes) would race the server.
    """
    with page.expect_navigation():
        target.click()
