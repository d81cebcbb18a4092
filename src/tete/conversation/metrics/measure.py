"""`measure`: a transcript's metrics, per speaker and for the conversation.

Each definition is also written out in docs/metrics.md.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from itertools import compress, islice, repeat
from operator import eq, is_, is_not, le, sub

from .. import intervals
from ..model import Segment, Transcript
from .arrays import _measure_arrays
from .results import ConversationMetrics, SpeakerMetrics, _shares
from .spans import _START, _Union
from .turns import _audio_backchannels, _backchannels, _interruptions, _overlaps, _turns
from .words import _count_words, _text_counts, count_questions


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
