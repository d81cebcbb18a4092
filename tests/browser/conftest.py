"""Real-browser tests drive Debian's Chromium (never a downloaded browser).

Without Chromium they skip with the reason, except under CI=true, where that is a failure.
Screenshots of failing tests land in test-results/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Every kind of page on the demo organisation, for the checks that walk them all.
from tests.browser.page_kinds import demo_page_kinds  # noqa: F401 (a fixture)

CHROMIUM = os.environ.get("TETE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        reason = (
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium) to run the browser tests"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def playwright(playwright):
    """Playwright, and the test thread's database connections closed before it stops.

    Between calls, Playwright's sync API leaves its event loop marked as running in the test
    thread, for as long as it lives (the whole session). While a loop runs in a thread,
    Django keeps that thread's connections in a separate, context-local set, so every test
    that runs meanwhile (also the tests outside tests/browser that come after these) opens
    its connection there. Once Playwright stops, Django's own teardown sees the thread's
    first set again: it would close only the connection from before Playwright started and
    fail to drop the test database while the other one stays open. So close them here,
    while they are still in sight.
    """
    yield playwright
    from django.db import connections

    connections.close_all()


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in item.funcargs:
        RESULTS.mkdir(exist_ok=True)
        item.funcargs["page"].screenshot(path=str(RESULTS / f"{item.name}.png"), full_page=True)


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, person) signs in through the real form."""
    from tests.conftest import PASSWORD

    def _sign_in(page, person):
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email").fill(person.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")

    return _sign_in
