"""Upcoming meetings follow the cadence, in the one-on-one's own timezone."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from tete.oneonones import actions
from tete.oneonones.cadence import next_occurrence, occurrences_between
from tete.oneonones.models import Cadence, MeetingStatus, OneOnOne

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = dt.UTC


def make(cadence: str, *, weekday: int = 0, starts_on=dt.date(2026, 3, 2), tz="Europe/Paris"):
    return OneOnOne(
        cadence=cadence,
        weekday=weekday,
        time_of_day=dt.time(10, 0),
        timezone=tz,
        starts_on=starts_on,
    )


def test_weekly_meetings_keep_local_time_across_daylight_saving():
    oneonone = make(Cadence.WEEKLY)
    # Paris moves to summer time on Sunday 29 March 2026.
    before = next_occurrence(oneonone, dt.datetime(2026, 3, 20, tzinfo=UTC))
    after = next_occurrence(oneonone, before)
    assert before == dt.datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # 10:00 CET
    assert after == dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert after.astimezone(PARIS).hour == 10


def test_biweekly_skips_every_other_week_from_the_start_date():
    oneonone = make(Cadence.BIWEEKLY)
    first = next_occurrence(oneonone, dt.datetime(2026, 3, 1, tzinfo=UTC))
    second = next_occurrence(oneonone, first)
    assert first.date() == dt.date(2026, 3, 2)
    assert second.date() == dt.date(2026, 3, 16)


def test_monthly_takes_the_nth_weekday_of_the_start_date():
    # 11 March 2026 is the second Wednesday of March.
    oneonone = make(Cadence.MONTHLY, weekday=2, starts_on=dt.date(2026, 3, 11))
    moments = list(
        occurrences_between(
            oneonone, dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 6, 1, tzinfo=UTC)
        )
    )
    assert [m.astimezone(PARIS).date() for m in moments] == [
        dt.date(2026, 3, 11),
        dt.date(2026, 4, 8),
        dt.date(2026, 5, 13),
    ]


def test_occurrences_far_from_the_start_are_those_of_the_rule_from_its_start(monkeypatch):
    """The rule starts near the moment asked about, not at the one-on-one's first day: the
    same occurrences, whatever the cadence, weekday, start, timezone or daylight saving."""
    from tete.oneonones import cadence

    rng = random.Random(11)
    cases = []
    for _ in range(300):
        oneonone = make(
            rng.choice([Cadence.WEEKLY, Cadence.BIWEEKLY, Cadence.MONTHLY]),
            weekday=rng.randrange(7),
            starts_on=dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2500)),
            tz=rng.choice(["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Tokyo"]),
        )
        oneonone.time_of_day = dt.time(rng.choice([0, 2, 3, 10, 23]), rng.choice([0, 30]))
        after = dt.datetime(2019, 1, 1, tzinfo=UTC) + dt.timedelta(
            minutes=rng.randrange(60 * 24 * 365 * 9)
        )
        cases.append((oneonone, after))

    def found() -> list:
        return [
            (
                next_occurrence(oneonone, after),
                list(occurrences_between(oneonone, after, after + dt.timedelta(days=70))),
            )
            for oneonone, after in cases
        ]

    near = found()
    monkeypatch.setattr(cadence, "_moved_towards", lambda oneonone, start, near: start)
    assert near == found()


def test_no_cadence_has_no_occurrences():
    assert next_occurrence(make(Cadence.NONE), dt.datetime(2026, 3, 1, tzinfo=UTC)) is None


def test_starting_a_one_on_one_schedules_its_first_meeting(oneonone, meeting):
    assert meeting.oneonone == oneonone
    assert meeting.status == MeetingStatus.SCHEDULED
    local = meeting.scheduled_at.astimezone(PARIS)
    assert (local.weekday(), local.hour, local.minute) == (0, 10, 0)
    assert oneonone.meetings.count() == 1


def test_ensure_next_meeting_is_idempotent(oneonone, meeting):
    assert actions.ensure_next_meeting(oneonone) == meeting
    assert oneonone.meetings.count() == 1


def test_holding_a_meeting_schedules_the_next_one_a_week_later(oneonone, meeting, alice):
    following = actions.mark_meeting_held(meeting, by=alice)
    assert following is not None
    assert following.scheduled_at.astimezone(PARIS).date() == (
        meeting.scheduled_at.astimezone(PARIS).date() + dt.timedelta(days=7)
    )


def test_a_rescheduled_meeting_stays_ahead_and_the_cadence_goes_on(oneonone, meeting, alice):
    moved_to = meeting.scheduled_at + dt.timedelta(days=2)
    actions.reschedule_meeting(meeting, by=alice, scheduled_at=moved_to, reason="Offsite")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.RESCHEDULED
    assert meeting.reason == "Offsite"
    assert actions.ensure_next_meeting(oneonone) == meeting
    following = actions.mark_meeting_held(meeting, by=alice)
    # The next one is the next Monday after the original slot, not after the moved date.
    assert following.scheduled_at == meeting.original_scheduled_at + dt.timedelta(days=7)


def test_cancelling_a_meeting_moves_on_to_the_next_slot(oneonone, meeting, bob):
    following = actions.cancel_meeting(meeting, by=bob, reason="Sick day")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.reason == "Sick day"
    assert following.scheduled_at == meeting.scheduled_at + dt.timedelta(days=7)


def test_an_extra_meeting_becomes_the_next_meeting_when_earlier(oneonone, meeting, bob):
    extra = actions.add_extra_meeting(
        oneonone, by=bob, scheduled_at=meeting.scheduled_at - dt.timedelta(days=1)
    )
    assert extra.extra
    assert actions.next_meeting(oneonone) == extra


def test_ending_stops_new_meetings_and_cancels_upcoming_ones(oneonone, meeting, alice):
    actions.end_oneonone(oneonone, by=alice)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert actions.ensure_next_meeting(oneonone) is None
    with pytest.raises(ValidationError):
        actions.add_extra_meeting(oneonone, by=alice, scheduled_at=meeting.scheduled_at)


def test_no_cadence_creates_no_meeting_until_one_is_added(alice, bob):
    oneonone = actions.start_oneonone(by=alice, other=bob, cadence=Cadence.NONE)
    assert oneonone.meetings.count() == 0
    assert actions.ensure_next_meeting(oneonone) is None


def test_changing_the_cadence_moves_the_upcoming_meeting(oneonone, meeting, alice):
    actions.update_oneonone_settings(
        oneonone,
        by=alice,
        kind=oneonone.kind,
        focus_person=oneonone.focus_person,
        cadence=Cadence.WEEKLY,
        weekday=3,
        time_of_day=dt.time(15, 30),
        duration_minutes=45,
        tz="Europe/Paris",
    )
    meeting.refresh_from_db()
    local = meeting.scheduled_at.astimezone(PARIS)
    assert (local.weekday(), local.hour, local.minute) == (3, 15, 30)
    assert oneonone.meetings.count() == 1


def test_a_one_on_one_needs_two_different_people(alice):
    with pytest.raises(ValidationError):
        actions.start_oneonone(by=alice, other=alice)
