"""The live calendar feed: valid RFC 5545 as three parsers read it, meetings 30 days back to
180 ahead, cancelled and moved ones, timezones, ETag, and an address that can be reset."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import recurring_ical_events
import vobject
from django.test import Client
from django.utils import timezone

from tete.api import actions as api_actions
from tete.api.models import CalendarFeed
from tete.oneonones import actions
from tete.oneonones.models import Meeting, MeetingStatus


@pytest.fixture
def feed(alice):
    return "/calendar/" + api_actions.reset_calendar_feed(alice) + ".ics"


def _events(content: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(content).walk("VEVENT"))


def test_the_feed_parses_with_icalendar_vobject_and_recurring_ical_events(feed, meeting):
    response = Client().get(feed)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    parsed = vobject.readOne(response.content.decode())
    assert len(parsed.vevent_list) == len(_events(response.content)) > 1
    now = timezone.now()
    expanded = recurring_ical_events.of(calendar).between(
        now - dt.timedelta(days=31), now + dt.timedelta(days=181)
    )
    assert len(expanded) == len(parsed.vevent_list)
    starts = {e["DTSTART"].dt for e in expanded}
    assert meeting.scheduled_at in starts


def test_it_names_the_people_links_the_agenda_and_says_nothing_else(feed, meeting, alice):
    actions.add_talking_point(meeting, by=alice, text="Salary talk")
    actions.save_shared_note(meeting, text="Confidential notes", base_version=0, by=alice)
    content = Client().get(feed).content
    assert b"Salary" not in content and b"Confidential" not in content
    event = next(e for e in _events(content) if e["UID"].startswith(f"meeting-{meeting.pk}@"))
    assert str(event["SUMMARY"]) == "One-on-one: Alice Martin & Bob Jones"
    assert str(event["URL"]).endswith(f"/meetings/{meeting.pk}/")


def test_times_are_in_the_one_on_ones_zone_with_its_vtimezone(feed, meeting):
    content = Client().get(feed).content
    calendar = icalendar.Calendar.from_ical(content)
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/Paris"}
    event = next(e for e in _events(content) if e["UID"].startswith(f"meeting-{meeting.pk}@"))
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt.hour == 10  # 10:00 in Paris, as the cadence says


def test_cancelled_meetings_stay_as_cancelled_and_rescheduled_ones_move(feed, meeting, alice):
    moved_to = meeting.scheduled_at + dt.timedelta(days=2, hours=3)
    extra = actions.add_extra_meeting(
        meeting.oneonone, by=alice, scheduled_at=meeting.scheduled_at + dt.timedelta(days=1)
    )
    actions.reschedule_meeting(meeting, by=alice, scheduled_at=moved_to)
    actions.cancel_meeting(extra, by=alice)
    events = {str(e["UID"]).split("@")[0]: e for e in _events(Client().get(feed).content)}
    assert events[f"meeting-{extra.pk}"]["STATUS"] == "CANCELLED"
    moved = events[f"meeting-{meeting.pk}"]
    assert moved["STATUS"] == "CONFIRMED" and moved["DTSTART"].dt == moved_to


def test_the_window_is_30_days_back_to_180_ahead(feed, oneonone, alice):
    now = timezone.now()
    Meeting.objects.create(
        oneonone=oneonone, scheduled_at=now - dt.timedelta(days=40), status=MeetingStatus.HELD
    )
    recent = Meeting.objects.create(
        oneonone=oneonone, scheduled_at=now - dt.timedelta(days=20), status=MeetingStatus.HELD
    )
    events = _events(Client().get(feed).content)
    starts = [e["DTSTART"].dt for e in events]
    # Seconds: iCalendar times have no fractions.
    assert min(starts) == recent.scheduled_at.replace(microsecond=0)
    assert max(starts) <= now + dt.timedelta(days=180)
    # The weekly cadence fills the months ahead: about 26 weeks.
    assert 24 <= len([s for s in starts if s > now]) <= 27


def test_an_unchanged_feed_answers_304(feed, meeting, alice):
    first = Client().get(feed)
    etag = first["ETag"]
    assert "no-store" not in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = Client().get(feed, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    actions.cancel_meeting(meeting, by=alice)
    changed = Client().get(feed, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_resetting_the_address_kills_the_old_one(feed, alice):
    assert Client().get(feed).status_code == 200
    new = "/calendar/" + api_actions.reset_calendar_feed(alice) + ".ics"
    assert Client().get(feed).status_code == 404
    assert Client().get(new).status_code == 200


def test_only_a_hash_of_the_address_is_stored(feed, alice):
    secret = feed.removeprefix("/calendar/").removesuffix(".ics")
    stored = CalendarFeed.objects.get(person=alice)
    assert stored.token_hash == api_actions.hash_secret(secret)
    assert secret not in {value for value in vars(stored).values() if isinstance(value, str)}


def test_made_up_addresses_and_deactivated_people_get_404(feed, alice):
    assert Client().get("/calendar/feed_madeup.ics").status_code == 404
    alice.is_active = False
    alice.save()
    assert Client().get(feed).status_code == 404


def test_the_page_turns_the_feed_on_shows_webcal_once_and_resets_it(alice_client, alice):
    response = alice_client.post("/me/calendar-feed/reset/")
    page = response.content.decode()
    assert "webcal://testserver/calendar/feed_" in page
    url = response.context["new_feed_url"].replace("http://testserver", "")
    assert Client().get(url).status_code == 200
    assert "/calendar/feed_" not in alice_client.get("/me/tokens/").content.decode()
    alice_client.post("/me/calendar-feed/reset/")
    assert Client().get(url).status_code == 404
    alice_client.post("/me/calendar-feed/stop/")
    assert not CalendarFeed.objects.exists()


def test_the_feed_has_a_rate_limit(feed, settings):
    settings.TETE_RATE_LIMITS = {**settings.TETE_RATE_LIMITS, "calendar_feeds": (2, 3600)}
    client = Client()
    assert [client.get(feed).status_code for _ in range(3)] == [200, 200, 429]
