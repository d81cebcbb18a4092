"""An ended one-on-one is read-only: every write to it changes nothing and says why.

Each write view is posted to by a participant after the one-on-one ended, with htmx and
without JavaScript: the answer is never a 500, it carries the reason, and the database is
exactly as it was (content version included, so no page was invalidated either).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
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
    return History(oneonone, meeting, following, point, other_point, item)


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
        "toggle_action_item_on_meeting",
        lambda h: r("toggle_action_item", h.item.pk),
        lambda h: {"done": "1", "meeting": str(h.held.pk)},
        409,
        200,
    ),
    Write(
        # From the action items list: back to it, where the message shows (see below).
        "toggle_action_item_in_list",
        lambda h: r("toggle_action_item", h.item.pk),
        lambda h: {"done": "1", "next": reverse("oneonones:my_action_items")},
        302,
        200,
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


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
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
    assert "Its history stays readable for you both, and is read-only." in content


def test_a_refused_toggle_in_the_list_shows_the_item_unchanged(client_for, history, alice):
    url = reverse("oneonones:toggle_action_item", args=[history.item.pk])
    response = client_for(alice).post(url, {"done": "1"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith(f'<li class="item" id="action-item-{history.item.pk}"')
    assert READ_ONLY in content
    assert url not in content  # no toggle to try again


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
        assert "Its history stays readable for you both, and is read-only." in content
        for name in ONEONONE_WRITE_URLS:
            assert reverse(f"oneonones:{name}", args=[meeting.pk]) not in content, name
        for point in meeting.talking_points.all():
            for name in ("move_talking_point", "mark_discussed", "delete_talking_point"):
                assert reverse(f"oneonones:{name}", args=[point.pk]) not in content, name
        assert reverse("oneonones:toggle_action_item", args=[history.item.pk]) not in content
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


def test_action_items_of_an_ended_one_on_one_have_no_toggle(client_for, history, bob):
    client = client_for(bob)  # the item's owner
    toggle = reverse("oneonones:toggle_action_item", args=[history.item.pk])
    for page in (
        reverse("oneonones:my_action_items"),
        reverse("home"),
        reverse("oneonones:detail", args=[history.oneonone.pk]),
    ):
        content = client.get(page).content.decode()
        assert "Write the RFC" in content, page
        assert toggle not in content, page


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
        lambda h, p: actions.complete_action_item(h.item, by=p),
        lambda h, p: actions.reopen_action_item(h.item, by=p),
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
        "complete_action_item",
        "reopen_action_item",
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
