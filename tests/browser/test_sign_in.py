from __future__ import annotations

from playwright.sync_api import expect


def test_a_person_signs_in_and_sees_home(page, live_server, alice, sign_in):
    sign_in(page, alice)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
