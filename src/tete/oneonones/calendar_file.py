"""One-on-ones as iCalendar files (RFC 5545), to add to one's own calendar.

A file holds the two names, the times and a link back, never the agenda, notes or
check-ins: whoever runs a calendar reads what is in it.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, vRecur

from tete.oneonones import cadence
from tete.oneonones.models import Meeting, OneOnOne


def _with_timezones(calendar: Calendar, start: dt.datetime) -> bytes:
    """The file, with the definition of its timezone for the years around ``start`` (a
    calendar that knows the zone by name uses its own; the rules written here cover the rest,
    while keeping the file small)."""
    year = start.year
    calendar.add_missing_timezones(dt.date(year - 1, 1, 1), dt.date(year + 6, 1, 1))
    return calendar.to_ical()


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Tête-à-tête//One-on-ones//EN")
    calendar.add("version", "2.0")
    return calendar


def _event(oneonone: OneOnOne, uid: str, start: dt.datetime, minutes: int, link: str) -> Event:
    """An event at ``start`` (aware, in the one-on-one's own timezone)."""
    first, second = oneonone.participants
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("summary", f"One-on-one: {first.name} & {second.name}")
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("description", f"Agenda and notes: {link}")
    event.add("url", link)
    return event


def meeting_calendar(meeting: Meeting, *, uid: str, link: str) -> bytes:
    """One meeting, at its own time (also when moved off the cadence)."""
    oneonone = meeting.oneonone
    calendar = _calendar()
    start = meeting.scheduled_at.astimezone(oneonone.tzinfo)
    # Its own length: a meeting can be longer or shorter than the one-on-one's usual one.
    calendar.add_component(_event(oneonone, uid, start, meeting.duration_minutes, link))
    return _with_timezones(calendar, start)


def series_calendar(
    oneonone: OneOnOne, *, uid: str, link: str, now: dt.datetime | None = None
) -> bytes | None:
    """The cadence as one repeating event from its next occurrence on, in the one-on-one's
    timezone (so daylight-saving changes keep its local time); ``None`` without a cadence."""
    rule = cadence.recurrence(oneonone)
    now = now or dt.datetime.now(dt.UTC)
    first = cadence.next_occurrence(oneonone, now - dt.timedelta(seconds=1))
    if rule is None or first is None:
        return None
    calendar = _calendar()
    start = first.astimezone(oneonone.tzinfo)
    event = _event(oneonone, uid, start, oneonone.duration_minutes, link)
    event.add("rrule", vRecur(rule))
    calendar.add_component(event)
    return _with_timezones(calendar, start)
