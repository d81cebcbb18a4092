"""Action items: owner, due date, done; open ones follow into later meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tete.oneonones import actions
from tete.oneonones.models import ActionItem
from tete.oneonones.queries import my_open_action_items, open_action_items_for_meeting


def test_an_action_item_is_owned_by_either_participant(meeting, alice, bob, carol):
    item = actions.add_action_item(meeting, by=alice, text="Write it up", owner=bob)
    assert item.owner == bob and item.created_in == meeting and item.created_by == alice
    with pytest.raises(ValidationError):
        actions.add_action_item(meeting, by=alice, text="Nope", owner=carol)


def test_open_items_appear_in_every_later_meeting_until_done(meeting, alice, bob):
    item = actions.add_action_item(meeting, by=alice, text="Draft the RFC", owner=bob)
    second = actions.mark_meeting_held(meeting, by=alice)
    assert item in open_action_items_for_meeting(second)
    third = actions.mark_meeting_held(second, by=alice)
    assert item in open_action_items_for_meeting(third)
    actions.complete_action_item(item, by=bob)
    # Done during the third meeting: still listed there (ticked), gone from the next.
    assert item in open_action_items_for_meeting(third)
    fourth = actions.mark_meeting_held(third, by=alice)
    assert item not in open_action_items_for_meeting(fourth)


def test_complete_and_reopen(meeting, alice, bob):
    item = actions.add_action_item(meeting, by=alice, text="Task", owner=alice)
    actions.complete_action_item(item, by=bob)
    assert item.done_at is not None
    actions.reopen_action_item(item, by=alice)
    item.refresh_from_db()
    assert item.done_at is None


def test_my_action_items_lists_overdue_first(meeting, alice, bob):
    today = timezone.localdate()
    later = actions.add_action_item(
        meeting, by=alice, text="Later", owner=bob, due_date=today + dt.timedelta(days=5)
    )
    undated = actions.add_action_item(meeting, by=alice, text="Undated", owner=bob)
    overdue = actions.add_action_item(
        meeting, by=alice, text="Overdue", owner=bob, due_date=today - dt.timedelta(days=2)
    )
    actions.add_action_item(meeting, by=alice, text="Alice's", owner=alice)
    assert list(my_open_action_items(bob)) == [overdue, later, undated]


def test_the_action_items_page_orders_and_paginates(client_for, meeting, alice, bob):
    today = timezone.localdate()
    for n in range(30):
        actions.add_action_item(meeting, by=alice, text=f"Item {n:02}", owner=bob)
    actions.add_action_item(
        meeting, by=alice, text="Late one", owner=bob, due_date=today - dt.timedelta(days=1)
    )
    client = client_for(bob)
    page = client.get(reverse("oneonones:my_action_items")).content.decode()
    assert page.index("Late one") < page.index("Item 00")
    assert "Overdue" in page
    assert "Page 1 of 2" in page
    assert (
        "Item 29" in client.get(reverse("oneonones:my_action_items") + "?page=2").content.decode()
    )


def test_adding_an_action_item_through_the_meeting_page(client_for, meeting, alice, bob):
    url = reverse("oneonones:add_action_item", args=[meeting.pk])
    response = client_for(alice).post(
        url,
        {"text": "Book the room", "owner": bob.pk, "due_date": "2031-01-15"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="card" id="action_items"')
    item = ActionItem.objects.get(text="Book the room")
    assert item.owner == bob and item.due_date == dt.date(2031, 1, 15)


def test_a_bad_action_item_keeps_what_was_typed(client_for, meeting, alice, carol):
    url = reverse("oneonones:add_action_item", args=[meeting.pk])
    response = client_for(alice).post(
        url, {"text": "Keep me", "owner": carol.pk, "due_date": "soon"}
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'value="Keep me"' in content
    assert "Enter a valid date" in content
    assert "Select a valid choice" in content
    assert not ActionItem.objects.exists()


def test_ticking_an_action_item_from_the_list_returns_its_row(client_for, meeting, alice, bob):
    item = actions.add_action_item(meeting, by=alice, text="Tick me", owner=bob)
    response = client_for(bob).post(
        reverse("oneonones:toggle_action_item", args=[item.pk]),
        {"done": "1"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert content.lstrip().startswith(f'<li class="item item--done" id="action-item-{item.pk}"')
    response = client_for(bob).post(
        reverse("oneonones:toggle_action_item", args=[item.pk]),
        {"done": "0", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("oneonones:my_action_items")
    item.refresh_from_db()
    assert item.done_at is None
