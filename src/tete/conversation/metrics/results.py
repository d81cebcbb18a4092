"""The figures a transcript's metrics come out as, per speaker and for the conversation.

Each definition is also written out in docs/metrics.md.
"""

from __future__ import annotations

from dataclasses import dataclass


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


def _shares(talk_time: dict[str, float], words: dict[str, int]) -> tuple[dict[str, float], str]:
    """Talk share over named speakers by time; by words when the file has no times."""
    total_time = sum(talk_time.values())
    if total_time > 0:
        return {name: time / total_time for name, time in talk_time.items()}, "time"
    total_words = sum(words.values())
    if total_words > 0:
        return {name: count / total_words for name, count in words.items()}, "words"
    return dict.fromkeys(talk_time, 0.0), "time"
