"""Upload a transcript on a meeting → match speakers → read the report → accept an action item."""

from __future__ import annotations

import random

from playwright.sync_api import expect

from tete.oneonones.models import ActionItem
from tete.reports.models import SpeakerAlias
from tete.reports.samples import generate_webvtt


def test_upload_map_speakers_and_accept_a_suggestion(
    page, live_server, bob, alice, meeting, sign_in
):
    # A Teams export that names nobody: the speakers must be matched by hand.
    content = generate_webvtt(
        random.Random(5), "Speaker 1", "Speaker 2", lead_share=0.7, minutes=5
    ).encode()
    sign_in(page, bob)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    section = page.locator("#conversation-report")
    section.get_by_label("Transcript file").set_input_files(
        {"name": "teams.vtt", "mimeType": "text/vtt", "buffer": content}
    )
    section.get_by_role("button", name="Upload and analyse").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Conversation report")
    page.get_by_role("link", name="Check who is who").click()
    page.get_by_label("“Speaker 1” is").select_option(label="Alice Martin")
    page.get_by_label("“Speaker 2” is").select_option(label="Bob Jones")
    page.get_by_role("button", name="Save and recompute the report").click()

    expect(page.get_by_text("Speakers saved")).to_be_visible()
    balance = page.locator("section", has=page.get_by_role("heading", name="Talk balance"))
    expect(balance).to_contain_text("Bob Jones")
    expect(balance).to_contain_text("target at least 50%")
    assert SpeakerAlias.objects.filter(label="Speaker 2", person=bob).exists()

    first = page.locator(".reports-suggestion").first
    text = first.get_by_label("Action item").input_value()
    first.get_by_label("Owner").select_option(label="Bob Jones")
    first.get_by_label("Due date").fill("2030-03-15")
    first.get_by_role("button", name="Accept").click()
    expect(page.locator(".reports-suggestion").first).to_contain_text("Accepted")
    item = ActionItem.objects.get()
    assert (item.text, item.owner, str(item.due_date)) == (text, bob, "2030-03-15")
    assert item.created_in == meeting
