"""The straightforward per-segment implementation of every metric, as first written: the
reference that the bulk implementation in ``tete.conversation.metrics`` must agree with."""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from dataclasses import dataclass

from tete.conversation import intervals

# The definitions (word lists, thresholds) are shared; only the algorithm is re-written here.
# So are the result types: the comparison is field by field.
from tete.conversation.metrics import (
    BACKCHANNEL_PHRASES,
    BACKCHANNEL_WORDS,
    FILLERS,
    INTERRUPTION_MIN_OVERLAP_S,
    MAX_BACKCHANNEL_WORDS,
    ConversationMetrics,
    SpeakerMetrics,
)
from tete.conversation.model import Segment, Transcript

_FILLER = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in FILLERS) + r")\b")
_NOT_WORD = re.compile(r"[^\w\s'’-]+")
_QUESTION = re.compile(r"\?+")


def count_words(text: str) -> int:
    """Words are runs of characters between white space."""
    return len(text.split())


def count_questions(text: str) -> int:
    """A question is a sentence ending in a question mark (``??`` counts once)."""
    return len(_QUESTION.findall(text)) if "?" in text else 0


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
class Turn:
    """A turn: a maximal run of one speaker's segments, in start order, that no other
    speaker's segment breaks — except backchannels, which leave the floor where it is."""

    speaker: str
    start: float
    end: float
    segments: int

    @property
    def duration(self) -> float:
        return self.end - self.start


def floor_flags(ordered: list[Segment]) -> list[bool]:
    """Which named segments hold the floor (all but backchannels).

    A backchannel still holds the floor when its speaker goes on to speak next ("Yeah. So I
    think…" split over two cues), and a short reply to a question is an answer, not a
    backchannel.
    """
    backchannel = [False] * len(ordered)
    for index, segment in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        answers_question = (
            previous is not None
            and previous.speaker != segment.speaker
            and previous.text.endswith("?")
        )
        backchannel[index] = not answers_question and is_backchannel(segment.text)
    floor = [not flag for flag in backchannel]
    next_floor_speaker: str | None = None
    for index in range(len(ordered) - 1, -1, -1):
        if floor[index]:
            next_floor_speaker = ordered[index].speaker
        elif ordered[index].speaker == next_floor_speaker:
            floor[index] = True
    return floor


def turns_of(ordered: list[Segment], floor: list[bool]) -> list[Turn]:
    """Turns from named segments in start order (see :class:`Turn`)."""
    turns: list[Turn] = []
    speaker: str | None = None
    start = end = 0.0
    count = 0
    for segment, holds_floor in zip(ordered, floor, strict=True):
        if not holds_floor:
            continue
        if segment.speaker == speaker:
            end = max(end, segment.end)
            count += 1
            continue
        if speaker is not None:
            turns.append(Turn(speaker, start, end, count))
        speaker, start, end, count = segment.speaker, segment.start, segment.end, 1
    if speaker is not None:
        turns.append(Turn(speaker, start, end, count))
    return turns


def interruptions_of(
    turns: list[Turn], floor_time: dict[str, intervals.Intervals]
) -> list[tuple[str, str]]:
    """(interrupter, interrupted) pairs: a turn that starts while another speaker, in a
    stretch of speech that is not a backchannel, still has at least
    :data:`INTERRUPTION_MIN_OVERLAP_S` to go."""
    starts = {name: [start for start, _ in spans] for name, spans in floor_time.items()}
    found: list[tuple[str, str]] = []
    for turn in turns[1:]:
        for other, spans in floor_time.items():
            if other == turn.speaker:
                continue
            # the other speaker's last stretch that began strictly before this turn
            index = bisect.bisect_left(starts[other], turn.start) - 1
            if index >= 0 and spans[index][1] - turn.start >= INTERRUPTION_MIN_OVERLAP_S:
                found.append((turn.speaker, other))
    return found


def response_latencies(turns: list[Turn]) -> list[tuple[str, float]]:
    """(responder, seconds) for each change of turn: the silence between the end of one
    speaker's turn and the start of the next speaker's, 0 when they overlap."""
    return [
        (turn.speaker, max(0.0, turn.start - previous.end))
        for previous, turn in itertools.pairwise(turns)
    ]


def measure(transcript: Transcript) -> tuple[list[SpeakerMetrics], ConversationMetrics]:
    """Every metric for a transcript, per named speaker and for the conversation."""
    ordered = sorted(transcript.segments, key=lambda segment: segment.start)
    named = [segment for segment in ordered if segment.speaker is not None]
    names = transcript.speakers
    timed = transcript.timing == "cues"
    floor = floor_flags(named)
    turns = turns_of(named, floor)

    spans: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    floor_spans: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    words = dict.fromkeys(names, 0)
    questions = dict.fromkeys(names, 0)
    fillers = dict.fromkeys(names, 0)
    backchannels = dict.fromkeys(names, 0)
    segment_counts = dict.fromkeys(names, 0)
    for segment, holds_floor in zip(named, floor, strict=True):
        name = segment.speaker
        assert name is not None
        spans[name].append((segment.start, segment.end))
        if holds_floor:
            floor_spans[name].append((segment.start, segment.end))
        else:
            backchannels[name] += 1
        text = segment.text
        words[name] += count_words(text)
        questions[name] += count_questions(text)
        fillers[name] += count_fillers(text)
        segment_counts[name] += 1
    merged = {name: intervals.merge(spans[name]) for name in names}
    talk_time = {name: intervals.length(merged[name]) for name in names}
    floor_time = {name: intervals.merge(floor_spans[name]) for name in names}

    interruptions = interruptions_of(turns, floor_time) if timed else []
    latencies = response_latencies(turns) if timed else []
    shares, share_basis = _shares(talk_time, words)

    speakers: list[SpeakerMetrics] = []
    for name in names:
        own_turns = [turn.duration for turn in turns if turn.speaker == name]
        own_latencies = [seconds for who, seconds in latencies if who == name]
        others = intervals.merge(span for other in names if other != name for span in merged[other])
        minutes = talk_time[name] / 60
        speakers.append(
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
                overlap_s=intervals.length(intervals.intersect(merged[name], others))
                if timed
                else None,
                response_latency_s=statistics.median(own_latencies) if own_latencies else None,
                filler_words=fillers[name],
                backchannels=backchannels[name],
                segments=segment_counts[name],
            )
        )
    conversation = _conversation(
        transcript, ordered, merged, turns, interruptions, latencies, share_basis
    )
    return speakers, conversation


def _shares(talk_time: dict[str, float], words: dict[str, int]) -> tuple[dict[str, float], str]:
    """Talk share over named speakers by time; by words when the file has no times."""
    total_time = sum(talk_time.values())
    if total_time > 0:
        return {name: time / total_time for name, time in talk_time.items()}, "time"
    total_words = sum(words.values())
    if total_words > 0:
        return {name: count / total_words for name, count in words.items()}, "words"
    return dict.fromkeys(talk_time, 0.0), "time"


def _conversation(
    transcript: Transcript,
    ordered: list[Segment],
    merged: dict[str, intervals.Intervals],
    turns: list[Turn],
    interruptions: list[tuple[str, str]],
    latencies: list[tuple[str, float]],
    share_basis: str,
) -> ConversationMetrics:
    timed = transcript.timing == "cues"
    duration = max((s.end for s in ordered), default=0.0) - (ordered[0].start if ordered else 0.0)
    unattributed = intervals.merge((s.start, s.end) for s in ordered if s.speaker is None)
    everyone = intervals.merge((s.start, s.end) for s in ordered)
    silence = duration - intervals.length(everyone)
    return ConversationMetrics(
        duration_s=duration,
        turns=len(turns),
        words=sum(count_words(s.text) for s in ordered),
        questions=sum(count_questions(s.text) for s in ordered),
        interruptions=len(interruptions),
        overlap_s=intervals.at_least_two(merged.values()) if timed else None,
        silence_s=silence if timed else None,
        silence_share=(silence / duration if duration > 0 else 0.0) if timed else None,
        longest_silence_s=max(intervals.gaps(everyone), default=0.0) if timed else None,
        response_latency_s=statistics.median(s for _, s in latencies) if latencies else None,
        unattributed_s=intervals.length(unattributed),
        share_basis=share_basis,
    )
