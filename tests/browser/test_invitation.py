"""Invite → the emailed link → accept: the new person is signed in and on home."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from tete.accounts.models import Person


def test_an_invited_person_joins_through_the_emailed_link(page, live_server, admin, team, sign_in):
    sign_in(page, admin)
    page.goto(live_server.url + "/people/invitations/")
    form = page.locator("form", has=page.get_by_role("button", name="Send invitation"))
    form.get_by_label("Name").fill("Dana Diaz")
    form.get_by_label("Email").fill("dana@example.com")
    form.get_by_label("Title").fill("Designer")
    form.get_by_label("Team").select_option(label=team.name)
    form.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status").first).to_contain_text("Invitation sent to dana@example.com")
    expect(page.locator("#main")).to_contain_text("dana@example.com")

    # live_server runs in this process, so the locmem outbox holds the email.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/people/invitations/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)

    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Dana")
    page.get_by_label("Your name").fill("Dana Diaz")
    page.get_by_label("Your timezone").select_option("Europe/Lisbon")
    page.get_by_label("Choose a password").fill("a long new passphrase")
    page.get_by_label("Repeat the password").fill("a long new passphrase")
    page.get_by_role("button", name="Join and sign in").click()

    page.wait_for_url(live_server.url + "/")
    expect(page.locator(".usermenu")).to_contain_text("Dana Diaz")
    dana = Person.objects.get(email="dana@example.com")
    assert dana.is_active and dana.timezone == "Europe/Lisbon" and dana.team == team

    # The link worked once: opening it again says so clearly.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("already used")
