"""Unions of time intervals, kept in columns. Definitions are in docs/metrics.md."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, islice
from operator import itemgetter, le, lt, sub

from .. import intervals

_START = itemgetter(1)


class _Union:
    """The union of intervals sorted by start, as :func:`intervals.merge` makes it, in two
    columns; ``joins`` lists the intervals that join the one before (``None`` when some
    interval ends before it starts, and the union was made by :func:`intervals.merge`)."""

    __slots__ = ("ends", "joins", "starts")

    def __init__(self, starts: Sequence[float], ends: Sequence[float], bulk: bool) -> None:
        self.joins: list[int] | None = None
        self.starts: Sequence[float]
        self.ends: Sequence[float]
        if not bulk:
            merged = intervals.merge(zip(starts, ends, strict=True))
            self.starts = [start for start, _ in merged]
            self.ends = [end for _, end in merged]
            return
        # An interval joins the union so far when it starts before everything so far ends.
        if all(map(lt, ends, islice(starts, 1, None))):
            self.joins = []
            self.starts, self.ends = starts, ends
            return
        reach = _running_max(ends)
        joins = list(compress(range(1, len(starts)), map(le, islice(starts, 1, None), reach)))
        merged_starts = list(starts)
        for index in reversed(joins):
            del merged_starts[index]
            del reach[index - 1]
        self.joins, self.starts, self.ends = joins, merged_starts, reach

    @property
    def length(self) -> float:
        """Total length (as :func:`intervals.length`)."""
        return sum(map(sub, self.ends, self.starts), 0.0)

    def pairs(self) -> intervals.Intervals:
        return list(zip(self.starts, self.ends, strict=True))


def _running_max(values: Sequence[float]) -> list[float]:
    """``list(accumulate(values, max))``, with Python code only where a value is below the
    one before it (in a transcript, rarely)."""
    reach = list(values)
    done = 0
    for index in compress(range(1, len(reach)), map(lt, islice(values, 1, None), values)):
        if index < done:
            continue
        highest = reach[index - 1]
        while index < len(reach) and reach[index] < highest:
            reach[index] = highest
            index += 1
        done = index
    return reach
