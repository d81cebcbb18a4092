"""Pages render what they should, and their query count does not grow with history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tete.oneonones import actions, queries
from tete.oneonones.models import ActionItem, Meeting, PrivateNote, SharedNote, TalkingPoint
from tete.oneonones.reminders import send_meeting_reminders


def make_history(oneonone, count: int) -> None:
    """`count` held meetings before the upcoming one, each with points, notes and an item."""
    first, second = oneonone.participants
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            oneonone=oneonone,
            scheduled_at=now - dt.timedelta(days=7 * (n + 1)),
            status="held",
            held_at=now - dt.timedelta(days=7 * (n + 1)),
        )
        for n in range(count)
    )
    TalkingPoint.objects.bulk_create(
        TalkingPoint(meeting=m, author=author, text=f"Point {m.pk}", discussed=True)
        for m in meetings
        for author in (first, second)
    )
    SharedNote.objects.bulk_create(
        SharedNote(meeting=m, text="- notes", version=1) for m in meetings
    )
    PrivateNote.objects.bulk_create(
        PrivateNote(meeting=m, author=first, text="p") for m in meetings
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            oneonone=oneonone,
            created_in=m,
            text=f"Item {m.pk}",
            owner=second,
            created_by=first,
            done_at=None if i % 20 == 0 else now,
            due_date=(now - dt.timedelta(days=3)).date(),
        )
        for i, m in enumerate(meetings)
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Session and person included. The pages fold what they can into fewer queries: keep it so.
# Among them, the detail page reads the meetings ahead with the cancelled ones still ahead
# (not yet history) in one, the action items page the people one can filter by, the meeting
# page the recordings left unfinished in the browser.
# Cadence health (oneonones/health.py) reads a fixed number more: on home, one statement for
# every kind of flag of all one-on-ones (the latest rows of each, by a window function); on the
# detail page, two for both windows' figures (the first also reads the last held meeting
# and the oldest carried point) and one for the flags. A dismissal is read only when a flag
# is up. Cold: the page is rendered (the cache is emptied first); detail and meeting pages
# spend one query on the light access check that comes before the cache. Warm: served from
# the page cache after that check. Without the cache, the pages skip that check (they read
# what they show with the same access rule).
# The sections with nothing to show (no transcripts, check-in or unfinished recording, as
# here) read nothing: the page's own query says so (tests/oneonones/test_section_queries.py).
QUERY_BUDGETS = {"home": 7, "detail": 11, "meeting": 8, "list": 3, "action_items": 4}
WARM_QUERY_BUDGETS = {"home": 3, "detail": 3, "meeting": 3}


@pytest.mark.parametrize("page", ["home", "detail", "meeting", "list", "action_items"])
def test_query_count_does_not_grow_with_history(
    page, settings, client_for, oneonone, meeting, alice, bob, django_assert_max_num_queries
):
    urls = {
        "home": reverse("home"),
        "detail": reverse("oneonones:detail", args=[oneonone.pk]),
        "meeting": reverse("oneonones:meeting", args=[meeting.pk]),
        "list": reverse("oneonones:list"),
        "action_items": reverse("oneonones:my_action_items"),
    }
    client = client_for(alice)
    client.get(urls[page])  # the CSRF cookie, so that the page may be cached
    actions.add_talking_point(meeting, by=bob, text="Upcoming point")
    make_history(oneonone, 5)
    cache.clear()
    small = count_queries(client, urls[page])
    make_history(oneonone, 195)
    assert oneonone.meetings.count() == 201
    cache.clear()
    with django_assert_max_num_queries(small):
        client.get(urls[page])
    cache.clear()
    with django_assert_max_num_queries(QUERY_BUDGETS[page]):
        response = client.get(urls[page])
    if page in WARM_QUERY_BUDGETS:
        assert response.page_cache == "miss"
        with django_assert_max_num_queries(WARM_QUERY_BUDGETS[page]):
            assert client.get(urls[page]).page_cache == "hit"
        # Without the cache there is no key to make, and no stamp to read for it.
        settings.TETE_PAGE_CACHE = False
        with django_assert_max_num_queries(QUERY_BUDGETS[page] - 1):
            assert client.get(urls[page]).page_cache == "skip"


def test_home_flags_meetings_to_prepare_and_lists_my_open_items(client_for, meeting, alice, bob):
    client = client_for(bob)
    content = client.get(reverse("home")).content.decode()
    assert "Prepare: no talking points yet" in content
    assert "Alice Martin" in content
    actions.add_talking_point(meeting, by=alice, text="Something")
    actions.add_action_item(
        meeting,
        by=alice,
        text="Ship it",
        owner=bob,
        due_date=timezone.localdate() - dt.timedelta(1),
    )
    content = client.get(reverse("home")).content.decode()
    assert "Prepare: no talking points yet" not in content
    assert "1 talking point" in content
    assert "Ship it" in content and "1 overdue" in content


def test_a_private_point_does_not_count_for_the_other_person(client_for, meeting, alice, bob):
    actions.add_talking_point(meeting, by=alice, text="Secret", private=True)
    assert "Prepare: no talking points yet" in client_for(bob).get("/").content.decode()
    assert "1 talking point" in client_for(alice).get("/").content.decode()


def test_pages_show_the_planned_next_meeting_and_the_reminders_job_makes_it(
    client_for, oneonone, meeting, alice
):
    # Held as a bulk writer would mark it: no next meeting was made.
    Meeting.objects.filter(pk=meeting.pk).update(status="held", held_at=timezone.now())
    planned = queries.planned_next_meeting(oneonone)
    assert planned.scheduled_at == meeting.scheduled_at + dt.timedelta(days=7)
    client = client_for(alice)
    for url in (reverse("home"), reverse("oneonones:detail", args=[oneonone.pk])):
        page = client.get(url).content.decode()
        assert f'datetime="{planned.scheduled_at.isoformat()}"' in page, url
    assert not oneonone.meetings.filter(status="scheduled").exists()
    send_meeting_reminders()
    made = oneonone.meetings.get(status="scheduled")
    assert made.scheduled_at == planned.scheduled_at


@pytest.mark.parametrize("page_cache", [True, False])
def test_the_planned_next_meeting_shows_with_and_without_the_page_cache(
    page_cache, settings, client_for, oneonone, meeting, alice, bob, carol
):
    """Without the cache the page reads the one-on-one once, with what the cache's stamp
    would have said about a meeting row ahead; the access rule is the same either way."""
    settings.TETE_PAGE_CACHE = page_cache
    Meeting.objects.filter(pk=meeting.pk).update(status="held", held_at=timezone.now())
    planned = queries.planned_next_meeting(oneonone)
    url = reverse("oneonones:detail", args=[oneonone.pk])
    for person in (alice, bob):
        client = client_for(person)
        for page in (reverse("home"), url):
            client.get(page)  # the CSRF cookie, so that the page may be cached
            response = client.get(page)
            assert response.page_cache in ({"miss", "hit"} if page_cache else {"skip"})
            assert f'datetime="{planned.scheduled_at.isoformat()}"' in response.content.decode()
    assert client_for(carol).get(url).status_code == 404
    # A row ahead again (written behind the page cache's back, hence the clear): it is shown.
    row = Meeting.objects.create(oneonone=oneonone, scheduled_at=planned.scheduled_at)
    cache.clear()
    for page in (reverse("home"), url):
        assert (
            reverse("oneonones:meeting", args=[row.pk])
            in client_for(alice).get(page).content.decode()
        )


def test_a_planned_meeting_counts_the_waiting_points_each_person_sees(
    client_for, meeting, alice, bob
):
    actions.add_talking_point(meeting, by=alice, text="Shared, left over")
    actions.add_talking_point(meeting, by=alice, text="Alice's own", private=True)
    discussed = actions.add_talking_point(meeting, by=bob, text="Talked about")
    TalkingPoint.objects.filter(pk=discussed.pk).update(discussed=True)
    Meeting.objects.filter(pk=meeting.pk).update(status="held", held_at=timezone.now())
    assert "2 talking points" in client_for(alice).get("/").content.decode()
    assert "1 talking point<" in client_for(bob).get("/").content.decode()


def test_opening_the_planned_meeting_makes_it_with_the_waiting_points(
    client_for, oneonone, meeting, alice, bob
):
    actions.add_talking_point(meeting, by=bob, text="Left over")
    Meeting.objects.filter(pk=meeting.pk).update(status="held", held_at=timezone.now())
    client = client_for(alice)
    detail = reverse("oneonones:detail", args=[oneonone.pk])
    assert "Left over" in client.get(detail).content.decode()
    prepare = reverse("oneonones:prepare_next_meeting", args=[oneonone.pk])
    response = client.post(prepare)
    made = oneonone.meetings.get(status="scheduled")
    assert response["Location"] == reverse("oneonones:meeting", args=[made.pk])
    assert [p.text for p in made.talking_points.all()] == ["Left over"]
    # Posting again opens the same meeting; a talking point posted with it joins its agenda.
    response = client.post(prepare, {"text": "Fresh", "next": detail})
    assert response["Location"] == detail
    assert oneonone.meetings.filter(status="scheduled").count() == 1
    assert [p.text for p in made.talking_points.all()] == ["Left over", "Fresh"]


def test_many_cancelled_meetings_ahead_do_not_hide_the_next_one(client_for, oneonone, meeting, bob):
    """The meetings ahead and the cancelled ones ahead come from one query, each with its
    own limit: a run of cancellations leaves the next meeting shown."""
    for days in range(1, 8):
        Meeting.objects.create(
            oneonone=oneonone,
            scheduled_at=timezone.now() + dt.timedelta(days=days),
            status="cancelled",
            reason=f"Away {days}",
        )
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=timezone.now() + dt.timedelta(days=9))
    page = client_for(bob).get(reverse("oneonones:detail", args=[oneonone.pk])).content.decode()
    ahead = page.split('id="history-title"')[0]
    assert reverse("oneonones:meeting", args=[meeting.pk]) in ahead
    shown = [days for days in range(1, 8) if f"Away {days}" in ahead]
    assert shown == [1, 2, 3, 4, 5]  # the five soonest


def test_a_cancelled_meeting_ahead_is_not_listed_as_past(client_for, oneonone, meeting, bob):
    following = actions.cancel_meeting(meeting, by=bob, reason="Offsite")
    page = client_for(bob).get(reverse("oneonones:detail", args=[oneonone.pk])).content.decode()
    past = page.split('id="history-title"')[1]
    assert "No past meetings yet." in past
    ahead = page.split('id="history-title"')[0]
    assert "Cancelled:" in ahead and "Offsite" in ahead
    assert reverse("oneonones:meeting", args=[following.pk]) in ahead
    # Once its day is over, it is history.
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=timezone.now() - dt.timedelta(days=2))
    actions.add_talking_point(following, by=bob, text="bump")
    page = client_for(bob).get(reverse("oneonones:detail", args=[oneonone.pk])).content.decode()
    past = page.split('id="history-title"')[1]
    assert "Offsite" in past and "Cancelled:" not in page


def test_starting_a_one_on_one(client_for, alice, bob, carol):
    client = client_for(carol)
    page = client.get(reverse("oneonones:start")).content.decode()
    assert "Alice Martin" in page and "Carol Outsider</option>" not in page
    response = client.post(
        reverse("oneonones:start"),
        {
            "other": alice.pk,
            "kind": "mentoring",
            "focus": "me",
            "cadence": "biweekly",
            "weekday": "2",
            "time_of_day": "09:30",
            "duration_minutes": "45",
            "timezone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302
    oneonone = carol.oneonones_as_first.get()
    assert oneonone.second == alice and oneonone.focus_person == carol
    assert oneonone.meetings.count() == 1
    assert response["Location"] == reverse("oneonones:detail", args=[oneonone.pk])


def test_starting_with_bad_input_keeps_it_and_says_why(client_for, alice, bob):
    bob.is_active = False
    bob.save()
    response = client_for(alice).post(
        reverse("oneonones:start"),
        {"other": bob.pk, "kind": "coaching", "cadence": "weekly", "weekday": "9",
         "time_of_day": "25:00", "duration_minutes": "45", "timezone": "Europe/Paris"},
    )  # fmt: skip
    content = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in content  # bob is deactivated
    assert "Enter a valid time" in content
    assert "Say who the report, mentee or client is" in content
    assert 'value="45"' in content


def test_the_one_on_one_page_shows_agenda_items_and_paginated_history(
    client_for, oneonone, meeting, alice, bob
):
    make_history(oneonone, 25)
    actions.add_talking_point(meeting, by=bob, text="Next week's topic")
    client = client_for(alice)
    url = reverse("oneonones:detail", args=[oneonone.pk])
    content = client.get(url).content.decode()
    assert "Next week&#x27;s topic" in content
    assert "Page 1 of 3" in content
    assert "Item " in content  # open action items
    assert "Page 3 of 3" in client.get(url + "?page=3").content.decode()


@pytest.mark.parametrize(
    ("asked", "shown", "first_shown"),
    [
        (None, 1, 0),
        ("2", 2, 10),
        ("3", 3, 20),  # the last page: five meetings
        ("99", 3, 20),  # past the end: the last page
        ("0", 3, 20),  # Django's paginator gives the last page for this too
        ("two", 1, 0),
    ],
)
def test_history_pages_read_their_count_with_their_meetings(
    asked, shown, first_shown, settings, client_for, oneonone, meeting, alice
):
    """The history's count comes with the page the address names; any page shows what the
    paginator, reading the count apart, would show."""
    from tete.oneonones import oneonone_page

    settings.TETE_PAGE_CACHE = False
    make_history(oneonone, 25)
    url = reverse("oneonones:detail", args=[oneonone.pk])
    client = client_for(alice)
    history_queries = []
    for _ in range(2):  # the second time, every query is compiled
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"page": asked} if asked else {})
        # The page's query counts with a window (COUNT(…) OVER ()), the count alone without.
        history_queries = [
            query["sql"] for query in captured if 'COUNT("oneonones_meeting"."id")' in query["sql"]
        ]
    content = response.content.decode()
    assert f"Page {shown} of 3" in content
    history = content.split('id="history-title"')[1]
    past = sorted(
        oneonone.meetings.filter(status="held"), key=lambda m: (m.scheduled_at, m.pk), reverse=True
    )
    on_page = {m.pk for m in past[first_shown : first_shown + 10]}
    for held in past:
        assert (reverse("oneonones:meeting", args=[held.pk]) in history) == (held.pk in on_page)
    # One query when the page named is the page shown; pages past the end or empty cost more.
    if asked in (None, "2", "3", "two"):
        assert len(history_queries) == 1, history_queries
    assert oneonone_page.page_slice(asked, 10).start == (
        0 if asked in (None, "two", "0") else (int(asked) - 1) * 10
    )


def test_settings_change_the_cadence_and_end_keeps_history(client_for, oneonone, meeting, bob):
    client = client_for(bob)
    url = reverse("oneonones:settings", args=[oneonone.pk])
    response = client.post(
        url,
        {"kind": "manager_report", "focus": "me", "cadence": "biweekly", "weekday": "4",
         "time_of_day": "16:00", "duration_minutes": "25", "timezone": "Europe/Paris"},
    )  # fmt: skip
    assert response.status_code == 302
    oneonone.refresh_from_db()
    assert (oneonone.cadence, oneonone.weekday, oneonone.focus_person) == ("biweekly", 4, bob)
    client.post(reverse("oneonones:end", args=[oneonone.pk]))
    oneonone.refresh_from_db()
    assert oneonone.is_ended
    content = client.get(reverse("oneonones:detail", args=[oneonone.pk])).content.decode()
    assert "ended on" in content
    page = client.get(reverse("oneonones:meeting", args=[meeting.pk])).content.decode()
    assert "Add a talking point" not in page  # read-only history


def test_a_cancelled_extra_meeting_ahead_shows_without_a_cadence(client_for, alice, bob):
    oneonone = actions.start_oneonone(by=alice, other=bob, cadence="none")
    extra = actions.add_extra_meeting(
        oneonone, by=alice, scheduled_at=timezone.now() + dt.timedelta(days=3)
    )
    actions.cancel_meeting(extra, by=bob, reason="Sick")
    page = client_for(alice).get(reverse("oneonones:detail", args=[oneonone.pk])).content.decode()
    ahead, past = page.split('id="history-title"')
    assert "Cancelled:" in ahead and "Sick" in ahead and "No past meetings yet." in past


def test_the_list_counts_held_meetings_and_open_items_apart(client_for, oneonone, meeting, alice):
    # 22 held meetings, each with one action item (one in 20 still open, so 2 open)...
    make_history(oneonone, 22)
    assert oneonone.action_items.filter(done_at__isnull=True).count() == 2
    # ...and a few more open items: a join would multiply held meetings by items.
    for n in range(3):
        actions.add_action_item(meeting, by=alice, text=f"More {n}", owner=alice)
    content = client_for(alice).get(reverse("oneonones:list")).content.decode()
    assert "22 held · 5 open action items" in content


def test_ending_asks_first_on_a_page_of_its_own(client_for, oneonone, meeting, alice):
    client = client_for(alice)
    end_url = reverse("oneonones:end", args=[oneonone.pk])
    settings_page = client.get(reverse("oneonones:settings", args=[oneonone.pk])).content.decode()
    # The settings page links to the question; it holds no form that ends at once.
    assert f'href="{end_url}"' in settings_page
    assert f'action="{end_url}"' not in settings_page
    page = client.get(end_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "End your one-on-one with Bob Jones?" in content
    assert "the 1 meeting ahead is cancelled" in content
    assert "Keep it going" in content and 'method="post"' in content
    oneonone.refresh_from_db()
    assert not oneonone.is_ended  # asking changed nothing
    assert client.post(end_url)["Location"] == reverse("oneonones:detail", args=[oneonone.pk])
    oneonone.refresh_from_db()
    assert oneonone.is_ended
    # Once ended there is nothing to ask: back to the one-on-one.
    assert client.get(end_url)["Location"] == reverse("oneonones:detail", args=[oneonone.pk])


def test_reschedule_and_cancel_through_the_pages(client_for, oneonone, meeting, alice):
    client = client_for(alice)
    new_time = timezone.localtime(meeting.scheduled_at + dt.timedelta(days=1), alice.tzinfo)
    response = client.post(
        reverse("oneonones:reschedule", args=[meeting.pk]),
        {"scheduled_at": new_time.strftime("%Y-%m-%dT%H:%M"), "reason": "Dentist"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "rescheduled" and meeting.reason == "Dentist"
    assert meeting.scheduled_at == new_time.replace(second=0, microsecond=0)
    response = client.post(
        reverse("oneonones:reschedule", args=[meeting.pk]), {"scheduled_at": "x"}
    )
    assert response.status_code == 400
    response = client.post(reverse("oneonones:cancel", args=[meeting.pk]), {"reason": "Ill"})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    following = oneonone.meetings.get(status="scheduled")
    assert response["Location"] == reverse("oneonones:meeting", args=[following.pk])


def test_mark_held_goes_to_the_next_meeting(client_for, meeting, alice):
    response = client_for(alice).post(reverse("oneonones:mark_held", args=[meeting.pk]))
    meeting.refresh_from_db()
    following = meeting.oneonone.meetings.get(status="scheduled")
    assert meeting.status == "held" and meeting.held_at is not None
    assert response["Location"] == reverse("oneonones:meeting", args=[following.pk])


def test_times_show_in_the_viewers_timezone(client_for, meeting, alice):
    alice.timezone = "America/New_York"
    alice.save()
    local = timezone.localtime(meeting.scheduled_at, alice.tzinfo)
    content = (
        client_for(alice).get(reverse("oneonones:meeting", args=[meeting.pk])).content.decode()
    )
    assert f"{local:%H:%M}" in content
    assert local.hour != 10  # 10:00 in Paris is not 10:00 in New York
