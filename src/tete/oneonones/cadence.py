"""When a one-on-one's meetings fall, from its cadence.

Occurrences are computed with dateutil's rrule on *local wall-clock time* in the one-on-one's
own timezone, then converted to UTC for storage. A meeting at 10:00 in Paris stays at 10:00
in Paris across daylight-saving changes (its UTC time moves by an hour).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from dateutil import rrule

from tete.oneonones.models import Cadence

if TYPE_CHECKING:
    from tete.oneonones.models import OneOnOne

UTC = dt.UTC


def _rule(oneonone: OneOnOne, near: dt.datetime | None = None) -> rrule.rrule | None:
    """The cadence's rule in local wall-clock time; from close to `near` (local) when given."""
    if oneonone.cadence == Cadence.NONE:
        return None
    start = dt.datetime.combine(oneonone.starts_on, oneonone.time_of_day)
    if near is not None:
        start = _moved_towards(oneonone, start, near)
    weekday = rrule.weekday(oneonone.weekday)
    if oneonone.cadence == Cadence.MONTHLY:
        # The nth weekday of the month, n taken from the start date (capped at 4 so that
        # every month has one).
        nth = min((oneonone.starts_on.day - 1) // 7 + 1, 4)
        return rrule.rrule(rrule.MONTHLY, dtstart=start, byweekday=weekday(nth))
    interval = 2 if oneonone.cadence == Cadence.BIWEEKLY else 1
    # dtstart anchors the fortnight: the first occurrence is the first weekday on or after it.
    return rrule.rrule(rrule.WEEKLY, dtstart=start, interval=interval, byweekday=weekday)


def _moved_towards(oneonone: OneOnOne, start: dt.datetime, near: dt.datetime) -> dt.datetime:
    """`start` moved on by whole periods of the cadence to at least one period before `near`.

    rrule steps through every occurrence from its start to the one asked for: for a
    one-on-one of some years, a hundred steps or more on every page that plans its next
    meeting. From a start a whole number of periods later, the rule has the same occurrences
    from there on (every other week counts its fortnights from the start's week; a month's
    nth weekday does not depend on the start's day).
    """
    if oneonone.cadence == Cadence.MONTHLY:
        months = (near.year - start.year) * 12 + near.month - start.month - 2
        if months <= 0:
            return start
        year, month = divmod(start.month - 1 + months, 12)
        return start.replace(year=start.year + year, month=month + 1, day=1)
    period = 14 if oneonone.cadence == Cadence.BIWEEKLY else 7
    periods = (near - start).days // period - 1
    if periods <= 0:
        return start
    return start + dt.timedelta(days=period * periods)


_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def recurrence(oneonone: OneOnOne) -> dict[str, str | int] | None:
    """The cadence as the parts of an iCalendar RRULE (RFC 5545), the same rule as
    :func:`_rule`; ``None`` without a cadence. It holds from an occurrence on."""
    if oneonone.cadence == Cadence.NONE:
        return None
    day = _ICAL_DAYS[oneonone.weekday]
    if oneonone.cadence == Cadence.MONTHLY:
        nth = min((oneonone.starts_on.day - 1) // 7 + 1, 4)
        return {"FREQ": "MONTHLY", "BYDAY": f"{nth}{day}"}
    interval = 2 if oneonone.cadence == Cadence.BIWEEKLY else 1
    return {"FREQ": "WEEKLY", "INTERVAL": interval, "BYDAY": day}


def _to_utc(oneonone: OneOnOne, local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=oneonone.tzinfo).astimezone(UTC)


def next_occurrence(oneonone: OneOnOne, after: dt.datetime) -> dt.datetime | None:
    """The first cadence occurrence strictly after `after` (aware), in UTC; None without one."""
    local_after = after.astimezone(oneonone.tzinfo).replace(tzinfo=None)
    rule = _rule(oneonone, near=local_after)
    if rule is None:
        return None
    local = rule.after(local_after, inc=False)
    while local is not None:
        # Around a DST change the local/UTC round-trip can land on or before `after`.
        candidate = _to_utc(oneonone, local)
        if candidate > after:
            return candidate
        local = rule.after(local, inc=False)
    return None


def occurrences_between(
    oneonone: OneOnOne, start: dt.datetime, end: dt.datetime
) -> Iterator[dt.datetime]:
    """Cadence occurrences in [start, end), in UTC (used to build histories, e.g. the demo)."""
    tz = oneonone.tzinfo
    local_start = start.astimezone(tz).replace(tzinfo=None)
    local_end = end.astimezone(tz).replace(tzinfo=None)
    rule = _rule(oneonone, near=local_start)
    if rule is None:
        return
    for local in rule.between(local_start, local_end, inc=True):
        moment = _to_utc(oneonone, local)
        if start <= moment < end:
            yield moment
