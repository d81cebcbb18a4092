"""A person's use of the API documentation page (/api/v1/docs), step by step, for the checks
that hold at each step (accessibility, the Content-Security-Policy).

Swagger UI draws more as it is used: the authorisation dialog, the curl command and the
response with its highlighted code after "Execute", a request body to edit.
"""

from __future__ import annotations

from collections.abc import Iterator

DOCS = "/api/v1/docs"
ME = "#operations-one-on-ones-tete_api_endpoints_oneonones_me"
ADD_TALKING_POINT = (
    "#operations-agenda_and_action_items-tete_api_endpoints_agenda_add_talking_point"
)


def _execute(operation) -> None:
    operation.get_by_role("button", name="Execute").click()
    operation.locator(".live-responses-table .highlight-code").wait_for()


def _status(operation) -> str:
    return operation.locator(".live-responses-table tr.response .response-col_status").inner_text()


def steps_of_use(page, live_server, secret: str, meeting_id: int) -> Iterator[str]:
    """Drives the page through a person's use of it, yielding at each step what is on show.

    Authorise with a bearer token, execute GET /me, open the form to add a talking point and
    execute it. The caller checks the page at each step, at the page's current width.
    """
    page.goto(live_server.url + DOCS)
    page.locator(".opblock").first.wait_for()

    page.locator(".auth-wrapper .authorize").click()
    dialog = page.locator(".dialog-ux")
    dialog.get_by_label("Value").fill(secret)
    yield "the authorisation dialog, a token typed in"
    # Found by their classes, not their names: the names are among what is checked.
    dialog.locator("button.modal-btn.authorize").click()
    dialog.get_by_text("Authorized").wait_for()
    yield "the authorisation dialog, authorised"
    dialog.locator("button.modal-btn.btn-done").click()
    dialog.wait_for(state="detached")

    me = page.locator(ME)
    me.locator(".opblock-summary-control").click()
    me.get_by_role("button", name="Try it out").click()
    _execute(me)
    assert _status(me) == "200"
    yield "GET /me executed: the curl command and the response"

    add = page.locator(ADD_TALKING_POINT)
    add.locator(".opblock-summary-control").click()
    add.get_by_role("button", name="Try it out").click()
    add.get_by_placeholder("meeting_id").fill(str(meeting_id))
    add.locator("textarea.body-param__text").fill('{"text": "Conference budget", "private": false}')
    yield "POST a talking point, its form filled in"
    _execute(add)
    assert _status(add) == "201"
    yield "POST a talking point executed"
