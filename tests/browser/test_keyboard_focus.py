"""In-page changes with the keyboard alone: after each one focus stays on the changed item (or
moves to its neighbour when it is gone) and a polite live region says what happened, instead
of focus falling to the page's body and Tab starting again from the top.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.htmx import htmx_settled
from tete.oneonones import actions
from tete.oneonones.models import TalkingPoint
from tete.surveys import actions as survey_actions


def focused(page) -> str:
    """The focused element: its id, or its accessible label, or its text."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return e.id || e.getAttribute("aria-label") || e.textContent.trim();
        }"""
    )


def tab_to(page, element_id: str, most: int = 80) -> int:
    """Press Tab until the element with this id has focus; the number of presses."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            return presses
    raise AssertionError(f"#{element_id} is not reached in {most} presses of Tab")


def point_id(text: str) -> int:
    return TalkingPoint.objects.get(text=text).pk


def test_adding_ticking_moving_and_removing_a_point_keeps_focus_in_place(
    page, live_server, sign_in, meeting, alice
):
    actions.add_talking_point(meeting, by=alice, text="Roadmap for Q3")
    sign_in(page, alice)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    announced = page.locator("#announcements")
    expect(announced).to_have_attribute("aria-live", "polite")

    # Add: focus stays in the field, empty and ready for the next one.
    tab_to(page, "id_point_text")
    page.keyboard.type("Conference budget")
    page.keyboard.press("Enter")
    expect(page.locator("#agenda-points .point__text")).to_have_text(
        ["Roadmap for Q3", "Conference budget"]
    )
    added = point_id("Conference budget")
    expect(announced).to_have_text("Added ‘Conference budget’ to the agenda")
    assert focused(page) == "id_point_text"
    expect(page.locator("#id_point_text")).to_have_value("")

    # Back to the new point's toggle: Remove, Edit, Move up, then the toggle itself.
    for expected in ("Remove: Conference budget", f"point-{added}-edit", f"point-{added}-up"):
        page.keyboard.press("Shift+Tab")
        assert focused(page) == expected
    page.keyboard.press("Shift+Tab")
    assert focused(page) == f"point-{added}-discussed"

    # Tick, then untick: focus stays on the toggle, which says its new state.
    page.keyboard.press("Space")
    expect(announced).to_have_text("Marked ‘Conference budget’ discussed")
    toggle = page.locator(f"#point-{added}-discussed")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(announced).to_have_text("Marked ‘Conference budget’ not discussed")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).to_be_focused()

    # Move up: now first, it has no ↑ any more, so focus takes its ↓.
    page.keyboard.press("Tab")
    assert focused(page) == f"point-{added}-up"
    page.keyboard.press("Enter")
    expect(announced).to_have_text("Moved ‘Conference budget’ up: 1 of 2")
    expect(page.locator("#agenda-points .point__text")).to_have_text(
        ["Conference budget", "Roadmap for Q3"]
    )
    expect(page.locator(f"#point-{added}-down")).to_be_focused()
    # And back down: ↓ goes, focus takes its ↑.
    page.keyboard.press("Enter")
    expect(announced).to_have_text("Moved ‘Conference budget’ down: 2 of 2")
    expect(page.locator(f"#point-{added}-up")).to_be_focused()

    # Remove: focus goes to the point before it (none after), and Tab carries on from there.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == "Remove: Conference budget"
    page.keyboard.press("Enter")
    expect(announced).to_have_text("Removed ‘Conference budget’")
    expect(page.locator("#agenda-points .point__text")).to_have_text(["Roadmap for Q3"])
    roadmap = point_id("Roadmap for Q3")
    expect(page.locator(f"#point-{roadmap}-discussed")).to_be_focused()
    page.keyboard.press("Tab")
    assert focused(page) == f"point-{roadmap}-edit"

    # Edit in place and save: focus returns to the point's Edit link.
    page.keyboard.press("Enter")
    editor = page.get_by_role("textbox", name="Edit talking point")
    expect(editor).to_be_focused()
    htmx_settled(page)
    page.keyboard.type(" and hiring")
    page.keyboard.press("Enter")
    expect(announced).to_have_text("Saved ‘Roadmap for Q3 and hiring’")
    expect(page.locator(f"#point-{roadmap}-edit")).to_be_focused()
    # Leave the editor with Escape: the same, and nothing saved.
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    htmx_settled(page)
    page.keyboard.type(" (draft)")
    page.keyboard.press("Escape")
    expect(announced).to_have_text("Closed the editor without saving")
    expect(page.locator(f"#point-{roadmap}-edit")).to_be_focused()
    assert TalkingPoint.objects.get(pk=roadmap).text == "Roadmap for Q3 and hiring"

    # Removing the last point leaves the list empty: focus goes to the agenda's heading.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(announced).to_have_text("Removed ‘Roadmap for Q3 and hiring’")
    expect(page.get_by_role("heading", name="Agenda")).to_be_focused()
    page.keyboard.press("Tab")
    assert focused(page) == "Add from a template"


def test_an_empty_point_keeps_focus_in_the_field_with_its_error(
    page, live_server, sign_in, meeting, alice
):
    sign_in(page, alice)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    tab_to(page, "id_point_text")
    page.keyboard.press("Enter")
    field = page.locator("#id_point_text")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(page.locator("#id_point_text_error")).to_contain_text("This field is required")
    expect(page.locator("#announcements")).to_have_text("")


def test_ticking_an_action_item_keeps_focus_on_it(page, live_server, sign_in, meeting, alice, bob):
    item = actions.add_action_item(meeting, by=alice, text="Send the RFC", owner=bob)
    sign_in(page, alice)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    tab_to(page, f"action-item-{item.pk}-done")
    page.keyboard.press("Space")
    expect(page.locator("#announcements")).to_have_text("Marked ‘Send the RFC’ done")
    toggle = page.locator(f"#action-item-{item.pk}-done")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#announcements")).to_have_text("Reopened ‘Send the RFC’")
    expect(toggle).to_be_focused()


def test_moving_and_removing_a_survey_question_keeps_focus_in_the_list(
    page, live_server, sign_in, alice
):
    survey = survey_actions.create_survey(alice, title="Team pulse")
    first, second, third = (
        survey_actions.add_question(survey, text=text, kind="short")
        for text in ("How was your week?", "What got in the way?", "Anything else?")
    )
    sign_in(page, alice)
    page.goto(f"{live_server.url}/surveys/{survey.pk}/")
    announced = page.locator("#announcements")

    tab_to(page, f"question-{first.pk}-down")
    page.keyboard.press("Enter")
    expect(announced).to_have_text("Moved ‘How was your week?’ down: 2 of 3")
    expect(page.locator(f"#question-{first.pk}-down")).to_be_focused()

    # Removing asks first; then focus goes to the next question's first control.
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(announced).to_have_text("Removed ‘How was your week?’")
    expect(page.locator(f"#question-{third.pk}-up")).to_be_focused()
    remaining = survey.questions.filter(retired=False).order_by("position")
    assert [q.pk for q in remaining] == [second.pk, third.pk]
