"""The main flow in a real browser: invite, accept, start, prepare together, hold, carry over,
keep private."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from tete.accounts.models import Person


def invite_and_accept(browser, live_server, sign_in, admin, name, email):
    """An admin invites `email`; the invitee accepts in their own phone-sized browser."""
    admin_page = browser.new_context().new_page()
    sign_in(admin_page, admin)
    admin_page.goto(live_server.url + "/people/invitations/")
    form = admin_page.locator("form", has=admin_page.get_by_role("button", name="Send invitation"))
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_role("button", name="Send invitation").click()
    expect(admin_page.get_by_role("status").first).to_contain_text("Invitation sent")
    admin_page.context.close()

    link = re.search(r"https?://\S+/people/invitations/\S+/", mail.outbox[-1].body).group(0)
    invitee_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    invitee_page.goto(link)
    invitee_page.get_by_label("Choose a password").fill("a long new passphrase")
    invitee_page.get_by_label("Repeat the password").fill("a long new passphrase")
    invitee_page.get_by_role("button", name="Join and sign in").click()
    invitee_page.wait_for_url(live_server.url + "/")
    assert Person.objects.get(email=email).is_active
    return invitee_page


def test_a_one_on_one_from_invitation_to_carry_over(
    page, browser, live_server, sign_in, admin, alice
):
    # Bob joins through an invitation; Alice starts a weekly one-on-one with him, her report.
    bob_page = invite_and_accept(
        browser, live_server, sign_in, admin, "Bob Jones", "bob@example.com"
    )
    sign_in(page, alice)
    page.get_by_role("link", name="Start a one-on-one").first.click()
    page.get_by_label("With").select_option(label="Bob Jones")
    page.get_by_label("Who is the report, mentee or client?").select_option(
        label="The other person"
    )
    page.get_by_label("Cadence").select_option(label="Every week")
    page.get_by_role("button", name="Start one-on-one").click()
    expect(page.get_by_role("heading", name="Bob Jones")).to_be_visible()
    page.get_by_role("link", name="Open meeting").click()
    meeting_url = page.url

    # Both add talking points (htmx: no reload, the agenda updates in place).
    page.get_by_label("Add a talking point").fill("Roadmap for Q3")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#agenda")).to_contain_text("Roadmap for Q3")

    bob_page.goto(live_server.url + "/")
    bob_page.get_by_role("link", name="Alice Martin").first.click()
    expect(bob_page.locator("#agenda")).to_contain_text("Roadmap for Q3")
    bob_page.get_by_label("Add a talking point").fill("Conference budget")
    bob_page.get_by_role("button", name="Add", exact=True).click()
    expect(bob_page.locator("#agenda")).to_contain_text("Conference budget")

    # In the meeting: discuss one point, take notes, agree on an action item.
    page.reload()
    expect(page.locator("#agenda")).to_contain_text("Conference budget")
    page.get_by_role("button", name="Mark discussed: Roadmap for Q3").click()
    expect(page.get_by_role("button", name="Mark not discussed: Roadmap for Q3")).to_be_visible()
    page.get_by_role("textbox", name="Shared notes").fill(
        "We agreed on **three** goals for the quarter."
    )
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator("#notes strong")).to_have_text("three")
    page.get_by_role("textbox", name="Action item").fill("Draft the RFC")
    page.get_by_label("Owner").select_option(label="Bob Jones")
    page.get_by_role("button", name="Add action item").click()
    expect(page.locator("#action_items")).to_contain_text("Draft the RFC")
    page.get_by_role("textbox", name="My private note").fill("Bob seemed tired; ask about on-call.")
    page.get_by_role("button", name="Save private note").click()
    expect(page.locator("#private_note")).to_contain_text("Saved")

    # Mark held: the next meeting has the undiscussed point and the open action item.
    page.get_by_role("button", name="Mark as held").click()
    expect(page.locator("#agenda")).to_contain_text("Conference budget")
    expect(page.locator("#agenda")).to_contain_text("Carried over 1×")
    expect(page.locator("#agenda")).not_to_contain_text("Roadmap for Q3")
    expect(page.locator("#action_items")).to_contain_text("Draft the RFC")
    assert page.url != meeting_url

    # Bob reads the shared notes of the held meeting but never Alice's private note.
    bob_page.goto(meeting_url)
    expect(bob_page.locator("#notes")).to_contain_text("three goals")
    expect(bob_page.locator("body")).not_to_contain_text("Bob seemed tired")
    bob_page.context.close()
