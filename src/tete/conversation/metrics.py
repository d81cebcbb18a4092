"""Conversation metrics. Each definition here is also written out in docs/metrics.md.

Times are seconds. Segments are taken in order of their start (file order on ties).
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, islice, repeat
from operator import eq, ge, is_, is_not, itemgetter, le, lt, ne, sub
from typing import Any

from . import intervals, native
from .model import Segment, Transcript

#: A backchannel is a segment of at most this many words, all from the lists below.
MAX_BACKCHANNEL_WORDS = 4
BACKCHANNEL_WORDS = frozenset(
    [
        "mm-hmm",
        "mhm",
        "mm-mm",
        "mm",
        "hmm",
        "hm",
        "uh-huh",
        "uh",
        "huh",
        "yeah",
        "yes",
        "yep",
        "yup",
        "yah",
        "ok",
        "okay",
        "right",
        "sure",
        "exactly",
        "true",
        "totally",
        "absolutely",
        "cool",
        "nice",
        "wow",
        "oh",
        "ah",
        "gotcha",
        "indeed",
        "great",
    ]
)
BACKCHANNEL_PHRASES = frozenset(
    {"i see", "got it", "that's right", "makes sense", "of course", "for sure", "i know"}
)
#: In a recording (speech with no words), a backchannel is a stretch of speech of at most
#: this many seconds ...
AUDIO_BACKCHANNEL_MAX_S = 1.0
#: ... that starts while another speaker is speaking, or at most this many seconds after
#: they stopped (a listener's "mm-hmm" falls in the speaker's pauses).
AUDIO_BACKCHANNEL_WITHIN_S = 0.5
#: Someone who starts speaking while another speaker still has at least this long left
#: of their current stretch of speech interrupts them. Smaller overlaps are ordinary
#: turn-taking: people start as they hear the other finish.
INTERRUPTION_MIN_OVERLAP_S = 0.5
#: Filler words and phrases counted in ``filler_words``.
FILLERS = (
    "um",
    "umm",
    "uh",
    "uhh",
    "uhm",
    "erm",
    "er",
    "ah",
    "you know",
    "i mean",
    "basically",
    "literally",
)
_FILLER = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in FILLERS) + r")\b")


def _whole(word: str) -> str:
    """A pattern for ``word`` as a whole word that starts with its letters, so the search
    skips quickly to where they occur."""
    return rf"{re.escape(word)}\b(?<!\w{re.escape(word)})"


# The fillers, grouped by first letters: each group is one quick literal search, made only
# when a quicker search for the letters every filler of the group holds finds them (a
# pattern of plain letters is a literal search in C).
_FILLER_GROUPS = tuple(
    (re.compile(needle), re.compile("|".join(_whole(filler) for filler in group)))
    for needle, group in (
        ("u[mh]", [filler for filler in FILLERS if filler.startswith("u")]),
        ("er", [filler for filler in FILLERS if filler.startswith("er")]),
        *((filler, [filler]) for filler in FILLERS if not filler.startswith(("u", "er"))),
    )
)
# ASCII white space (as str.split() sees it) to b" ", every other byte to b"w".
_SPACE_OR_WORD = bytes.maketrans(
    bytes(range(256)),
    bytes(32 if byte in (9, 10, 11, 12, 13, 28, 29, 30, 31, 32) else 119 for byte in range(256)),
)
_NOT_WORD = re.compile(r"[^\w\s'’-]+")
_QUESTION = re.compile(r"\?+")
_DOUBLE_QUESTION = re.compile(r"\?\?")


def count_words(text: str) -> int:
    """Words are runs of characters between white space."""
    return len(text.split())


def count_questions(text: str) -> int:
    """A question is a sentence ending in a question mark (``??`` counts once)."""
    if "?" not in text:
        return 0
    if _DOUBLE_QUESTION.search(text) is None:  # a literal search: quicker than ``in``
        return text.count("?")
    return len(_QUESTION.findall(text))


def count_fillers(text: str) -> int:
    """Occurrences of :data:`FILLERS` as whole words, ignoring case."""
    return len(_FILLER.findall(text.lower()))


def is_backchannel(text: str) -> bool:
    """A short listener response ("mm-hmm", "yeah", "right", "I see") that does not take
    the floor: at most :data:`MAX_BACKCHANNEL_WORDS` words, all backchannel words, or one of
    :data:`BACKCHANNEL_PHRASES`."""
    if len(text) > 40:
        return False
    words = _NOT_WORD.sub(" ", text.lower().replace("’", "'")).split()
    if not words or len(words) > MAX_BACKCHANNEL_WORDS:
        return False
    return " ".join(words) in BACKCHANNEL_PHRASES or all(
        word.strip("-") in BACKCHANNEL_WORDS for word in words
    )


@dataclass(frozen=True, slots=True)
class SpeakerMetrics:
    """What one named speaker did; see docs/metrics.md for each definition."""

    name: str
    talk_time_s: float
    talk_share: float
    turns: int
    #: ``words``, ``words_per_minute``, ``questions`` and ``filler_words`` are ``None`` for
    #: a recording: it has no words (see :data:`TEXT_METRICS`).
    words: int | None
    words_per_minute: float | None
    longest_monologue_s: float
    average_monologue_s: float
    questions: int | None
    #: ``interruptions``, ``interrupted`` and ``overlap_s`` are ``None`` for one microphone
    #: (see :data:`OVERLAP_METRICS`).
    interruptions: int | None
    interrupted: int | None
    overlap_s: float | None
    response_latency_s: float | None
    filler_words: int | None
    backchannels: int
    segments: int


@dataclass(frozen=True, slots=True)
class ConversationMetrics:
    """Measures of the whole conversation; ``None`` where the file's timing cannot say."""

    duration_s: float
    turns: int
    words: int | None
    questions: int | None
    interruptions: int | None
    overlap_s: float | None
    silence_s: float | None
    silence_share: float | None
    longest_silence_s: float | None
    response_latency_s: float | None
    unattributed_s: float
    share_basis: str


#: The metrics that need words; a recording has none, so they are ``None`` ("unavailable")
#: for it, never 0.
TEXT_METRICS = ("words", "words_per_minute", "questions", "filler_words")
#: The metrics that need to hear two people at once; voices told apart on one microphone
#: are heard one at a time, so these are ``None`` for such an estimate.
OVERLAP_METRICS = ("overlap_s", "interruptions", "interrupted")

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


def measure(transcript: Transcript) -> tuple[list[SpeakerMetrics], ConversationMetrics]:
    """Every metric for a transcript, per named speaker and for the conversation.

    Work is done on whole columns of segments and on each speaker's text at once; only what
    is rare (short segments that may be backchannels, turns that start over someone else,
    stretches where several people speak) is looked at one by one.
    """
    segments: Sequence[Segment] = transcript.segments
    if not segments:
        return _measure_nothing(transcript)
    starts: Sequence[float]
    speakers: Sequence[str | None]
    ends: Sequence[float]
    texts: Sequence[str]
    columns = transcript.columns
    plain = False
    times = None
    codes = lengths = None
    if columns is not None and columns.segments is segments:
        speakers, starts, ends, texts = (
            columns.speakers,
            columns.starts,
            columns.ends,
            columns.texts,
        )
        plain = columns.plain
        times = columns.times
        codes, lengths = columns.codes, columns.lengths
    else:
        speakers, starts, ends, texts, _ = zip(*segments, strict=True)
    names = transcript.speakers
    timed = transcript.timing == "cues"
    audio = transcript.recording is not None
    if timed and len(segments) > 1:
        # Timed cues, as nearly every file has: the intervals as numpy arrays.
        import numpy as np

        if times is None:
            times = np.array(starts, dtype=np.float64), np.array(ends, dtype=np.float64)
        if not (times[0][1:] >= times[0][:-1]).all():
            segments = sorted(segments, key=_START)  # stable: file order on ties
            speakers, starts, ends, texts, _ = zip(*segments, strict=True)
            times = np.array(starts, dtype=np.float64), np.array(ends, dtype=np.float64)
            codes = lengths = None  # they follow the file's order
        if (times[0] <= times[1]).all() and None not in speakers:
            return _measure_arrays(
                names, speakers, starts, ends, texts, plain, codes, lengths, *times, audio=audio
            )
    elif not all(map(le, starts, islice(starts, 1, None))):
        segments = sorted(segments, key=_START)  # stable: file order on ties
        speakers, starts, ends, texts, _ = zip(*segments, strict=True)
    # Intervals are unioned in bulk unless some segment ends before it starts.
    bulk = all(map(le, starts, ends))
    anonymous = None in speakers
    if anonymous:
        mask = list(map(is_not, speakers, repeat(None)))
        n_speakers: Sequence[str | None] = list(compress(speakers, mask))
        n_starts: Sequence[float] = list(compress(starts, mask))
        n_ends: Sequence[float] = list(compress(ends, mask))
        n_texts: Sequence[str] = list(compress(texts, mask))
    else:
        n_speakers, n_starts, n_ends, n_texts = speakers, starts, ends, texts

    backchannel = (
        _audio_backchannels(n_speakers, n_starts, n_ends)
        if audio
        else _backchannels(n_speakers, n_texts)
    )
    if backchannel:
        on_floor = [True] * len(n_starts)
        for index in backchannel:
            on_floor[index] = False
        floor_index: Sequence[int] = list(compress(range(len(on_floor)), on_floor))
        floor: tuple[Sequence[str | None], Sequence[float], Sequence[float]] = (
            list(compress(n_speakers, on_floor)),
            list(compress(n_starts, on_floor)),
            list(compress(n_ends, on_floor)),
        )
    else:
        floor_index, floor = range(len(n_starts)), (n_speakers, n_starts, n_ends)
    turn_speakers, turn_starts, turn_ends, turn_firsts = _turns(*floor)
    durations = list(map(sub, turn_ends, turn_starts))
    later_speakers = turn_speakers[1:]
    latencies = (
        list(map(max, repeat(0.0), map(sub, islice(turn_starts, 1, None), turn_ends)))
        if timed
        else []
    )
    named_union = _Union(n_starts, n_ends, bulk)
    interruptions: list[tuple[str, str]] = []
    if timed:
        interruptions = _interruptions(
            n_ends, floor, floor_index, turn_speakers, turn_starts, turn_firsts, bulk
        )

    unions: dict[str, _Union] = {}
    talk_time: dict[str, float] = {}
    words: dict[str, int] = {}
    questions: dict[str, int] = {}
    fillers: dict[str, int] = {}
    counts: dict[str, int] = {}
    for name in names:
        mask = list(map(eq, n_speakers, repeat(name))) if len(names) > 1 else [True] * len(n_starts)
        union = _Union(list(compress(n_starts, mask)), list(compress(n_ends, mask)), bulk)
        unions[name] = union
        talk_time[name] = union.length
        counts[name] = mask.count(True)
        text = "\n".join(compress(n_texts, mask))  # \n: no phrase or run of ? spans two segments
        words[name], questions[name], fillers[name] = _text_counts(text, plain, counts[name])
    backchannels = Counter(map(n_speakers.__getitem__, backchannel))
    overlaps, overlap_total = (
        _overlaps(n_speakers, n_starts, n_ends, named_union.joins, names, unions)
        if timed
        else ({}, 0.0)
    )
    shares, share_basis = _shares(talk_time, words)

    result: list[SpeakerMetrics] = []
    for name in names:
        own_turns = list(compress(durations, map(eq, turn_speakers, repeat(name))))
        own_latencies = list(compress(latencies, map(eq, later_speakers, repeat(name))))
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
                interruptions=sum(1 for who, _ in interruptions if who == name),
                interrupted=sum(1 for _, whom in interruptions if whom == name),
                overlap_s=intervals.length(overlaps[name]) if timed else None,
                response_latency_s=statistics.median(own_latencies) if own_latencies else None,
                filler_words=fillers[name],
                backchannels=backchannels[name],
                segments=counts[name],
            )
        )

    if anonymous:
        everyone = _Union(starts, ends, bulk)
        unnamed = list(map(is_, speakers, repeat(None)))
        unattributed = _Union(
            list(compress(starts, unnamed)), list(compress(ends, unnamed)), bulk
        ).length
        unnamed_text = "\n".join(compress(texts, unnamed))
        total_words = sum(words.values()) + _count_words(unnamed_text)
        total_questions = sum(questions.values()) + count_questions(unnamed_text)
    else:
        everyone, unattributed = named_union, 0.0
        total_words, total_questions = sum(words.values()), sum(questions.values())
    duration = max(ends) - starts[0]
    silence = duration - everyone.length
    gaps = map(sub, islice(everyone.starts, 1, None), everyone.ends)
    conversation = ConversationMetrics(
        duration_s=duration,
        turns=len(turn_starts),
        words=total_words,
        questions=total_questions,
        interruptions=len(interruptions),
        overlap_s=overlap_total if timed else None,
        silence_s=silence if timed else None,
        silence_share=(silence / duration if duration > 0 else 0.0) if timed else None,
        longest_silence_s=max(gaps, default=0.0) if timed else None,
        response_latency_s=statistics.median(latencies) if latencies else None,
        unattributed_s=unattributed,
        share_basis=share_basis,
    )
    return result, conversation


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


def _measure_nothing(transcript: Transcript) -> tuple[list[SpeakerMetrics], ConversationMetrics]:
    timed = transcript.timing == "cues"
    conversation = ConversationMetrics(
        duration_s=0.0,
        turns=0,
        words=0,
        questions=0,
        interruptions=0,
        overlap_s=0.0 if timed else None,
        silence_s=0.0 if timed else None,
        silence_share=0.0 if timed else None,
        longest_silence_s=0.0 if timed else None,
        response_latency_s=None,
        unattributed_s=0.0,
        share_basis="time",
    )
    return [], conversation


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


def _text_counts(text: str, plain: bool, segments: int) -> tuple[int, int, int]:
    """Words, questions and filler words in the texts of ``segments`` segments joined by
    ``\\n`` (``plain``: each already ``" ".join(text.split())``), as :func:`count_words`,
    :func:`count_questions` and :func:`count_fillers` count them; by the compiled
    speed-ups in one pass when they are built and the text is ASCII."""
    compiled = native.speedups
    if compiled is not None:
        counted = compiled.text_counts(text, FILLERS)
        if counted is not None:
            return counted
    # plain texts: words are the spaces, plus one in each segment
    words = text.count(" ") + segments if plain else _count_words(text)
    return words, count_questions(text), _count_fillers(text)


def _count_words(text: str) -> int:
    """:func:`count_words`, without making a string of each word when the text is ASCII."""
    if not text.isascii():
        return len(text.split())
    marks = text.encode().translate(_SPACE_OR_WORD)
    return marks.count(b" w") + marks.startswith(b"w")


def _count_fillers(text: str) -> int:
    """:func:`count_fillers`, a few literal searches instead of one search per character;
    a group is searched for only where its letters occur at all."""
    lowered = text.lower()
    return sum(
        len(pattern.findall(lowered))
        for needle, pattern in _FILLER_GROUPS
        if needle.search(lowered) is not None
    )


_BACKCHANNEL_CACHE: dict[str, bool] = {}


def _is_backchannel(text: str) -> bool:
    """:func:`is_backchannel`, remembering the answer for the short texts that recur
    ("Yeah.", "Mm-hmm.")."""
    known = _BACKCHANNEL_CACHE.get(text)
    if known is None:
        if len(_BACKCHANNEL_CACHE) >= 4096:
            _BACKCHANNEL_CACHE.clear()
        known = _BACKCHANNEL_CACHE[text] = is_backchannel(text)
    return known


def _shares(talk_time: dict[str, float], words: dict[str, int]) -> tuple[dict[str, float], str]:
    """Talk share over named speakers by time; by words when the file has no times."""
    total_time = sum(talk_time.values())
    if total_time > 0:
        return {name: time / total_time for name, time in talk_time.items()}, "time"
    total_words = sum(words.values())
    if total_words > 0:
        return {name: count / total_words for name, count in words.items()}, "words"
    return dict.fromkeys(talk_time, 0.0), "time"
