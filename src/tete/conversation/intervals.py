"""Time intervals as sorted lists of ``(start, end)`` pairs."""

from __future__ import annotations

from collections.abc import Iterable

Intervals = list[tuple[float, float]]


def merge(intervals: Iterable[tuple[float, float]]) -> Intervals:
    """The union of intervals, sorted, with touching or overlapping ones joined."""
    merged: Intervals = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def length(intervals: Intervals) -> float:
    """Total length of merged intervals."""
    return sum((end - start for start, end in intervals), 0.0)


def intersect(left: Intervals, right: Intervals) -> Intervals:
    """The intersection of two merged interval lists."""
    result: Intervals = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def at_least_two(per_speaker: Iterable[Intervals], total: float = 0.0) -> float:
    """How long two or more of the interval lists cover the same moment, added to ``total``
    (to add up stretches of a conversation one after another)."""
    events: list[tuple[float, int]] = []
    for intervals in per_speaker:
        for start, end in intervals:
            events.append((start, 1))
            events.append((end, -1))
    # Ends sort before starts at the same instant, so touching intervals do not overlap.
    events.sort()
    active, since = 0, 0.0
    for time, change in events:
        if active >= 2:
            total += time - since
        active += change
        since = time
    return total


def gaps(merged: Intervals) -> list[float]:
    """Lengths of the gaps between consecutive merged intervals."""
    return [merged[i + 1][0] - merged[i][1] for i in range(len(merged) - 1)]
