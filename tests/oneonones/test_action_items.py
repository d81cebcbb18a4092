"""Action items: owner, due date, done; open ones follow into later meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tete.oneonones import actions
from tete.oneonones.access import oneonones_of
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
    mine = {oneonone.pk: oneonone for oneonone in oneonones_of(bob)}
    assert my_open_action_items(bob, mine, 8) == ([overdue, later, undated], 3)
    # A full list counts the rest.
    assert my_open_action_items(bob, mine, 2) == ([overdue, later], 3)


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


# --- What the people I meet committed to -----------------------------------------------------


@pytest.fixture
def dave(db):
    from tete.accounts.models import Person

    return Person.objects.create_user("dave@example.com", "x" * 12, name="Dave Other")


@pytest.fixture
def items_around_alice(oneonone, meeting, alice, bob, carol, dave):
    """alice meets bob (her report) and dave; bob also meets carol, without alice."""
    today = timezone.localdate()
    with_dave = actions.start_oneonone(by=alice, other=dave, cadence="weekly")
    bob_and_carol = actions.start_oneonone(by=bob, other=carol, cadence="weekly")
    add = actions.add_action_item
    return {
        "bob_later": add(meeting, by=alice, text="Bob: later", owner=bob, due_date=today + dt.timedelta(5)),
        "bob_undated": add(meeting, by=alice, text="Bob: undated", owner=bob),
        "bob_overdue": add(meeting, by=bob, text="Bob: overdue", owner=bob, due_date=today - dt.timedelta(2)),
        "alice_own": add(meeting, by=alice, text="Alice: her own", owner=alice),
        "dave": add(actions.ensure_next_meeting(with_dave), by=dave, text="Dave: his", owner=dave),
        "not_alices": add(
            actions.ensure_next_meeting(bob_and_carol), by=carol, text="Carol and Bob's", owner=bob
        ),
    }  # fmt: skip


def texts(page: str, candidates) -> list[str]:
    """The candidates' texts in the order the page lists them."""
    found = [(page.index(item.text), item.text) for item in candidates if item.text in page]
    return [text for _, text in sorted(found)]


def test_a_manager_sees_what_the_people_she_meets_owe_overdue_first(
    client_for, alice, items_around_alice
):
    everything = items_around_alice.values()
    url = reverse("oneonones:my_action_items")
    page = client_for(alice).get(url + "?whose=theirs").content.decode()
    assert texts(page, everything) == [
        "Bob: overdue", "Bob: later", "Bob: undated", "Dave: his"
    ]  # fmt: skip
    assert "Overdue" in page
    # Her own stay under "Mine", and nothing of a one-on-one she is not in shows anywhere.
    mine = client_for(alice).get(url).content.decode()
    assert texts(mine, everything) == ["Alice: her own"]
    for shown in (page, mine):
        assert "Carol and Bob" not in shown and "Carol Outsider" not in shown


def test_filtering_by_person_offers_only_the_people_she_meets(
    client_for, alice, bob, carol, dave, items_around_alice
):
    everything = items_around_alice.values()
    client = client_for(alice)
    url = reverse("oneonones:my_action_items") + "?whose=theirs"
    page = client.get(url).content.decode()
    assert f'<option value="{bob.pk}">Bob Jones</option>' in page
    assert f'<option value="{dave.pk}">Dave Other</option>' in page
    assert f'value="{carol.pk}"' not in page
    page = client.get(url + f"&person={dave.pk}").content.decode()
    assert texts(page, everything) == ["Dave: his"]
    page = client.get(url + f"&person={bob.pk}").content.decode()
    assert texts(page, everything) == ["Bob: overdue", "Bob: later", "Bob: undated"]
    # Someone she does not meet is no choice: said so, and nothing of theirs appears.
    page = client.get(url + f"&person={carol.pk}").content.decode()
    assert "Choose one of the people you have one-on-ones with." in page
    assert "Carol and Bob" not in page
    # Done ones too, with the filter kept in the tabs' links.
    actions.complete_action_item(items_around_alice["dave"], by=alice)
    page = client.get(url + f"&person={dave.pk}&show=done").content.decode()
    assert texts(page, everything) == ["Dave: his"]
    assert f"whose=theirs&amp;person={dave.pk}" in page


def test_their_items_are_paginated(client_for, meeting, alice, bob):
    for n in range(30):
        actions.add_action_item(meeting, by=alice, text=f"Theirs {n:02}", owner=bob)
    client = client_for(alice)
    url = reverse("oneonones:my_action_items") + "?whose=theirs"
    page = client.get(url).content.decode()
    assert "Page 1 of 2" in page and "Theirs 00" in page and "Theirs 29" not in page
    page = client.get(url + "&page=2").content.decode()
    assert "Theirs 29" in page and "whose=theirs" in page
