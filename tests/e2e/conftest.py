"""Browser tests: Playwright drives Debian's Chromium against a live server.

Each public page gets axe-core (from npm, node_modules/axe-core) injected; a page passes
with no violation of impact serious or critical.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the live server's database
# calls happen in the test thread too (fixtures), which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Every module here sets `pytestmark = E2E`: the live server sees committed data, and the
# migrations' data (courts, home page, groups) is restored after each test from a
# serialized copy of the database.
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not installed at {CHROMIUM} (make test installs Debian's chromium)"
        if os.environ.get("PORTAL_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs the test code in a greenlet with its own context, where
    # Django's context-local connections are new objects: carry over the serialized
    # migration data so that serialized rollback still restores courts, pages, groups.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile per test: no cookies, no localStorage."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(live_server, demo_content):
    """The demo portal served by a live server; returns its base URL."""
    return live_server.url


@pytest.fixture
def assert_accessible():
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run `npm ci` (make test does)")

    def check(page):
        # Evaluated through the DevTools protocol, not as a <script> tag: the site's
        # Content-Security-Policy (script-src 'self') rightly refuses injected inline scripts.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        report = "\n".join(
            f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])}×: "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in serious
        )
        assert not serious, f"axe-core found on {page.url}:\n{report}"
        return result

    return check


# What the browser journeys type in: none of it may reach a log line (issue 8).
PERSONAL_DATA = ("11010519491231002X", "110105194912310021", "13912345678", "欧阳娜娜", "买买提·艾力", "娜娜")


@pytest.fixture(autouse=True)
def no_personal_data_in_logs(caplog):
    """Every log record of the live server and the test (same process) at the production
    level (INFO), checked after each journey for the ID numbers, phones and names it used."""
    import logging

    caplog.set_level(logging.INFO)
    yield
    leaked = [value for value in PERSONAL_DATA if value in caplog.text]
    assert not leaked, f"personal data in the logs: {leaked}"
