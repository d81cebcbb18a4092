"""Every kind of page works under the Content-Security-Policy as the app sends it: Chromium
enforces it, and any violation (a blocked inline script, style, handler or eval), any error
about the Permissions-Policy header and any uncaught script error fails the test.

The pages are those of tests/browser/page_kinds.py, on the demo organisation; a few htmx
exchanges (content swapped into a page) are exercised too.
"""

from __future__ import annotations

import pytest

from tests.browser.api_docs import steps_of_use
from tests.browser.page_kinds import ALICE, by_viewer, signed_in_page
from tete.api.actions import create_token

pytestmark = pytest.mark.slow

# Collects every violation the page reports, from before its first script runs.
LISTEN = """
window.__policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__policyViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ` +
    `${event.sourceFile || "the page"}:${event.lineNumber}`
  );
});
"""
READ = "() => new Promise((done) => setTimeout(() => done(window.__policyViolations), 50))"
CONSOLE_PROBLEMS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


class Watch:
    """What a page reported: console messages about the policies, uncaught errors."""

    def __init__(self, page) -> None:
        self.where = "?"
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.where}: {error}"))

    def _console(self, message) -> None:
        if any(word in message.text for word in CONSOLE_PROBLEMS):
            self.problems.append(f"{self.where}: console {message.type}: {message.text}")

    def read(self, page) -> None:
        self.problems += [f"{self.where}: {v}" for v in page.evaluate(READ)]


def test_every_page_kind_works_under_the_policy(browser, live_server, demo_page_kinds):
    problems = []
    wrong_status = []
    for viewer, kinds in by_viewer(demo_page_kinds).items():
        context, page = signed_in_page(browser, live_server, viewer)
        context.add_init_script(LISTEN)
        watch = Watch(page)
        for kind in kinds:
            watch.where = f"{kind.name} ({kind.path})"
            response = page.goto(live_server.url + kind.path)
            assert response is not None
            assert "'unsafe-inline'" not in response.headers["content-security-policy"]
            if response.status != kind.status:
                wrong_status.append((kind.name, response.status))
            watch.read(page)
        problems += watch.problems
        context.close()
    assert wrong_status == []
    assert problems == []


def test_content_htmx_swaps_in_works_under_the_policy(browser, live_server, demo_page_kinds):
    meeting = next(k for k in demo_page_kinds if k.name == "meeting ahead, agenda to drag")
    context, page = signed_in_page(browser, live_server, ALICE)
    context.add_init_script(LISTEN)
    watch = Watch(page)

    watch.where = "adding a talking point"
    page.goto(live_server.url + meeting.path)
    with page.expect_response(lambda r: "/talking-points/" in r.url):
        page.get_by_label("Add a talking point").fill("Team offsite")
        page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Team offsite").wait_for()
    watch.read(page)

    watch.where = "moving a talking point down"
    with page.expect_response(lambda r: "/move/" in r.url):
        page.get_by_role("button", name="Move down").first.click()
    watch.read(page)

    watch.where = "a form sent after its CSRF cookie went away"
    page.goto(live_server.url + "/people/me/")
    context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Save").first.click()
    page.get_by_role("heading", name="That form could not be sent").wait_for()
    watch.read(page)
    page.goto(live_server.url + "/")  # a fresh CSRF cookie for what follows

    watch.where = "filtering the people directory"
    page.goto(live_server.url + "/people/")
    with page.expect_response(lambda r: "/people/?" in r.url):
        page.get_by_label("Search").fill("Bob")
    page.wait_for_load_state()
    watch.read(page)

    context.close()
    assert watch.problems == []


def test_the_api_documentation_open_to_try_out_works_under_the_policy(browser, live_server, db):
    """Swagger UI draws more once an operation is open (its selects, the examples), and its
    stylesheet reaches for data: images there, which img-src 'self' refuses."""
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    watch = Watch(page)
    watch.where = "API documentation, an operation open to try out"
    page.goto(live_server.url + "/api/v1/docs")
    operation = page.locator("#operations-one-on-ones-tete_api_endpoints_oneonones_get_oneonone")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").wait_for()
    assert operation.locator("select").count() >= 1
    watch.read(page)
    context.close()
    assert watch.problems == []


def test_the_api_documentation_in_use_works_under_the_policy(browser, live_server, alice, meeting):
    """Authorising, executing a GET and a POST: Swagger UI draws the dialog, the curl command,
    the highlighted response and its copy buttons, whose icon its stylesheet takes from a
    data: image."""
    secret = create_token(alice, name="Documentation", can_write=True).secret
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    watch = Watch(page)
    for step in steps_of_use(page, live_server, secret, meeting.pk):
        watch.where = f"API documentation, {step}"
        watch.read(page)
    context.close()
    assert watch.problems == []


def test_the_watch_sees_what_the_policy_blocks(browser, live_server, db):
    """The check itself: a page with inline code, under the app's own header, is reported."""
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    header = page.goto(live_server.url + "/login/").headers["content-security-policy"]
    probe = live_server.url + "/probe/"
    page.route(
        probe,
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": header},
            body='<p style="color: red">x</p><script>document.title = "ran"</script>',
        ),
    )
    watch = Watch(page)
    watch.where = "probe"
    page.goto(probe)
    watch.read(page)
    title = page.title()
    context.close()
    assert title != "ran"
    reported = " ".join(watch.problems)
    assert "style-src-attr blocked inline" in reported
    assert "script-src-elem blocked inline" in reported
