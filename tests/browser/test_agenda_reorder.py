"""The agenda in a real browser: drag a talking point above another, edit one in place."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.htmx import htmx_settled
from tete.oneonones import actions


def point_texts(page) -> list[str]:
    return page.locator("#agenda-points .point__text").all_inner_texts()


def test_dragging_a_point_up_and_editing_one_in_place(page, live_server, sign_in, oneonone, alice):
    meeting = actions.ensure_next_meeting(oneonone)
    for text in ("Roadmap for Q3", "Conference budget", "Team offsite"):
        actions.add_talking_point(meeting, by=alice, text=text)
    sign_in(page, alice)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.locator("#agenda-points.agenda--sortable")).to_be_visible()
    assert point_texts(page) == ["Roadmap for Q3", "Conference budget", "Team offsite"]

    # Drag "Team offsite" by its handle above "Roadmap for Q3".
    handle = page.locator("#agenda-points .point", has_text="Team offsite").locator(
        ".point__handle"
    )
    target = page.locator("#agenda-points .point", has_text="Roadmap for Q3")
    with page.expect_response(lambda r: r.url.endswith("/talking-points/order/")) as answer:
        handle.drag_to(target, target_position={"x": 40, "y": 5})
    assert answer.value.status == 200
    expect(page.locator("#agenda-points .point__text").first).to_have_text("Team offsite")
    page.reload()
    assert point_texts(page) == ["Team offsite", "Roadmap for Q3", "Conference budget"]

    # Edit a point's text in place: the editor replaces the point, Save brings the agenda back.
    page.get_by_role("link", name="Edit: Conference budget").click()
    editor = page.get_by_role("textbox", name="Edit talking point")
    expect(editor).to_be_focused()
    htmx_settled(page)
    editor.fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#agenda .errorlist")).to_contain_text("This field is required")
    page.get_by_role("textbox", name="Edit talking point").fill("Conference budget for 2026")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#agenda")).to_contain_text("Conference budget for 2026")
    expect(page.get_by_role("textbox", name="Edit talking point")).to_have_count(0)
    # Escape leaves the editor without saving.
    page.get_by_role("link", name="Edit: Team offsite").click()
    page.get_by_role("textbox", name="Edit talking point").fill("Not saved")
    page.keyboard.press("Escape")
    expect(page.get_by_role("textbox", name="Edit talking point")).to_have_count(0)
    page.reload()
    assert point_texts(page) == ["Team offsite", "Roadmap for Q3", "Conference budget for 2026"]


def test_escape_leaves_an_editor_the_moment_it_appears(page, live_server, sign_in, oneonone, alice):
    # htmx readies the links it swaps in only once they settle: Escape must not depend on
    # the Cancel link being ready (clicking it before then only scrolled to #agenda).
    meeting = actions.ensure_next_meeting(oneonone)
    actions.add_talking_point(meeting, by=alice, text="Team offsite")
    sign_in(page, alice)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/#agenda")
    for _ in range(10):
        page.get_by_role("link", name="Edit: Team offsite").click()
        page.get_by_role("textbox", name="Edit talking point").press("Escape")
        expect(page.get_by_role("textbox", name="Edit talking point")).to_have_count(0)
    expect(page.locator("#agenda-points .point__text")).to_have_text(["Team offsite"])
