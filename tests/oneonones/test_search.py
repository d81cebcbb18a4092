"""Searching one's own one-on-ones finds what one may read, and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tete.oneonones import actions
from tete.oneonones.search import snippet

URL = reverse("oneonones:search")


@pytest.fixture
def history(oneonone, meeting, alice, bob, carol):
    """Alice and Bob's meeting holds the word "promotion" in every kind of text; so does a
    one-on-one of Carol's that Alice is not in."""
    actions.add_talking_point(meeting, by=bob, text="My promotion case")
    actions.add_talking_point(meeting, by=bob, text="Bob's own promotion worry", private=True)
    actions.add_talking_point(meeting, by=alice, text="Alice's promotion doubts", private=True)
    actions.save_shared_note(
        meeting, text="We talked **promotion** criteria", base_version=0, by=bob
    )
    actions.save_private_note(meeting, by=bob, text="Bob thinks promotion is late")
    actions.save_private_note(meeting, by=alice, text="Ask HR about promotion budget")
    actions.add_action_item(meeting, by=alice, text="Write the promotion packet", owner=bob)
    others = actions.start_oneonone(by=carol, other=bob, kind="peer", cadence="weekly", weekday=1)
    actions.add_talking_point(
        actions.ensure_next_meeting(others), by=carol, text="Carol's promotion plan"
    )
    return meeting


def texts(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_everything_one_may_read_is_found(client_for, history, alice):
    page = texts(client_for(alice).get(URL, {"q": "PROMOTION"}))  # case does not matter
    assert "5 results" in page
    for found in ("My <mark>promotion</mark> case", "We talked <mark>promotion</mark> criteria",
                  "Alice&#x27;s <mark>promotion</mark> doubts", "Ask HR about <mark>promotion</mark> budget",
                  "Write the <mark>promotion</mark> packet"):  # fmt: skip
        assert found in page, found
    meeting_url = reverse("oneonones:meeting", args=[history.pk])
    assert f'href="{meeting_url}#notes"' in page and f'href="{meeting_url}#private_note"' in page


def test_nobody_elses_private_writing_or_one_on_ones_are_searched(
    client_for, history, alice, admin
):
    page = texts(client_for(alice).get(URL, {"q": "promotion"}))
    assert "Bob&#x27;s own" not in page and "Bob thinks" not in page  # Bob's private writing
    assert "Carol" not in page  # a one-on-one Alice is not in
    assert "Nothing found" in texts(client_for(admin).get(URL, {"q": "promotion"}))


def test_a_search_within_one_one_on_one(client_for, history, oneonone, bob, carol):
    page = texts(client_for(bob).get(URL, {"q": "promotion", "in": oneonone.pk}))
    assert "Search your one-on-one with Alice Martin" in page
    assert "Carol&#x27;s promotion plan" not in page.replace("<mark>", "").replace("</mark>", "")
    assert "Bob&#x27;s own <mark>promotion</mark> worry" in page  # his own private point
    everywhere = texts(client_for(bob).get(URL, {"q": "promotion"}))
    assert "Carol&#x27;s <mark>promotion</mark> plan" in everywhere
    # Someone else's one-on-one cannot be named as the place to search.
    assert client_for(carol).get(URL, {"q": "promotion", "in": oneonone.pk}).status_code == 404


def test_results_come_a_page_at_a_time_keeping_the_query(client_for, meeting, alice):
    for number in range(25):
        actions.add_talking_point(meeting, by=alice, text=f"Roadmap item {number}")
    client = client_for(alice)
    first = texts(client.get(URL, {"q": "roadmap"}))
    assert "25 results" in first and "Page 1 of 2" in first
    assert "?q=roadmap&amp;page=2" in first
    assert "Page 2 of 2" in texts(client.get(URL, {"q": "roadmap", "page": 2}))


def test_short_or_empty_queries_search_nothing(client_for, history, alice):
    client = client_for(alice)
    assert "result" not in texts(client.get(URL))
    assert "Type at least 2 characters." in texts(client.get(URL, {"q": "p"}))
    assert client_for(None).get(URL)["Location"].startswith("/login/")


def test_a_snippet_is_escaped_and_marks_every_match():
    text = "<b>x</b> " + "filler " * 40 + "Budget talk, then budget again"
    shown = snippet(text, "budget")
    assert shown.startswith("…") and "<b>" not in shown
    assert shown.count("<mark>") == 2
    assert "<mark>Budget</mark> talk, then <mark>budget</mark> again" in shown
