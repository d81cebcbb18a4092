"""Every kind of page, at desktop and phone widths, passes axe-core's WCAG 2.1 A and AA rules
(no serious or critical finding) and shows a focus ring of at least 3:1 on every control.

Walks the demo organisation (tests/browser/page_kinds.py), whose pages hold realistic
amounts of everything.
"""

from __future__ import annotations

import pytest

from tests.browser.a11y import blocking_findings, faint_focus_rings
from tests.browser.page_kinds import build_demo, page_kinds
from tete.demo.people import DEMO_PASSWORD

pytestmark = pytest.mark.slow
WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


@pytest.fixture
def kinds(transactional_db):
    build_demo()
    return page_kinds()


def test_no_page_kind_has_a_serious_accessibility_finding(browser, live_server, kinds):
    assert len(kinds) >= 49
    findings: list[str] = []
    for viewport in WIDTHS:
        pages = {}  # one signed-in browser context per persona and width
        for kind in kinds:
            if kind.persona not in pages:
                pages[kind.persona] = _page_for(browser, live_server, kind.email, viewport)
            page = pages[kind.persona]
            response = page.goto(live_server.url + kind.path)
            assert response is not None and response.status == kind.status, kind
            where = f"{kind.name} ({kind.path}, {viewport['width']} px)"
            findings += blocking_findings(page, where)
            findings += faint_focus_rings(page, where)
        for page in pages.values():
            page.context.close()
    assert not findings, f"{len(findings)} accessibility findings:\n" + "\n".join(findings)


def _page_for(browser, live_server, email, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    if email:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")
    return page
