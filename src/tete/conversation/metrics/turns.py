"""Turns, backchannels, interruptions and overlaps between speakers.

Each definition is also written out in docs/metrics.md.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import compress, islice, repeat
from operator import eq, ge, le, ne, sub

from .. import intervals
from .spans import _running_max, _Union
from .words import (
    AUDIO_BACKCHANNEL_MAX_S,
    AUDIO_BACKCHANNEL_WITHIN_S,
    INTERRUPTION_MIN_OVERLAP_S,
    _is_backchannel,
)


def _backchannels(
    speakers: Sequence[str | None], texts: Sequence[str], short: Sequence[int] | None = None
) -> list[int]:
    """Indices of the named segments that are backchannels and so do not hold the floor.

    A backchannel still holds the floor when its speaker goes on to speak next ("Yeah. So I
    think…" split over two cues), and a short reply to a question is an answer, not a
    backchannel. Only segments short enough to be one (at most 40 characters: ``short``,
    when the caller knows them) are looked at.
    """
    if short is None:
        short = list(compress(range(len(texts)), map(le, map(len, texts), repeat(40))))
    found: list[int] = []
    for index in short:
        answers_question = (
            index > 0 and speakers[index - 1] != speakers[index] and texts[index - 1].endswith("?")
        )
        if not answers_question and _is_backchannel(texts[index]):
            found.append(index)
    return _not_taking_the_floor(speakers, found)


def _audio_backchannels(
    speakers: Sequence[str | None], starts: Sequence[float], ends: Sequence[float]
) -> list[int]:
    """:func:`_backchannels` for a recording, whose segments have no words: a segment of at
    most :data:`AUDIO_BACKCHANNEL_MAX_S` that starts while another speaker is speaking, or at
    most :data:`AUDIO_BACKCHANNEL_WITHIN_S` after they stopped, unless its speaker goes on
    speaking at most :data:`AUDIO_BACKCHANNEL_WITHIN_S` after it (then it starts their
    turn). Segments are in start order."""
    count = len(starts)
    following: list[float] = [float("inf")] * count  # the same speaker's next start
    upcoming: dict[str | None, float] = {}
    for index in range(count - 1, -1, -1):
        following[index] = upcoming.get(speakers[index], float("inf"))
        upcoming[speakers[index]] = starts[index]
    found: list[int] = []
    reach: dict[str | None, float] = {}  # each speaker's latest end so far
    for index, (speaker, start, end) in enumerate(zip(speakers, starts, ends, strict=True)):
        if (
            end - start <= AUDIO_BACKCHANNEL_MAX_S
            and following[index] - end > AUDIO_BACKCHANNEL_WITHIN_S
            and any(
                other != speaker and start <= until + AUDIO_BACKCHANNEL_WITHIN_S
                for other, until in reach.items()
            )
        ):
            found.append(index)
        if end > reach.get(speaker, float("-inf")):
            reach[speaker] = end
    return found


def _not_taking_the_floor(speakers: Sequence[str | None], found: list[int]) -> list[int]:
    """The backchannels among ``found`` that are not followed directly by more of their
    speaker's speech (which they would start)."""
    if not found:
        return found
    marked = set(found)
    kept: list[int] = []
    for index in found:
        following = index + 1
        while following in marked:
            following += 1
        # the next segment that holds the floor is the same speaker's: this one starts it
        if following >= len(speakers) or speakers[following] != speakers[index]:
            kept.append(index)
    return kept


def _turns(
    speakers: Sequence[str | None], starts: Sequence[float], ends: Sequence[float]
) -> tuple[list[str | None], list[float], list[float], list[int]]:
    """Turns (speaker, start, end, index of the first segment) from the segments that hold
    the floor: a turn is a maximal run of one speaker's segments, and ends at the latest
    end among them."""
    count = len(starts)
    if not count:
        return [], [], [], []
    firsts = [0, *compress(range(1, count), map(ne, islice(speakers, 1, None), speakers))]
    if len(firsts) == count:
        return list(speakers), list(starts), list(ends), firsts
    runs = map(slice, firsts, [*firsts[1:], count])
    return (
        list(map(speakers.__getitem__, firsts)),
        list(map(starts.__getitem__, firsts)),
        list(map(max, map(ends.__getitem__, runs))),
        firsts,
    )


def _interruptions(
    named_ends: Sequence[float],
    floor: tuple[Sequence[str | None], Sequence[float], Sequence[float]],
    floor_index: Sequence[int],
    turn_speakers: list[str | None],
    turn_starts: list[float],
    turn_firsts: list[int],
    bulk: bool,
) -> list[tuple[str, str]]:
    """(interrupter, interrupted) pairs: a turn that starts while another speaker, in a
    stretch of speech that is not a backchannel, still has at least
    :data:`INTERRUPTION_MIN_OVERLAP_S` to go.

    Such a stretch covers the turn's start, so some segment that starts before the turn
    reaches it: turns that start beyond every earlier segment are not looked at.
    """
    if len(turn_starts) < 2:
        return []
    reach = _running_max(named_ends)
    before = map(sub, map(floor_index.__getitem__, islice(turn_firsts, 1, None)), repeat(1))
    reached = map(ge, map(reach.__getitem__, before), islice(turn_starts, 1, None))
    candidates = list(compress(range(1, len(turn_starts)), reached))
    if not candidates:
        return []
    speakers, starts, ends = floor
    floor_time: dict[str, _Union] = {}
    for name in dict.fromkeys(speakers):
        assert name is not None
        mask = list(map(eq, speakers, repeat(name)))
        floor_time[name] = _Union(list(compress(starts, mask)), list(compress(ends, mask)), bulk)
    found: list[tuple[str, str]] = []
    for turn in candidates:
        speaker, start = turn_speakers[turn], turn_starts[turn]
        assert speaker is not None
        for other, union in floor_time.items():
            if other == speaker:
                continue
            # the other speaker's last stretch that began strictly before this turn
            index = bisect.bisect_left(union.starts, start) - 1
            if index >= 0 and union.ends[index] - start >= INTERRUPTION_MIN_OVERLAP_S:
                found.append((speaker, other))
    return found


def _overlaps(
    speakers: Sequence[str | None],
    starts: Sequence[float],
    ends: Sequence[float],
    joins: list[int] | None,
    names: Sequence[str],
    unions: dict[str, _Union],
) -> tuple[dict[str, intervals.Intervals], float]:
    """Per speaker, the stretches in which someone else also talks, and how long two or
    more speakers talk at once.

    In bulk, only the runs of segments that join one another are looked at: elsewhere
    nobody overlaps.
    """
    if joins is None:
        merged = {name: union.pairs() for name, union in unions.items()}
        shared_all: dict[str, intervals.Intervals] = {}
        for name in names:
            others = intervals.merge(
                span for other in names if other != name for span in merged[other]
            )
            shared_all[name] = intervals.intersect(merged[name], others)
        return shared_all, intervals.at_least_two(merged.values())
    shared: dict[str, intervals.Intervals] = {name: [] for name in names}
    total = 0.0
    runs: list[list[int]] = []
    for index in joins:
        if runs and runs[-1][1] == index - 1:
            runs[-1][1] = index
        else:
            runs.append([index - 1, index])
    for first, last in runs:
        if last == first + 1:
            one, two = speakers[first], speakers[last]
            if one == two:
                continue
            assert one is not None and two is not None
            # the second starts within the first: they share from its start to the first end
            start, end = starts[last], min(ends[first], ends[last])
            if start < end:
                shared[one].append((start, end))
                shared[two].append((start, end))
                total += end - start
            continue
        present = dict.fromkeys(speakers[first : last + 1])
        if len(present) < 2:
            continue
        spans: dict[str, intervals.Intervals] = {}
        for present_name in present:
            assert present_name is not None
            spans[present_name] = intervals.merge(
                (starts[index], ends[index])
                for index in range(first, last + 1)
                if speakers[index] == present_name
            )
        for name, own in spans.items():
            others = intervals.merge(
                span for other, theirs in spans.items() if other != name for span in theirs
            )
            shared[name].extend(intervals.intersect(own, others))
        total = intervals.at_least_two(spans.values(), total)
    return shared, total
