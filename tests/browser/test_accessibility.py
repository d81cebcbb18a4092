"""Every kind of page, at desktop and phone widths, passes axe-core's WCAG 2.1 A and AA rules
(no serious or critical finding) and shows a focus ring of at least 3:1 on every control.

Walks the demo organisation (tests/browser/page_kinds.py), whose pages hold realistic
amounts of everything.
"""

from __future__ import annotations

import pytest

from tests.browser.a11y import blocking_findings, faint_focus_rings
from tests.browser.page_kinds import by_viewer, signed_in_page

pytestmark = pytest.mark.slow
WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


def test_no_page_kind_has_a_serious_accessibility_finding(browser, live_server, demo_page_kinds):
    # Django's admin is Django's own markup and styles (its filter and autocomplete widgets,
    # a 1 px focus outline), for staff only: it is not one of our page kinds here. Nor is
    # the API documentation: Swagger UI's own markup (method badges below 4.5:1, buttons
    # inside its expandable rows), for developers; the CSP walk still covers it.
    theirs = ("/admin/", "/api/v1/docs")
    ours = [kind for kind in demo_page_kinds if not kind.path.startswith(theirs)]
    assert len(ours) >= 49
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
