"""An ended one-on-one is read-only: every write to it changes nothing and says why.

Each write view is posted to by a participant after the one-on-one ended, with htmx and
without JavaScript: the answer is never a 500, it carries the reason, and the database is
exactly as it was (content version included, so no page was invalidated either).

The one exception: an action item can still be marked done or reopened, by either person,
from every page that lists it — follow-through does not end with the one-on-one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tete.oneonones import actions
from tete.oneonones.models import (
    ActionItem,
    Meeting,
    OneOnOne,
    PrivateNote,
    SharedNote,
    TalkingPoint,
    Template,
)

READ_ONLY = "This one-on-one has ended; its history is read-only."
# The pages of their own that some changes have without JavaScript.
AGENDA_PAGE = "This one-on-one has ended; its agenda is read-only."
MEETINGS_PAGE = "This one-on-one has ended; its meetings are read-only."
ITEMS_CLOSE_ONLY = "This one-on-one has ended; its action items can only be closed."


@dataclass
class History:
    """An ended one-on-one: a held meeting with its notes and items; the next one, which its
    undiscussed points had moved to, was cancelled when it ended."""

    oneonone: OneOnOne
    held: Meeting
    cancelled: Meeting
    point: TalkingPoint  # alice's, undiscussed, on the cancelled meeting
    other_point: TalkingPoint  # bob's, discussed in the held meeting
    item: ActionItem  # open, bob's
    done: ActionItem  # done, alice's


@pytest.fixture
def history(oneonone, meeting, alice, bob, question_bank) -> History:
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    other_point = actions.add_talking_point(meeting, by=bob, text="Growth plan")
    actions.add_talking_point(meeting, by=alice, text="alice-private", private=True)
    actions.mark_discussed(other_point, by=bob)
    item = actions.add_action_item(meeting, by=alice, text="Write the RFC", owner=bob)
    done = actions.add_action_item(meeting, by=bob, text="Book a room", owner=alice)
    actions.complete_action_item(done, by=alice)
    actions.save_shared_note(meeting, text="We agreed on **Friday**", base_version=0, by=bob)
    actions.save_private_note(meeting, by=alice, text="Ask about the move")
    following = actions.mark_meeting_held(meeting, by=alice)
    assert following is not None
    actions.end_oneonone(oneonone, by=bob)
    following.refresh_from_db()
    assert following.status == "cancelled"
    # Alice's undiscussed points moved on to the next meeting when this one was held.
    point.refresh_from_db()
    assert point.meeting_id == following.pk
    return History(oneonone, meeting, following, point, other_point, item, done)


def snapshot(oneonone: OneOnOne) -> dict[str, Any]:
    """Every row an ended one-on-one's write views could touch."""
    in_it = {"meeting__oneonone": oneonone}
    return {
        "oneonone": OneOnOne.objects.filter(pk=oneonone.pk).values().get(),
        "meetings": list(Meeting.objects.filter(oneonone=oneonone).order_by("pk").values()),
        "points": list(TalkingPoint.objects.filter(**in_it).order_by("pk").values()),
        "notes": list(SharedNote.objects.filter(**in_it).order_by("pk").values()),
        "private_notes": list(PrivateNote.objects.filter(**in_it).order_by("pk").values()),
        "items": list(ActionItem.objects.filter(oneonone=oneonone).order_by("pk").values()),
        "all_meetings": Meeting.objects.count(),
        "all_templates": Template.objects.count(),
    }


@dataclass
class Write:
    name: str
    url: Callable[[History], str]
    data: Callable[[History], dict[str, Any]]
    plain_status: int  # without JavaScript
    htmx_status: int  # htmx swaps only 2xx answers, so refusals it shows come back as 200
    message: str = READ_ONLY
    plain_message: str | None = None  # when the page without JavaScript words it otherwise


def later(h: History) -> str:
    return (h.cancelled.scheduled_at + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def r(name: str, pk: int) -> str:
    return reverse(f"oneonones:{name}", args=[pk])


WRITES = [
    Write(
        "add_talking_point",
        lambda h: r("add_talking_point", h.held.pk),
        lambda h: {"text": "Hiring"},
        409,
        200,
    ),
    Write(
        "add_from_template",
        lambda h: r("add_from_template", h.held.pk),
        lambda h: {"template": str(Template.objects.filter(owner=None).first().pk)},
        400,
        200,
        plain_message=AGENDA_PAGE,
    ),
    Write(
        "move_talking_point",
        lambda h: r("move_talking_point", h.point.pk),
        lambda h: {"direction": "down"},
        409,
        200,
    ),
    Write(
        "reorder_talking_points",
        lambda h: r("reorder_talking_points", h.cancelled.pk),
        lambda h: {
            "order": [
                p.pk for p in reversed(actions.visible_talking_points(h.cancelled, h.point.author))
            ]
        },
        409,
        200,
    ),
    Write(
        "edit_talking_point",
        lambda h: r("edit_talking_point", h.point.pk),
        lambda h: {"text": "Rewritten"},
        400,
        200,
        plain_message=AGENDA_PAGE,
    ),
    Write(
        "mark_discussed",
        lambda h: r("mark_discussed", h.point.pk),
        lambda h: {"discussed": "1"},
        409,
        200,
    ),
    Write(
        "mark_not_discussed",
        lambda h: r("mark_discussed", h.other_point.pk),
        lambda h: {"discussed": "0"},
        409,
        200,
    ),
    Write(
        "delete_talking_point",
        lambda h: r("delete_talking_point", h.point.pk),
        lambda h: {},
        409,
        200,
    ),
    Write(
        "save_shared_note",
        lambda h: r("save_shared_note", h.held.pk),
        lambda h: {"text": "Rewritten", "base_version": "1"},
        409,
        200,
    ),
    Write(
        "save_shared_note_first",  # the cancelled meeting has none yet: none is created
        lambda h: r("save_shared_note", h.cancelled.pk),
        lambda h: {"text": "New", "base_version": "0"},
        409,
        200,
    ),
    Write(
        "save_private_note",
        lambda h: r("save_private_note", h.held.pk),
        lambda h: {"text": "Rewritten"},
        409,
        200,
    ),
    Write(
        "add_action_item",
        lambda h: r("add_action_item", h.held.pk),
        lambda h: {"text": "Book a room", "owner": str(h.oneonone.first_id)},
        409,
        200,
    ),
    Write(
        "edit_action_item",
        lambda h: r("edit_action_item", h.item.pk),
        lambda h: {"text": "Rewritten", "owner": str(h.oneonone.first_id)},
        302,
        302,
        ITEMS_CLOSE_ONLY,
    ),
    Write(
        "delete_action_item",
        lambda h: r("delete_action_item", h.item.pk),
        lambda h: {},
        302,
        302,
        ITEMS_CLOSE_ONLY,
    ),
    Write("mark_held", lambda h: r("mark_held", h.cancelled.pk), lambda h: {}, 409, 409),
    Write(
        "reschedule",
        lambda h: r("reschedule", h.cancelled.pk),
        lambda h: {"scheduled_at": later(h), "reason": "Travel"},
        400,
        400,
        MEETINGS_PAGE,
    ),
    Write(
        "cancel",
        lambda h: r("cancel", h.cancelled.pk),
        lambda h: {"reason": "Sick"},
        400,
        400,
        MEETINGS_PAGE,
    ),
    Write(
        "add_meeting",
        lambda h: r("add_meeting", h.oneonone.pk),
        lambda h: {"scheduled_at": later(h), "duration_minutes": "45"},
        400,
        400,
        MEETINGS_PAGE,
    ),
    Write(
        "settings",
        lambda h: r("settings", h.oneonone.pk),
        lambda h: {"kind": "peer", "cadence": "monthly", "weekday": "2", "timezone": "UTC"},
        400,
        400,
        "This one-on-one ended on",
    ),
    Write(
        "end",
        lambda h: r("end", h.oneonone.pk),
        lambda h: {},
        302,
        302,
        "The one-on-one has ended.",
    ),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_a_write_to_an_ended_one_on_one_changes_nothing_and_says_why(
    client_for, history, alice, write, htmx
):
    before = snapshot(history.oneonone)
    client = client_for(alice)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(write.url(history), write.data(history), **headers)
    expected = write.htmx_status if htmx else write.plain_status
    assert response.status_code == expected
    if response.status_code == 302:
        # The message waits for the page the redirect leads to.
        content = client.get(response["Location"]).content.decode()
    else:
        content = response.content.decode()
    assert (write.message if htmx else write.plain_message or write.message) in content
    if htmx and expected == 200:
        assert "<html" not in content  # a partial to swap in, the reason inside it
    assert snapshot(history.oneonone) == before


# Toggling an action item, which stays allowed (see "Action items stay closable" below).
TOGGLES = [
    Write(
        "toggle_action_item_done",
        lambda h: r("toggle_action_item", h.item.pk),
        lambda h: {"done": "1", "next": reverse("oneonones:my_action_items")},
        302,
        200,
    ),
    Write(
        "toggle_action_item_reopen",
        lambda h: r("toggle_action_item", h.done.pk),
        lambda h: {"done": "0", "meeting": str(h.held.pk)},
        302,
        200,
    ),
]


@pytest.mark.parametrize("write", WRITES + TOGGLES, ids=[w.name for w in WRITES + TOGGLES])
def test_outsiders_still_get_404_first(client_for, history, carol, admin, write):
    before = snapshot(history.oneonone)
    for person in (carol, admin):
        response = client_for(person).post(write.url(history), write.data(history))
        assert response.status_code == 404, person
    assert snapshot(history.oneonone) == before


@pytest.mark.parametrize(
    "name,section",
    [
        ("add_talking_point", "agenda"),
        ("save_shared_note", "notes"),
        ("save_private_note", "private_note"),
        ("add_action_item", "action_items"),
    ],
)
def test_with_htmx_the_refusal_is_the_section_it_was_made_from(
    client_for, history, alice, name, section
):
    write = next(w for w in WRITES if w.name == name)
    response = client_for(alice).post(
        write.url(history), write.data(history), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section class="card')
    assert f'id="{section}"' in content.split(">", 1)[0]
    assert f'role="alert">{READ_ONLY}<' in content


def test_without_javascript_the_meeting_page_says_it_is_read_only(client_for, history, alice):
    url = reverse("oneonones:mark_discussed", args=[history.point.pk])
    content = client_for(alice).post(url, {"discussed": "1"}).content.decode()
    assert "<html" in content
    assert f'role="alert">{READ_ONLY}<' in content
    assert "Its history stays readable for you both, and is read-only," in content


# --- What the pages offer --------------------------------------------------------------------

ONEONONE_WRITE_URLS = [
    "add_talking_point",
    "reorder_talking_points",
    "add_from_template",
    "save_shared_note",
    "save_private_note",
    "add_action_item",
    "mark_held",
    "reschedule",
    "cancel",
]


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_an_ended_one_on_ones_meeting_page_offers_no_change(request, client_for, history, persona):
    client = client_for(request.getfixturevalue(persona))
    for meeting in (history.held, history.cancelled):
        content = client.get(reverse("oneonones:meeting", args=[meeting.pk])).content.decode()
        assert "Its history stays readable for you both, and is read-only," in content
        for name in ONEONONE_WRITE_URLS:
            assert reverse(f"oneonones:{name}", args=[meeting.pk]) not in content, name
        for point in meeting.talking_points.all():
            for name in ("move_talking_point", "mark_discussed", "delete_talking_point"):
                assert reverse(f"oneonones:{name}", args=[point.pk]) not in content, name
        # Only the action items keep their toggle, and say that they can still be closed.
        assert reverse("oneonones:toggle_action_item", args=[history.item.pk]) in content
        assert "action items can still be marked done or reopened" in content
    done_toggle = reverse("oneonones:toggle_action_item", args=[history.done.pk])
    assert (
        done_toggle
        in client.get(reverse("oneonones:meeting", args=[history.held.pk])).content.decode()
    )
    # What was written stays readable.
    held = client.get(reverse("oneonones:meeting", args=[history.held.pk])).content.decode()
    assert "<strong>Friday</strong>" in held
    assert ("Ask about the move" in held) == (persona == "alice")


def test_an_open_one_on_ones_meeting_page_offers_every_change(client_for, oneonone, meeting, alice):
    # The other side of the test above: these forms are there while it goes on.
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    actions.add_talking_point(meeting, by=alice, text="Hiring")
    item = actions.add_action_item(meeting, by=alice, text="Write the RFC", owner=alice)
    content = client_for(alice).get(reverse("oneonones:meeting", args=[meeting.pk]))
    content = content.content.decode()
    assert "is read-only" not in content
    for name in ONEONONE_WRITE_URLS:
        assert reverse(f"oneonones:{name}", args=[meeting.pk]) in content, name
    for name in ("move_talking_point", "mark_discussed", "delete_talking_point"):
        assert reverse(f"oneonones:{name}", args=[point.pk]) in content, name
    assert reverse("oneonones:toggle_action_item", args=[item.pk]) in content


@pytest.mark.parametrize("name", ["reschedule", "cancel", "add_from_template"])
def test_an_ended_one_on_ones_meeting_forms_say_it_is_read_only(client_for, history, alice, name):
    response = client_for(alice).get(reverse(f"oneonones:{name}", args=[history.cancelled.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "This one-on-one has ended;" in content and "read-only" in content
    assert 'type="submit"' not in content.split('<main id="main"')[1]


def test_an_ended_one_on_one_takes_no_extra_meeting(client_for, history, alice):
    response = client_for(alice).get(reverse("oneonones:add_meeting", args=[history.oneonone.pk]))
    content = response.content.decode()
    assert MEETINGS_PAGE in content
    assert 'type="submit"' not in content.split('<main id="main"')[1]


def test_action_items_of_an_ended_one_on_one_keep_their_toggle(client_for, history, alice, bob):
    toggle = reverse("oneonones:toggle_action_item", args=[history.item.pk])
    for person, pages in (
        # The owner, on every page that lists it as open.
        (
            bob,
            [
                reverse("oneonones:my_action_items"),
                reverse("home"),
                reverse("oneonones:detail", args=[history.oneonone.pk]),
            ],
        ),
        # The other person sees it on the one-on-one's pages.
        (
            alice,
            [
                reverse("oneonones:detail", args=[history.oneonone.pk]),
                reverse("oneonones:meeting", args=[history.held.pk]),
            ],
        ),
    ):
        client = client_for(person)
        for page in pages:
            content = client.get(page).content.decode()
            assert "Write the RFC" in content, page
            assert f'action="{toggle}"' in content, page
            assert f'hx-post="{toggle}"' in content, page


@pytest.mark.parametrize(
    "write",
    [
        lambda h, p: actions.add_talking_point(h.held, by=p, text="Hiring"),
        lambda h, p: actions.mark_discussed(h.point, by=p),
        lambda h, p: actions.move_talking_point(h.point, by=p, direction="down"),
        lambda h, p: actions.edit_talking_point(h.point, by=p, text="Rewritten"),
        lambda h, p: actions.delete_talking_point(h.point, by=p),
        lambda h, p: actions.save_shared_note(h.held, text="New", base_version=1, by=p),
        lambda h, p: actions.save_private_note(h.held, by=p, text="New"),
        lambda h, p: actions.add_action_item(h.held, by=p, text="New", owner=p),
        lambda h, p: actions.mark_meeting_held(h.cancelled, by=p),
        lambda h, p: actions.cancel_meeting(h.cancelled, by=p),
        lambda h, p: actions.reschedule_meeting(
            h.cancelled, by=p, scheduled_at=h.cancelled.scheduled_at + dt.timedelta(days=1)
        ),
    ],
    ids=[
        "add_talking_point",
        "mark_discussed",
        "move_talking_point",
        "edit_talking_point",
        "delete_talking_point",
        "save_shared_note",
        "save_private_note",
        "add_action_item",
        "mark_meeting_held",
        "cancel_meeting",
        "reschedule_meeting",
    ],
)
def test_every_action_refuses_an_ended_one_on_one(history, alice, write):
    # Whoever calls them (views, the API, commands) gets the same refusal.
    before = snapshot(history.oneonone)
    with pytest.raises(actions.OneOnOneEnded, match="has ended"):
        write(history, alice)
    assert snapshot(history.oneonone) == before


# --- Action items stay closable ----------------------------------------------------------------


def assert_only_toggled(before: dict[str, Any], after: dict[str, Any], item: ActionItem) -> None:
    """Only the item's done_at changed, and the content version went up (pages render again)."""
    assert after["oneonone"]["content_version"] > before["oneonone"]["content_version"]
    assert {**after["oneonone"], "content_version": 0} == {
        **before["oneonone"],
        "content_version": 0,
    }
    changed = [
        row["id"] for row, old in zip(after["items"], before["items"], strict=True) if row != old
    ]
    assert changed == [item.pk]
    assert [{**row, "done_at": None} for row in after["items"]] == [
        {**row, "done_at": None} for row in before["items"]
    ]
    for key in before.keys() - {"oneonone", "items"}:
        assert after[key] == before[key], key


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_ended_one_on_ones_open_item_is_marked_done_from_my_action_items(
    client_for, history, bob, htmx
):
    client = client_for(bob)  # the item's owner
    listed = reverse("oneonones:my_action_items")
    assert "Write the RFC" in client.get(listed).content.decode()
    before = snapshot(history.oneonone)
    url = reverse("oneonones:toggle_action_item", args=[history.item.pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    # What the list's form posts.
    response = client.post(url, {"done": "1", "next": listed}, **headers)
    if htmx:
        assert response.status_code == 200
        row = response.content.decode().lstrip()
        # The row, ticked, with its toggle now offering to reopen it.
        assert row.startswith(f'<li class="item item--done" id="action-item-{history.item.pk}"')
        assert "<html" not in row
        assert 'aria-label="Reopen: Write the RFC"' in row
        assert READ_ONLY not in row
    else:
        assert response.status_code == 302
        assert response["Location"] == listed
    history.item.refresh_from_db()
    assert history.item.done_at is not None
    assert_only_toggled(before, snapshot(history.oneonone), history.item)
    # Gone from the open list, on the done one.
    open_list = client.get(listed).content.decode()
    assert "Write the RFC" not in open_list
    assert "Nothing open. Well done." in open_list
    assert "Write the RFC" in client.get(listed + "?show=done").content.decode()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_ended_one_on_ones_open_item_is_marked_done_from_the_home_page(
    client_for, history, bob, htmx
):
    client = client_for(bob)
    home = reverse("home")
    assert "Write the RFC" in client.get(home).content.decode()
    url = reverse("oneonones:toggle_action_item", args=[history.item.pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url, {"done": "1", "next": home}, **headers)
    if htmx:
        assert response.status_code == 200
        assert 'class="item item--done"' in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"] == home
    history.item.refresh_from_db()
    assert history.item.done_at is not None
    # The home page was cached with the item; the content version makes it render again.
    assert "Write the RFC" not in client.get(home).content.decode()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_either_person_toggles_an_ended_one_on_ones_items_on_its_meeting_page(
    client_for, history, alice, bob, htmx
):
    meeting_url = reverse("oneonones:meeting", args=[history.held.pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    # Bob reopens the item alice owns and had done; alice marks bob's done.
    for person, item, done in ((bob, history.done, "0"), (alice, history.item, "1")):
        before = snapshot(history.oneonone)
        url = reverse("oneonones:toggle_action_item", args=[item.pk])
        data = {"done": done, "meeting": str(history.held.pk), "next": meeting_url}
        response = client_for(person).post(url, data, **headers)
        if htmx:
            assert response.status_code == 200
            section = response.content.decode().lstrip()
            assert section.startswith('<section class="card" id="action_items"')
            assert READ_ONLY not in section
            # The toggles are back; the rest of the section stays read-only.
            assert f'hx-post="{url}"' in section
            assert reverse("oneonones:add_action_item", args=[history.held.pk]) not in section
        else:
            assert response.status_code == 302
            assert response["Location"] == meeting_url
        item.refresh_from_db()
        assert (item.done_at is None) == (done == "0")
        assert_only_toggled(before, snapshot(history.oneonone), item)


def test_both_people_can_complete_and_reopen_an_ended_one_on_ones_items(history, alice, bob):
    for person in (alice, bob):
        version = OneOnOne.objects.get(pk=history.oneonone.pk).content_version
        actions.complete_action_item(history.item, by=person)
        history.item.refresh_from_db()
        assert history.item.done_at is not None
        actions.reopen_action_item(history.item, by=person)
        history.item.refresh_from_db()
        assert history.item.done_at is None
        assert OneOnOne.objects.get(pk=history.oneonone.pk).content_version == version + 2


def test_outsiders_still_cannot_toggle_an_ended_one_on_ones_items(history, carol):
    before = snapshot(history.oneonone)
    with pytest.raises(PermissionDenied):
        actions.complete_action_item(history.item, by=carol)
    with pytest.raises(PermissionDenied):
        actions.reopen_action_item(history.done, by=carol)
    assert snapshot(history.oneonone) == before
