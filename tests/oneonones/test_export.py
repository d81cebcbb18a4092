"""A one-on-one's history as a Markdown file: what its reader can read, nothing more."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tete.oneonones import actions


def test_the_history_holds_what_the_reader_can_read(client_for, oneonone, meeting, alice, bob):
    actions.add_talking_point(meeting, by=bob, text="Growth plan")
    actions.add_talking_point(meeting, by=alice, text="Alice's own worry", private=True)
    actions.add_talking_point(meeting, by=bob, text="Bob's secret", private=True)
    actions.save_shared_note(meeting, text="We agreed on **Friday**", base_version=0, by=bob)
    actions.save_private_note(meeting, by=alice, text="Ask about the move")
    actions.save_private_note(meeting, by=bob, text="Bob's private note")
    due = meeting.scheduled_at.date() + dt.timedelta(days=7)
    actions.add_action_item(meeting, by=alice, text="Write the RFC", owner=bob, due_date=due)
    actions.mark_meeting_held(meeting, by=alice)

    response = client_for(alice).post(reverse("oneonones:export", args=[oneonone.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert 'filename="one-on-ones-bob-jones-' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# One-on-one: Alice Martin & Bob Jones\n")
    for expected in (
        "· Held",
        "- [ ] Growth plan — Bob Jones",
        "- [ ] Alice's own worry — you (private)",
        "### Shared notes\n\n> We agreed on **Friday**",
        "### My private note\n\n> Ask about the move",
        "Manager and report · Weekly on Mondays at 10:00",
        f"- [ ] Write the RFC — Bob Jones, due {due:%-d %b %Y}",
    ):
        assert expected in text, expected
    # The other person's private writing never leaves with the file.
    assert "Bob's secret" not in text and "Bob's private note" not in text
    # Meetings come oldest first: the held one before the next one.
    assert text.index("· Held") < text.index("· Scheduled")


def test_only_the_two_people_download_it_also_after_the_end(
    client_for, oneonone, alice, bob, carol, admin
):
    url = reverse("oneonones:export", args=[oneonone.pk])
    for person in (carol, admin):
        assert client_for(person).get(url).status_code == 404
    assert client_for(None).get(url)["Location"].startswith("/login/")
    actions.end_oneonone(oneonone, by=alice)
    text = client_for(bob).post(url).content.decode()
    assert "Ended " in text
    detail = client_for(bob).get(reverse("oneonones:detail", args=[oneonone.pk])).content
    assert url in detail.decode()


def test_the_download_takes_a_fixed_number_of_queries(
    client_for, oneonone, meeting, alice, bob, django_assert_max_num_queries
):
    client = client_for(alice)
    url = reverse("oneonones:export", args=[oneonone.pk])
    client.post(url)  # sessions, and the like
    for week in range(6):
        actions.add_talking_point(meeting, by=bob, text=f"Point {week}")
        actions.add_action_item(meeting, by=bob, text=f"Item {week}", owner=alice)
        meeting = actions.mark_meeting_held(meeting, by=alice)
        actions.save_private_note(meeting, by=alice, text=f"Note {week}")
    # The file, and the entry in the other participant's access log (its savepoint too).
    with django_assert_max_num_queries(16):
        assert client.post(url).status_code == 200


def test_a_get_shows_the_button_and_writes_nothing(client_for, oneonone, alice, bob):
    from tete.mydata.models import AccessEvent

    response = client_for(alice).get(reverse("oneonones:export", args=[oneonone.pk]))
    assert response.status_code == 200 and '<form method="post"' in response.text
    assert not AccessEvent.objects.filter(person=bob).exists()


def test_the_download_shows_in_the_other_participants_access_log(client_for, oneonone, alice, bob):
    from tete.mydata.models import AccessEvent, EventKind

    client_for(alice).post(reverse("oneonones:export", args=[oneonone.pk]))
    event = AccessEvent.objects.get(person=bob)
    assert event.kind == EventKind.HISTORY_DOWNLOADED and event.actor == alice
    assert not AccessEvent.objects.filter(person=alice, kind=EventKind.HISTORY_DOWNLOADED).exists()
    log = client_for(bob).get(reverse("mydata:access_log")).text
    assert "Alice Martin downloaded your shared history" in log
