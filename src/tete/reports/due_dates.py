"""Turn a spoken due-date phrase ("by Friday", "end of the month") into a date.

The phrase is relative to the day of the meeting it was said in, not to the day the
transcript is uploaded. Phrases we cannot place give ``None``: a person sets the date
when accepting the suggestion.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_MONTHS = {name.lower()[:3]: index for index, name in enumerate(calendar.month_name) if name}
# Until we know the one-on-one's cadence here, "next meeting" means a week on.
NEXT_MEETING_DAYS = 7


def due_date_from_phrase(phrase: str, said_on: dt.date) -> dt.date | None:
    """The date a phrase names, counted from ``said_on``."""
    text = re.sub(r"^(by|before|on|until|no later than)\s+", "", phrase.strip().lower())
    if text in {"today", "tonight", "eod", "cob", "this afternoon", "this evening"}:
        return said_on
    if text == "tomorrow":
        return said_on + dt.timedelta(days=1)
    if text in {"eow", "this week"} or re.fullmatch(r"(the )?end of (the |this )?week", text):
        return _next_weekday(said_on, 4, allow_today=True)
    if re.fullmatch(r"(the )?end of (the |this )?sprint", text):
        return said_on + dt.timedelta(days=14 - said_on.weekday() % 14)
    if text in {"next week", "next time"} or re.search(
        r"next (one-on-one|1:1|1-on-1|meeting|call|session|check-in)", text
    ):
        return said_on + dt.timedelta(days=NEXT_MEETING_DAYS)
    if text == "next sprint":
        return said_on + dt.timedelta(days=14)
    if re.fullmatch(r"(the )?end of (the |this )?month", text) or text == "this month":
        return said_on.replace(day=calendar.monthrange(said_on.year, said_on.month)[1])
    if text == "next month" or re.fullmatch(r"(the )?end of next month", text):
        year, month = (
            (said_on.year + 1, 1) if said_on.month == 12 else (said_on.year, said_on.month + 1)
        )
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if re.fullmatch(r"(the )?end of (the |this )?quarter", text):
        last_month = ((said_on.month - 1) // 3) * 3 + 3
        return dt.date(said_on.year, last_month, calendar.monthrange(said_on.year, last_month)[1])
    match = re.fullmatch(r"(?:(next|this) )?([a-z]+day)", text)
    if match and match.group(2) in _DAYS:
        weekday = _DAYS[match.group(2)]
        day = _next_weekday(said_on, weekday, allow_today=False)
        # "next Friday" said on a Monday means the Friday of next week.
        if match.group(1) == "next" and weekday > said_on.weekday():
            day += dt.timedelta(days=7)
        return day
    if match := re.fullmatch(r"([a-z]{3})[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?", text):
        return _date_on_or_after(said_on, _MONTHS.get(match.group(1)), int(match.group(2)))
    if match := re.fullmatch(r"the (\d{1,2})(?:st|nd|rd|th)", text):
        day_of_month = int(match.group(1))
        month = said_on.month if day_of_month >= said_on.day else said_on.month % 12 + 1
        return _date_on_or_after(said_on, month, day_of_month)
    return None


def _next_weekday(start: dt.date, weekday: int, *, allow_today: bool) -> dt.date:
    ahead = (weekday - start.weekday()) % 7
    if ahead == 0 and not allow_today:
        ahead = 7
    return start + dt.timedelta(days=ahead)


def _date_on_or_after(start: dt.date, month: int | None, day: int) -> dt.date | None:
    if month is None:
        return None
    for year in (start.year, start.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate >= start:
            return candidate
    return None
