"""One-on-ones in people's own calendars: .ics files of a meeting and of the cadence."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil import rrule
from django.urls import reverse
from icalendar import Calendar

from tete.oneonones import actions, cadence
from tete.oneonones.calendar_file import series_calendar


def events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


def test_a_meeting_goes_in_a_calendar_at_its_own_time(client_for, meeting, bob):
    actions.add_talking_point(meeting, by=bob, text="Secret topic")
    response = client_for(bob).get(reverse("oneonones:meeting_calendar", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    day = meeting.scheduled_at.astimezone(meeting.oneonone.tzinfo).date().isoformat()
    assert f'filename="one-on-one-alice-martin-{day}.ics"' in response["Content-Disposition"]
    (event,) = events(response.content)
    assert event["summary"] == "One-on-one: Alice Martin & Bob Jones"
    start, end = event["dtstart"].dt, event["dtend"].dt
    assert start == meeting.scheduled_at and end - start == dt.timedelta(minutes=30)
    assert str(start.tzinfo) == "Europe/Paris"  # local time, with its zone in the file
    assert event["url"].endswith(reverse("oneonones:meeting", args=[meeting.pk]))
    # Only names, times and a link: nothing of what is said goes to a calendar.
    assert b"Secret topic" not in response.content


def test_a_moved_meeting_goes_in_at_its_new_time(client_for, meeting, alice):
    later = meeting.scheduled_at + dt.timedelta(days=2, hours=3)
    actions.reschedule_meeting(meeting, by=alice, scheduled_at=later, reason="Travel")
    response = client_for(alice).get(reverse("oneonones:meeting_calendar", args=[meeting.pk]))
    (event,) = events(response.content)
    assert event["dtstart"].dt == later


@pytest.mark.parametrize(
    ("cadence_name", "weekday", "tz"),
    [
        ("weekly", 0, "Europe/Paris"),
        ("biweekly", 3, "America/New_York"),
        ("monthly", 4, "Australia/Sydney"),
    ],
)
def test_the_series_repeats_exactly_as_the_cadence(oneonone, cadence_name, weekday, tz):
    oneonone.cadence, oneonone.weekday, oneonone.timezone = cadence_name, weekday, tz
    oneonone.starts_on = dt.date(2026, 1, 14)
    oneonone.save()
    now = dt.datetime(2026, 2, 20, 12, tzinfo=dt.UTC)
    content = series_calendar(oneonone, uid="x", link="https://tete.example/", now=now)
    assert content is not None
    (event,) = events(content)
    start = event["dtstart"].dt
    assert str(start.tzinfo) == tz
    # Expanded as a calendar would, a year of occurrences (across daylight-saving changes
    # in every zone here) falls exactly where the app schedules meetings.
    rule = rrule.rrulestr(event["rrule"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    year_on = start.replace(tzinfo=None) + dt.timedelta(days=365)
    expanded = [
        local.replace(tzinfo=start.tzinfo).astimezone(dt.UTC)
        for local in rule.between(start.replace(tzinfo=None), year_on, inc=True)
    ]
    expected = list(
        cadence.occurrences_between(oneonone, now, year_on.replace(tzinfo=start.tzinfo))
    )
    assert len(expanded) >= 12 and expanded == expected


def test_the_series_file_is_for_the_two_people_of_a_running_cadence(
    client_for, oneonone, alice, carol, admin
):
    url = reverse("oneonones:calendar", args=[oneonone.pk])
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert 'filename="one-on-ones-bob-jones.ics"' in response["Content-Disposition"]
    (event,) = events(response.content)
    assert event["rrule"]["FREQ"] == ["WEEKLY"] and event["rrule"]["BYDAY"] == ["MO"]
    detail = reverse("oneonones:detail", args=[oneonone.pk])
    assert url in client_for(alice).get(detail).content.decode()
    for person in (carol, admin):
        assert client_for(person).get(url).status_code == 404
    assert client_for(None).get(url)["Location"].startswith("/login/")
    # Without a cadence there is no series: no link, and the file is not there.
    oneonone.cadence = "none"
    oneonone.save()
    assert client_for(alice).get(url).status_code == 404
    assert url not in client_for(alice).get(detail).content.decode()


def test_nothing_of_an_ended_one_on_one_goes_in_a_calendar(client_for, meeting, oneonone, alice):
    meeting_url = reverse("oneonones:meeting_calendar", args=[meeting.pk])
    assert client_for(alice).get(meeting_url).status_code == 200
    actions.end_oneonone(oneonone, by=alice)
    assert client_for(alice).get(meeting_url).status_code == 404
    assert (
        client_for(alice).get(reverse("oneonones:calendar", args=[oneonone.pk])).status_code == 404
    )


def test_a_held_meeting_has_no_calendar_file(client_for, meeting, alice):
    actions.mark_meeting_held(meeting, by=alice)
    url = reverse("oneonones:meeting_calendar", args=[meeting.pk])
    assert client_for(alice).get(url).status_code == 404
