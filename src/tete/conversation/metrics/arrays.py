"""The usual transcript measured in bulk: numpy arrays where numpy is present.

Each definition is also written out in docs/metrics.md.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from itertools import compress
from typing import Any

from .. import intervals
from .results import ConversationMetrics, SpeakerMetrics, _shares
from .turns import _audio_backchannels, _backchannels, _overlaps
from .words import INTERRUPTION_MIN_OVERLAP_S, _text_counts


def _measure_arrays(
    names: tuple[str, ...],
    speakers: Sequence[str | None],
    starts: Sequence[float],
    ends: Sequence[float],
    texts: Sequence[str],
    plain: bool,
    codes: Any,
    lengths: Any,
    start_array: Any,
    end_array: Any,
    *,
    audio: bool = False,
) -> tuple[list[SpeakerMetrics], ConversationMetrics]:
    """:func:`measure` for the usual transcript (timed cues, every segment named, none
    ending before it starts, in order of start), with the intervals as numpy arrays: the
    same operations, each done at once on a whole column (numpy is imported here, not with
    the package, so that importing it stays cheap).

    Sums of many seconds are added in order in Python, as the definitions do, so that every
    value is exactly what :func:`measure` gives with lists.
    """
    import numpy as np

    count = len(starts)
    if codes is None:  # each segment's speaker as its index in names
        code_of: dict[str | None, int] = {name: code for code, name in enumerate(names)}
        codes = np.fromiter(map(code_of.__getitem__, speakers), dtype=np.intp, count=count)

    if audio:
        backchannel = _audio_backchannels(speakers, starts, ends)
    else:
        short = None if lengths is None else np.flatnonzero(lengths <= 40).tolist()
        backchannel = _backchannels(speakers, texts, short)
    if backchannel:
        on_floor = np.ones(count, dtype=bool)
        on_floor[backchannel] = False
        floor_index = np.flatnonzero(on_floor)
        floor_codes = codes[floor_index]
        floor_starts = start_array[floor_index]
        floor_ends = end_array[floor_index]
    else:
        floor_index = np.arange(count)
        floor_codes, floor_starts, floor_ends = codes, start_array, end_array

    # Turns: runs of one speaker among the segments that hold the floor.
    firsts = np.flatnonzero(floor_codes[1:] != floor_codes[:-1]) + 1
    if len(floor_codes):
        firsts = np.concatenate(([0], firsts))
    turn_codes = floor_codes[firsts]
    turn_starts = floor_starts[firsts]
    turn_ends = np.maximum.reduceat(floor_ends, firsts) if len(firsts) else floor_ends
    durations = turn_ends - turn_starts
    latencies = np.maximum(turn_starts[1:] - turn_ends[:-1], 0.0)

    reach, apart, union_starts, union_ends = _union_arrays(np, start_array, end_array)
    interruptions, interrupted, interruption_count = _interruption_counts(
        np, len(names), reach, floor_index, floor_codes, floor_starts, floor_ends,
        turn_codes, turn_starts, firsts,
    )  # fmt: skip

    talk_time: dict[str, float] = {}
    words: dict[str, int] = {}
    questions: dict[str, int] = {}
    fillers: dict[str, int] = {}
    counts: dict[str, int] = {}
    unions: list[tuple[Any, Any]] = []
    for code, name in enumerate(names):
        if len(names) > 1:
            mask = codes == code
            _, _, own_starts, own_ends = _union_arrays(np, start_array[mask], end_array[mask])
            own_texts: Sequence[str] = list(compress(texts, mask.tolist()))
        else:
            own_starts, own_ends, own_texts = union_starts, union_ends, texts
        unions.append((own_starts, own_ends))
        talk_time[name] = sum((own_ends - own_starts).tolist(), 0.0)
        counts[name] = len(own_texts)
        text = "\n".join(own_texts)  # \n: no phrase or run of ? spans two segments
        words[name], questions[name], fillers[name] = _text_counts(text, plain, counts[name])
    backchannels = Counter(map(speakers.__getitem__, backchannel))
    if len(names) == 2:
        shared = _intersection_length(np, *unions[0], *unions[1])
        overlap = dict.fromkeys(names, shared)
        overlap_total = shared
    else:
        overlaps, overlap_total = _overlaps(
            speakers, starts, ends, (np.flatnonzero(~apart) + 1).tolist(), names, {}
        )
        overlap = {name: intervals.length(overlaps[name]) for name in names}
    shares, share_basis = _shares(talk_time, words)

    result: list[SpeakerMetrics] = []
    for code, name in enumerate(names):
        own_turns: list[float] = durations[turn_codes == code].tolist()
        own_latencies = latencies[turn_codes[1:] == code]
        minutes = talk_time[name] / 60
        result.append(
            SpeakerMetrics(
                name=name,
                talk_time_s=talk_time[name],
                talk_share=shares[name],
                turns=len(own_turns),
                words=words[name],
                words_per_minute=words[name] / minutes if minutes > 0 else None,
                longest_monologue_s=max(own_turns, default=0.0),
                average_monologue_s=statistics.fmean(own_turns) if own_turns else 0.0,
                questions=questions[name],
                interruptions=interruptions[code],
                interrupted=interrupted[code],
                overlap_s=overlap[name],
                response_latency_s=_median(np, own_latencies),
                filler_words=fillers[name],
                backchannels=backchannels[name],
                segments=counts[name],
            )
        )

    duration = float(reach[-1]) - starts[0]  # the latest end
    silence = duration - sum((union_ends - union_starts).tolist(), 0.0)
    gaps = union_starts[1:] - union_ends[:-1]
    conversation = ConversationMetrics(
        duration_s=duration,
        turns=len(turn_starts),
        words=sum(words.values()),
        questions=sum(questions.values()),
        interruptions=interruption_count,
        overlap_s=overlap_total,
        silence_s=silence,
        silence_share=silence / duration if duration > 0 else 0.0,
        longest_silence_s=float(gaps.max()) if len(gaps) else 0.0,
        response_latency_s=_median(np, latencies),
        unattributed_s=0.0,
        share_basis=share_basis,
    )
    return result, conversation


def _union_arrays(np: Any, starts: Any, ends: Any) -> tuple[Any, Any, Any, Any]:
    """The union of intervals sorted by start, none ending before it starts, as
    :class:`_Union` makes it: the running maximum of the ends, whether each interval after
    the first starts apart from all before it (else it joins the one before), and the
    union's starts and ends."""
    if len(ends) < 2:
        return ends, np.zeros(0, dtype=bool), starts, ends
    reach = np.maximum.accumulate(ends)
    # An interval joins the union so far when it starts before everything so far ends.
    apart = starts[1:] > reach[:-1]
    union_starts = np.concatenate((starts[:1], starts[1:][apart]))
    union_ends = np.concatenate((reach[:-1][apart], reach[-1:]))
    return reach, apart, union_starts, union_ends


def _intersection_length(
    np: Any, starts: Any, ends: Any, other_starts: Any, other_ends: Any
) -> float:
    """How long two unions (sorted, apart from one another) share, as
    :func:`intervals.length` of :func:`intervals.intersect` adds it up: the shared
    stretches in order of time."""
    # The other's intervals that share some time with each interval: those that end after
    # it starts and start before it ends.
    first = np.searchsorted(other_ends, starts, side="right")
    stop = np.searchsorted(other_starts, ends, side="left")
    repeats = np.maximum(stop - first, 0)
    pairs = int(repeats.sum())
    if not pairs:
        return 0.0
    own = np.repeat(np.arange(len(starts)), repeats)
    other = np.arange(pairs) - np.repeat(np.cumsum(repeats) - repeats - first, repeats)
    shared_starts = np.maximum(starts[own], other_starts[other])
    shared_ends = np.minimum(ends[own], other_ends[other])
    lengths = (shared_ends - shared_starts)[shared_starts < shared_ends]
    return sum(lengths.tolist(), 0.0)


def _interruption_counts(
    np: Any,
    speakers: int,
    reach: Any,
    floor_index: Any,
    floor_codes: Any,
    floor_starts: Any,
    floor_ends: Any,
    turn_codes: Any,
    turn_starts: Any,
    firsts: Any,
) -> tuple[list[int], list[int], int]:
    """:func:`_interruptions` on arrays: how many times each speaker (by code) interrupts
    and is interrupted, and how many interruptions there are."""
    interruptions = [0] * speakers
    interrupted = [0] * speakers
    if len(turn_starts) < 2:
        return interruptions, interrupted, 0
    # Turns that start before some earlier segment ends.
    reached = reach[floor_index[firsts[1:]] - 1] >= turn_starts[1:]
    candidates = np.flatnonzero(reached) + 1
    if not len(candidates):
        return interruptions, interrupted, 0
    who = turn_codes[candidates]
    when = turn_starts[candidates]
    total = 0
    for other in range(speakers):
        mask = floor_codes == other
        if not mask.any():
            continue
        _, _, union_starts, union_ends = _union_arrays(np, floor_starts[mask], floor_ends[mask])
        # the other speaker's last stretch that began strictly before the turn (index -1,
        # none, picks the last one, and is then left out)
        index = np.searchsorted(union_starts, when, side="left") - 1
        hits = (who != other) & (index >= 0)
        hits &= union_ends[index] - when >= INTERRUPTION_MIN_OVERLAP_S
        found = int(np.count_nonzero(hits))
        if found:
            total += found
            interrupted[other] += found
            for code, times in enumerate(np.bincount(who[hits], minlength=speakers).tolist()):
                interruptions[code] += times
    return interruptions, interrupted, total


def _median(np: Any, values: Any) -> float | None:
    """``statistics.median`` of an array, ``None`` when it is empty."""
    count = len(values)
    if not count:
        return None
    ordered = np.sort(values)
    half = count // 2
    if count % 2:
        return float(ordered[half])
    return (float(ordered[half - 1]) + float(ordered[half])) / 2
