"""Every kind of page, at desktop and phone widths, passes axe-core's WCAG 2.1 A and AA rules
(no serious or critical finding) and shows a focus ring of at least 3:1 on every control.

Walks the demo organisation (tests/browser/page_kinds.py), whose pages hold realistic
amounts of everything.
"""

from __future__ import annotations

import pytest

from tests.browser.a11y import blocking_findings, faint_focus_rings
from tests.browser.api_docs import DOCS, steps_of_use
from tests.browser.page_kinds import by_viewer, signed_in_page
from tete.api.actions import create_token

pytestmark = pytest.mark.slow
WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


def test_no_page_kind_has_a_serious_accessibility_finding(browser, live_server, demo_page_kinds):
    # Django's admin is Django's own markup and styles (its filter and autocomplete widgets,
    # a 1 px focus outline), for staff only: it is not one of our page kinds here. The API
    # documentation is (Swagger UI, with api/docs.css and api/docs.js over it); the test
    # below checks it once its operations are drawn, and with one open.
    ours = [kind for kind in demo_page_kinds if not kind.path.startswith("/admin/")]
    assert len(ours) >= 50 and any(kind.path == DOCS for kind in ours)
    findings: list[str] = []
    for viewport in WIDTHS:
        for viewer, kinds in by_viewer(ours).items():
            context, page = signed_in_page(browser, live_server, viewer, viewport=viewport)
            for kind in kinds:
                response = page.goto(live_server.url + kind.path)
                assert response is not None and response.status == kind.status, kind
                where = f"{kind.name} ({kind.path}, {viewport['width']} px)"
                findings += blocking_findings(page, where)
                findings += faint_focus_rings(page, where)
            context.close()
    assert not findings, f"{len(findings)} accessibility findings:\n" + "\n".join(findings)


@pytest.mark.parametrize("viewport", WIDTHS, ids=lambda viewport: f"{viewport['width']}px")
def test_the_api_documentation_has_no_serious_accessibility_finding(
    browser, live_server, db, viewport
):
    """Swagger UI draws the operations after the page has loaded, from the schema: checked once
    they are there, then with an operation open and its "Try it out" form showing."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + DOCS)
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() >= 30
    findings = blocking_findings(page, "API documentation")
    findings += faint_focus_rings(page, "API documentation")

    oneonones = page.locator("#operations-one-on-ones-tete_api_endpoints_oneonones_list_oneonones")
    oneonones.locator(".opblock-summary-control").click()
    oneonones.get_by_role("button", name="Try it out").click()
    oneonones.get_by_role("button", name="Execute").wait_for()
    where = "API documentation, the one-on-one list open to try out"
    findings += blocking_findings(page, where)
    findings += faint_focus_rings(page, where)
    context.close()
    assert not findings, f"{len(findings)} accessibility findings:\n" + "\n".join(findings)


@pytest.mark.parametrize("viewport", WIDTHS, ids=lambda viewport: f"{viewport['width']}px")
def test_the_api_documentation_in_use_has_no_serious_accessibility_finding(
    browser, live_server, alice, meeting, viewport
):
    """Checked at each step of trying the API out: authorising with a token, a GET executed
    (the curl command, the highlighted response and its buttons), a POST's body to edit and
    executed."""
    secret = create_token(alice, name="Documentation", can_write=True).secret
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    findings: list[str] = []
    for step in steps_of_use(page, live_server, secret, meeting.pk):
        where = f"API documentation, {step}"
        findings += blocking_findings(page, where)
        findings += faint_focus_rings(page, where)
    context.close()
    assert not findings, f"{len(findings)} accessibility findings:\n" + "\n".join(findings)
