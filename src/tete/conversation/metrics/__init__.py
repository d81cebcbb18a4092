"""Conversation metrics. Each definition here is also written out in docs/metrics.md.

Times are seconds. Segments are taken in order of their start (file order on ties).

By topic: `words` (what a segment's text counts as), `results` (the figures' types),
`spans` (unions of intervals), `turns` (turns, backchannels, interruptions, overlaps),
`arrays` (the usual transcript in bulk) and `measure`, which puts them together.
"""

from __future__ import annotations

from .measure import measure
from .results import OVERLAP_METRICS, TEXT_METRICS, ConversationMetrics, SpeakerMetrics
from .spans import _running_max
from .words import (
    AUDIO_BACKCHANNEL_MAX_S,
    AUDIO_BACKCHANNEL_WITHIN_S,
    BACKCHANNEL_PHRASES,
    BACKCHANNEL_WORDS,
    FILLERS,
    INTERRUPTION_MIN_OVERLAP_S,
    MAX_BACKCHANNEL_WORDS,
    count_fillers,
    count_questions,
    count_words,
    is_backchannel,
)

__all__ = [
    "AUDIO_BACKCHANNEL_MAX_S",
    "AUDIO_BACKCHANNEL_WITHIN_S",
    "BACKCHANNEL_PHRASES",
    "BACKCHANNEL_WORDS",
    "FILLERS",
    "INTERRUPTION_MIN_OVERLAP_S",
    "MAX_BACKCHANNEL_WORDS",
    "OVERLAP_METRICS",
    "TEXT_METRICS",
    "ConversationMetrics",
    "SpeakerMetrics",
    "_running_max",
    "count_fillers",
    "count_questions",
    "count_words",
    "is_backchannel",
    "measure",
]
