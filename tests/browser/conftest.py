"""Browser tests: Playwright drives Debian's Chromium against the live test server.

Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
inside one unless told that it is safe, which it is here (one thread, no real async).
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.launch import launch_options

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options())
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1366, "height": 768}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    def do_login(user, password="Mot-de-passe-test-2026"):
        page.goto("/connexion/")
        page.get_by_label("Adresse e-mail").fill(user.email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")
        return page

    return do_login
