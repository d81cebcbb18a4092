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
    oneonone.meetings.all().delete()  # the rule alone (meetings that depart from it: below)
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


# --- The series after its meetings move: expanded as a calendar application would ----------


def expand(content: bytes, until: dt.datetime) -> list[tuple[dt.datetime, int, str]]:
    """Every event the file puts in a calendar up to `until`: (start in UTC, minutes, UID).

    The repeating event's RRULE is expanded in its own timezone's wall-clock time, its
    EXDATEs are left out, and an event with the same UID and a RECURRENCE-ID replaces the
    occurrence it names; events with other UIDs stand on their own (RFC 5545, 3.8.4.4).
    """
    calendar = Calendar.from_ical(content)
    found: dict[dt.datetime, tuple[dt.datetime, int, str]] = {}
    masters = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert len(masters) == 1
    master = masters[0]
    uid = str(master["uid"])
    start = master["dtstart"].dt
    minutes = int((master["dtend"].dt - start).total_seconds() // 60)
    zone = start.tzinfo
    rule = rrule.rrulestr(master["rrule"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    exdates = master.get("exdate", [])
    lines = exdates if isinstance(exdates, list) else [exdates]
    excluded = {d.dt for line in lines for d in line.dts}
    for local in rule.between(start.replace(tzinfo=None), until.replace(tzinfo=None), inc=True):
        moment = local.replace(tzinfo=zone)
        if moment not in excluded:
            found[moment] = (moment.astimezone(dt.UTC), minutes, uid)
    standalone = []
    for event in calendar.walk("VEVENT"):
        if "RRULE" in event:
            continue
        begins = event["dtstart"].dt
        length = int((event["dtend"].dt - begins).total_seconds() // 60)
        if "RECURRENCE-ID" in event:
            assert str(event["uid"]) == uid
            replaced = event["recurrence-id"].dt
            assert replaced in found, "an override must name an occurrence of the rule"
            found[replaced] = (begins.astimezone(dt.UTC), length, uid)
        else:
            assert str(event["uid"]) != uid
            standalone.append((begins.astimezone(dt.UTC), length, str(event["uid"])))
    return sorted(list(found.values()) + standalone)


def series_of(oneonone) -> bytes:
    content = series_calendar(oneonone, uid="series", link="https://tete.example/")
    assert content is not None
    return content


def test_a_rescheduled_meeting_moves_in_the_series_and_the_cadence_goes_on(
    oneonone, meeting, alice
):
    slot = meeting.scheduled_at
    before = expand(series_of(oneonone), slot + dt.timedelta(days=22))
    assert before[0][0] == slot
    moved_to = slot + dt.timedelta(days=2, hours=3)
    actions.reschedule_meeting(meeting, by=alice, scheduled_at=moved_to, reason="Travel")
    oneonone.refresh_from_db()
    after = expand(series_of(oneonone), slot + dt.timedelta(days=22))
    week = dt.timedelta(days=7)
    assert [start for start, _, _ in after] == [
        moved_to,
        slot + week,
        slot + 2 * week,
        slot + 3 * week,
    ]
    assert {uid for _, _, uid in after} == {"series"}
    # A calendar that imports it again takes it as the newer version.
    first_sequence = Calendar.from_ical(series_of(oneonone)).walk("VEVENT")[0]["sequence"]
    actions.reschedule_meeting(meeting, by=alice, scheduled_at=moved_to + dt.timedelta(hours=1))
    oneonone.refresh_from_db()
    assert Calendar.from_ical(series_of(oneonone)).walk("VEVENT")[0]["sequence"] > first_sequence


def test_a_meeting_moved_from_a_slot_already_past_stays_in_the_series(oneonone, meeting, alice):
    # Monday's meeting moved to Wednesday, and the file downloaded on Tuesday.
    monday = meeting.scheduled_at
    moved_to = monday + dt.timedelta(days=2)
    actions.reschedule_meeting(meeting, by=alice, scheduled_at=moved_to)
    oneonone.refresh_from_db()
    tuesday = monday + dt.timedelta(days=1)
    content = series_calendar(oneonone, uid="series", link="https://x/", now=tuesday)
    expanded = expand(content, monday + dt.timedelta(days=8))
    assert [start for start, _, _ in expanded] == [moved_to, monday + dt.timedelta(days=7)]


def test_a_cancelled_meeting_is_left_out_of_the_series(oneonone, meeting, bob):
    following = actions.cancel_meeting(meeting, by=bob, reason="Holiday")
    oneonone.refresh_from_db()
    expanded = expand(series_of(oneonone), meeting.scheduled_at + dt.timedelta(days=15))
    assert [start for start, _, _ in expanded] == [
        following.scheduled_at,
        following.scheduled_at + dt.timedelta(days=7),
    ]


def test_a_longer_meeting_keeps_its_length_in_the_series(oneonone, meeting, alice):
    type(meeting).objects.filter(pk=meeting.pk).update(duration_minutes=50)
    expanded = expand(series_of(oneonone), meeting.scheduled_at + dt.timedelta(days=8))
    assert [(start, minutes) for start, minutes, _ in expanded] == [
        (meeting.scheduled_at, 50),
        (meeting.scheduled_at + dt.timedelta(days=7), 30),
    ]


def test_a_new_cadence_changes_the_rule_and_a_meeting_moved_before_stands_alone(
    client_for, oneonone, meeting, alice
):
    moved_to = meeting.scheduled_at + dt.timedelta(days=1)
    actions.reschedule_meeting(meeting, by=alice, scheduled_at=moved_to)
    # The moved meeting keeps its new time; the cadence moves to Thursdays.
    actions.update_oneonone_settings(
        oneonone,
        by=alice,
        kind=oneonone.kind,
        focus_person=oneonone.focus_person,
        cadence="weekly",
        weekday=3,
        time_of_day=dt.time(15, 30),
        duration_minutes=45,
        tz="Europe/Paris",
    )
    oneonone.refresh_from_db()
    response = client_for(alice).get(reverse("oneonones:calendar", args=[oneonone.pk]))
    expanded = expand(response.content, moved_to + dt.timedelta(days=14))
    series = [(start, minutes) for start, minutes, uid in expanded if uid.startswith("oneonone-")]
    assert series and all(
        (local.weekday(), local.hour, local.minute) == (3, 15, 30) and minutes == 45
        for local, minutes in ((s.astimezone(cadence.UTC).astimezone(oneonone.tzinfo), m)
                               for s, m in series)
    )  # fmt: skip
    # The moved meeting kept its time; it is the event its own file has.
    alone = [(start, uid) for start, _, uid in expanded if not uid.startswith("oneonone-")]
    assert alone == [(moved_to, f"meeting-{meeting.pk}@testserver")]
    # Every meeting ahead in the app is in the calendar, at its time.
    ahead = oneonone.meetings.filter(status__in=["scheduled", "rescheduled"])
    assert {m.scheduled_at for m in ahead} <= {start for start, _, _ in expanded}
