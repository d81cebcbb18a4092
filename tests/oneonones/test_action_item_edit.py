"""Action items can be reworded, reassigned, rescheduled or deleted by either participant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tete.oneonones import actions
from tete.oneonones.models import ActionItem, OneOnOne


@pytest.fixture
def item(meeting, alice, bob) -> ActionItem:
    return actions.add_action_item(meeting, by=alice, text="Write the RFC", owner=bob)


def edit_url(item: ActionItem, **query: str) -> str:
    url = reverse("oneonones:edit_action_item", args=[item.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_either_participant_rewords_reassigns_and_reschedules(client_for, item, meeting, bob):
    before = OneOnOne.objects.get(pk=meeting.oneonone_id).content_version
    client = client_for(bob)
    page = client.get(edit_url(item)).content.decode()
    assert "Write the RFC" in page  # the form starts filled in
    due = dt.date.today() + dt.timedelta(days=5)
    response = client.post(
        edit_url(item),
        {"text": "Write the RFC draft", "owner": str(bob.pk), "due_date": due.isoformat()},
    )
    # Back to where the item was agreed when the page was not opened from anywhere.
    assert response["Location"] == reverse("oneonones:meeting", args=[meeting.pk])
    item.refresh_from_db()
    assert (item.text, item.owner_id, item.due_date) == ("Write the RFC draft", bob.pk, due)
    # Cached pages are refreshed.
    assert OneOnOne.objects.get(pk=meeting.oneonone_id).content_version > before
    meeting_page = client.get(response["Location"]).content.decode()
    assert "Write the RFC draft" in meeting_page and "Action item saved." in meeting_page


def test_editing_returns_to_the_page_it_was_opened_from(client_for, item, alice):
    back = reverse("oneonones:my_action_items")
    client = client_for(alice)
    page = client.get(edit_url(item, next=back)).content.decode()
    assert f'name="next" value="{back}"' in page
    data = {"text": "Write it", "owner": str(alice.pk), "next": back}
    assert client.post(edit_url(item), data)["Location"] == back
    # Another site is never a way back.
    data["next"] = "https://evil.example/"
    assert "evil" not in client.post(edit_url(item), data)["Location"]


def test_an_empty_text_or_an_outside_owner_is_refused(client_for, item, alice, carol):
    client = client_for(alice)
    response = client.post(edit_url(item), {"text": "  ", "owner": str(alice.pk)})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert client.post(edit_url(item), {"text": "x", "owner": str(carol.pk)}).status_code == 400
    item.refresh_from_db()
    assert item.text == "Write the RFC"


def test_only_the_two_participants_reach_an_item(client_for, item, carol, admin):
    delete_url = reverse("oneonones:delete_action_item", args=[item.pk])
    for person in (carol, admin):
        client = client_for(person)
        for url in (edit_url(item), delete_url):
            assert client.get(url).status_code == 404, (person, url)
            assert client.post(url, {"text": "x", "owner": str(person.pk)}).status_code == 404
    assert client_for(None).get(edit_url(item))["Location"].startswith("/login/")
    assert ActionItem.objects.filter(pk=item.pk, text="Write the RFC").exists()


def test_deleting_asks_first_then_goes(client_for, item, meeting, bob):
    url = reverse("oneonones:delete_action_item", args=[item.pk])
    client = client_for(bob)
    page = client.get(url + "?next=/action-items/").content.decode()
    assert "Delete this action item?" in page and "Write the RFC" in page
    assert ActionItem.objects.filter(pk=item.pk).exists()
    response = client.post(url, {"next": "/action-items/"})
    assert response["Location"] == "/action-items/"
    assert not ActionItem.objects.filter(pk=item.pk).exists()


def test_each_open_item_has_an_edit_link_and_an_ended_ones_do_not(
    client_for, item, meeting, oneonone, alice
):
    label = 'aria-label="Edit: Write the RFC"'
    alice_client, bob_client = client_for(alice), client_for(item.owner)
    # Home and My action items list the viewer's own items: Bob's.
    pages = [
        (alice_client, reverse("oneonones:meeting", args=[meeting.pk])),
        (alice_client, reverse("oneonones:detail", args=[oneonone.pk])),
        (bob_client, reverse("home")),
        (bob_client, reverse("oneonones:my_action_items")),
    ]
    for client, url in pages:
        assert label in client.get(url).content.decode(), url
    actions.end_oneonone(oneonone, by=alice)
    for client, url in pages:
        assert label not in client.get(url).content.decode(), url
