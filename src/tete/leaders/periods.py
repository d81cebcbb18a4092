"""The periods the leaders' view offers: fixed calendar months and quarters, in UTC, that have
ended and settled. There are no arbitrary date ranges: two overlapping windows of any length
would differ by a sliver that one pair could fill."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

#: How long after its end a period is first shown: meetings marked held or cancelled a few
#: days late are in its figures by then, so they rarely move once read.
SETTLE = dt.timedelta(days=7)
MONTHS_SHOWN = 12
QUARTERS_SHOWN = 4

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the month: the membership of its figures is taken here."""
        return self.next().start

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)


@dataclass(frozen=True)
class Period:
    """A month or a quarter: its months, in order."""

    key: str
    label: str
    months: tuple[Month, ...]

    @property
    def is_quarter(self) -> bool:
        return len(self.months) > 1

    @property
    def start(self) -> dt.datetime:
        return self.months[0].start

    @property
    def end(self) -> dt.datetime:
        return self.months[-1].end


def month_period(month: Month) -> Period:
    label = dt.date(month.year, month.month, 1).strftime("%B %Y")
    return Period(f"{month.year}-{month.month:02d}", label, (month,))


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    months = tuple(Month(year, first + i) for i in range(3))
    return Period(f"{year}-Q{quarter}", f"Q{quarter} {year}", months)


def offered_periods(now: dt.datetime | None = None) -> list[Period]:
    """The settled months (latest first), then the settled quarters."""
    now = now or timezone.now()
    settled = now - SETTLE
    month = Month(settled.year, settled.month).previous()  # the latest month ended by then
    months = []
    for _ in range(MONTHS_SHOWN):
        months.append(month_period(month))
        month = month.previous()
    quarters = []
    year, quarter = settled.year, (settled.month - 1) // 3  # the latest quarter ended
    for _ in range(QUARTERS_SHOWN):
        if quarter == 0:
            year, quarter = year - 1, 4
        quarters.append(quarter_period(year, quarter))
        quarter -= 1
    return months + quarters


def parse_period(text: str, now: dt.datetime | None = None) -> Period | None:
    """The offered period `text` names ("2026-11", "2026-Q3"), or None."""
    if not (_MONTH.fullmatch(text) or _QUARTER.fullmatch(text)):
        return None
    return next((p for p in offered_periods(now) if p.key == text), None)
