"""One-on-ones as iCalendar files (RFC 5545), to add to one's own calendar.

A file holds the two names, the times and a link back, never the agenda, notes or
check-ins: whoever runs a calendar reads what is in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q
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
    oneonone: OneOnOne,
    *,
    uid: str,
    link: str,
    meeting_uid: Callable[[Meeting], str] = lambda meeting: f"meeting-{meeting.pk}",
    now: dt.datetime | None = None,
) -> bytes | None:
    """The cadence as one repeating event from its next occurrence on, in the one-on-one's
    timezone (so daylight-saving changes keep its local time); ``None`` without a cadence.

    The meetings ahead say where the series departs from its rule. A meeting moved off its
    slot (rescheduled) overrides that one occurrence (RECURRENCE-ID = the slot, at its new
    time and length); a cancelled one, or one held early, is left out (EXDATE); a meeting
    that sits on no
    occurrence of the current rule (moved before the cadence changed) is an event of its own
    (``meeting_uid``, the same as its own file's). A change of cadence changes the rule and
    its start. SEQUENCE follows the one-on-one's content version, so a calendar importing
    the file again takes it as the newer one.
    """
    rule = cadence.recurrence(oneonone)
    now = now or dt.datetime.now(dt.UTC)
    first = cadence.next_occurrence(oneonone, now - dt.timedelta(seconds=1))
    if rule is None or first is None:
        return None
    ahead = list(
        oneonone.meetings.filter(extra=False)
        .filter(Q(scheduled_at__gte=now) | Q(original_scheduled_at__gte=now))
        .order_by("scheduled_at", "id")
    )
    slots_of_ahead = [meeting.cadence_slot for meeting in ahead]
    on_rule = set(
        cadence.occurrences_between(
            oneonone,
            min([first, *slots_of_ahead]),
            max([first, *slots_of_ahead]) + dt.timedelta(seconds=1),
        )
    )
    # A meeting still ahead starts the series at its slot, even one already past (a Monday
    # meeting moved to Wednesday, seen on Tuesday): the calendar must show it, moved.
    start_utc = min(
        [first] + [m.cadence_slot for m in ahead if m.is_upcoming and m.cadence_slot in on_rule]
    )
    slots = {slot for slot in on_rule if slot >= start_utc}
    tz = oneonone.tzinfo
    calendar = _calendar()
    start = start_utc.astimezone(tz)
    series = _event(oneonone, uid, start, oneonone.duration_minutes, link)
    series.add("rrule", vRecur(rule))
    series.add("sequence", oneonone.content_version)
    skipped = [
        m.cadence_slot.astimezone(tz)
        for m in ahead
        if not m.is_upcoming and m.cadence_slot in slots
    ]
    if skipped:
        series.add("exdate", skipped)
    calendar.add_component(series)
    for meeting in ahead:
        if not meeting.is_upcoming:
            continue
        moved = (meeting.scheduled_at, meeting.duration_minutes) != (
            meeting.cadence_slot,
            oneonone.duration_minutes,
        )
        if meeting.cadence_slot in slots and not moved:
            continue  # the rule has it right
        when = meeting.scheduled_at.astimezone(tz)
        if meeting.cadence_slot in slots:
            event = _event(oneonone, uid, when, meeting.duration_minutes, link)
            event.add("recurrence-id", meeting.cadence_slot.astimezone(tz))
        else:
            event = _event(oneonone, meeting_uid(meeting), when, meeting.duration_minutes, link)
        event.add("sequence", oneonone.content_version)
        calendar.add_component(event)
    return _with_timezones(calendar, start)
