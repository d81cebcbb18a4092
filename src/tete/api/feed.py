"""A person's live calendar feed (RFC 5545): their one-on-one meetings from 30 days back to
180 days ahead, for Google Calendar, Outlook and Apple Calendar to subscribe to.

Like the .ics downloads (oneonones/calendar_file.py) it holds the two names, the times and a
link to the agenda, never what was said: whoever runs a calendar reads what is in it.

* Each meeting row is an event with the same UID as its downloaded file, so a calendar that
  has both shows one. A cancelled meeting stays, with STATUS:CANCELLED, so calendars remove
  it rather than keep a stale copy; a rescheduled one keeps its UID at its new time.
* Meetings the cadence has ahead but no row yet for are events of their own, named by the
  one-on-one and their slot.
* Every time is in its one-on-one's timezone, with a VTIMEZONE for each zone used.
* The bytes depend only on the data (DTSTAMP is when the meeting was made, not when the
  feed was read), so the ETag is a hash of them and an unchanged feed answers 304.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Q
from icalendar import Calendar, Event

from tete.oneonones import cadence
from tete.oneonones.access import oneonones_of
from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne
from tete.oneonones.queries import next_cadence_slot

if TYPE_CHECKING:
    from tete.accounts.models import Person

DAYS_BACK = 30
DAYS_AHEAD = 180


def _event(
    oneonone: OneOnOne,
    *,
    uid: str,
    start: dt.datetime,
    minutes: int,
    link: str,
    status: str,
    stamp: dt.datetime,
) -> Event:
    first, second = oneonone.participants
    tz = oneonone.tzinfo
    local = start.astimezone(tz)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("summary", f"One-on-one: {first.name} & {second.name}")
    event.add("dtstart", local)
    event.add("dtend", local + dt.timedelta(minutes=minutes))
    event.add("description", f"Agenda and notes: {link}")
    event.add("url", link)
    event.add("status", status)
    # Moves with every change to the one-on-one: a calendar takes the newer copy.
    event.add("sequence", oneonone.content_version)
    return event


def person_calendar(
    person: Person,
    *,
    host: str,
    meeting_link: Callable[[int], str],
    oneonone_link: Callable[[int], str],
    now: dt.datetime,
) -> bytes:
    """The feed of ``person``'s one-on-ones as iCalendar bytes."""
    start, end = now - dt.timedelta(days=DAYS_BACK), now + dt.timedelta(days=DAYS_AHEAD)
    calendar = Calendar()
    calendar.add("prodid", "-//Tête-à-tête//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "One-on-ones (Tête-à-tête)")
    # How often a subscribing calendar should look again (RFC 7986, and Outlook's own name).
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")

    oneonones = {
        o.pk: o for o in oneonones_of(person).select_related("first", "second").order_by("pk")
    }
    meetings = (
        Meeting.objects.filter(oneonone_id__in=list(oneonones))
        .filter(Q(scheduled_at__gte=start, scheduled_at__lt=end))
        .order_by("scheduled_at", "id")
    )
    for meeting in meetings:
        oneonone = oneonones[meeting.oneonone_id]
        status = "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        calendar.add_component(
            _event(
                oneonone,
                uid=f"meeting-{meeting.pk}@{host}",
                start=meeting.scheduled_at,
                minutes=meeting.duration_minutes,
                link=meeting_link(meeting.pk),
                status=status,
                stamp=meeting.created_at,
            )
        )
    for oneonone in oneonones.values():
        if oneonone.is_ended:
            continue
        first_planned = next_cadence_slot(oneonone, now)
        if first_planned is None:
            continue
        for slot in cadence.occurrences_between(oneonone, first_planned, end):
            calendar.add_component(
                _event(
                    oneonone,
                    uid=f"oneonone-{oneonone.pk}-{slot:%Y%m%dT%H%M%SZ}@{host}",
                    start=slot,
                    minutes=oneonone.duration_minutes,
                    link=oneonone_link(oneonone.pk),
                    status="CONFIRMED",
                    stamp=oneonone.created_at,
                )
            )
    # The definitions of the zones used, for the years the feed spans.
    calendar.add_missing_timezones(start.date(), end.date() + dt.timedelta(days=1))
    return calendar.to_ical()
