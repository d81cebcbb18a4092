"""Shared notes (Markdown, sanitised, conflict-safe) and private notes."""

from __future__ import annotations

from django.urls import reverse

from tete.oneonones import actions
from tete.oneonones.models import PrivateNote, SharedNote


def test_saving_shared_notes_bumps_the_version(meeting, alice):
    result = actions.save_shared_note(meeting, text="First notes", base_version=0, by=alice)
    assert result.saved
    assert result.note.version == 1
    result = actions.save_shared_note(meeting, text="Second", base_version=1, by=alice)
    assert result.saved and result.note.version == 2 and result.note.text == "Second"


def test_a_concurrent_save_is_a_conflict_and_loses_neither_text(meeting, alice, bob):
    actions.save_shared_note(meeting, text="Alice's version", base_version=0, by=alice)
    # Bob started editing from version 0 too.
    result = actions.save_shared_note(meeting, text="Bob's version", base_version=0, by=bob)
    assert result.conflict
    assert result.my_text == "Bob's version"
    assert result.note.text == "Alice's version"
    assert SharedNote.objects.get(meeting=meeting).text == "Alice's version"


def test_the_conflict_page_shows_both_texts(client_for, meeting, alice, bob):
    actions.save_shared_note(meeting, text="**Agreed** on the plan", base_version=0, by=alice)
    url = reverse("oneonones:save_shared_note", args=[meeting.pk])
    response = client_for(bob).post(url, {"text": "My own summary", "base_version": "0"})
    content = response.content.decode()
    assert response.status_code == 409
    assert "<strong>Agreed</strong> on the plan" in content  # theirs, rendered
    assert "My own summary</textarea>" in content  # mine, back in the editor
    assert 'name="base_version" value="1"' in content  # saving again builds on theirs
    # Saving the combined text from the new base works.
    response = client_for(bob).post(url, {"text": "Combined", "base_version": "1"})
    assert response.status_code == 302
    assert SharedNote.objects.get(meeting=meeting).text == "Combined"


def test_a_conflict_with_htmx_renders_the_notes_partial(client_for, meeting, alice, bob):
    actions.save_shared_note(meeting, text="Theirs", base_version=0, by=alice)
    response = client_for(bob).post(
        reverse("oneonones:save_shared_note", args=[meeting.pk]),
        {"text": "Mine", "base_version": "0"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="card" id="notes"')
    assert "Theirs" in content and "Mine</textarea>" in content


def test_markdown_is_sanitised(client_for, meeting, alice, bob):
    text = "Hi <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    actions.save_shared_note(meeting, text=text, base_version=0, by=alice)
    content = client_for(bob).get(reverse("oneonones:meeting", args=[meeting.pk])).content.decode()
    assert "<script>alert(1)" not in content
    assert 'href="javascript:' not in content
    assert "<img src=x" not in content


def test_oversized_notes_are_refused_with_a_message(client_for, meeting, bob, settings):
    settings.TETE_MAX_TEXT_CHARS = 100
    url = reverse("oneonones:save_shared_note", args=[meeting.pk])
    response = client_for(bob).post(url, {"text": "y" * 101, "base_version": "0"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "too long" in content and "y" * 101 in content
    assert not SharedNote.objects.filter(meeting=meeting).exclude(text="").exists()
    response = client_for(bob).post(
        reverse("oneonones:save_private_note", args=[meeting.pk]), {"text": "z" * 101}
    )
    assert response.status_code == 400
    assert not PrivateNote.objects.exists()


def test_private_notes_are_per_author(client_for, meeting, alice, bob):
    client_for(alice).post(
        reverse("oneonones:save_private_note", args=[meeting.pk]), {"text": "alice only"}
    )
    client_for(bob).post(
        reverse("oneonones:save_private_note", args=[meeting.pk]), {"text": "bob only"}
    )
    assert PrivateNote.objects.get(author=alice).text == "alice only"
    assert PrivateNote.objects.get(author=bob).text == "bob only"
    page = client_for(bob).get(reverse("oneonones:meeting", args=[meeting.pk])).content.decode()
    assert "bob only" in page and "alice only" not in page


def test_saving_the_private_note_with_htmx_returns_its_partial(client_for, meeting, alice):
    response = client_for(alice).post(
        reverse("oneonones:save_private_note", args=[meeting.pk]),
        {"text": "note"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        response.content.decode()
        .lstrip()
        .startswith('<section class="card card--private" id="private_note"')
    )


def test_saving_stores_the_notes_sanitised_html_for_the_page(client_for, meeting, alice, bob):
    actions.save_shared_note(
        meeting, text="**Agreed** <script>alert(1)</script>", base_version=0, by=alice
    )
    note = SharedNote.objects.get(meeting=meeting)
    assert "<strong>Agreed</strong>" in note.html and "<script>" not in note.html
    actions.save_shared_note(meeting, text="_Changed_", base_version=1, by=bob)
    note.refresh_from_db()
    assert note.html == "<p><em>Changed</em></p>\n"
    content = client_for(alice).get(reverse("oneonones:meeting", args=[meeting.pk])).content
    assert b"<em>Changed</em>" in content and b"Agreed" not in content


def test_notes_written_in_bulk_show_as_html_without_a_write(client_for, meeting, alice):
    SharedNote.objects.bulk_create([SharedNote(meeting=meeting, text="- one\n- two", version=1)])
    content = client_for(alice).get(reverse("oneonones:meeting", args=[meeting.pk])).content
    assert b"<li>one</li>" in content and b"<li>two</li>" in content
    # A page view does not write: the HTML was rendered for the page, not stored.
    assert SharedNote.objects.get(meeting=meeting).html == ""
