"""The transcript model every reader produces: segments of speech, with words when known."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Literal, NamedTuple

#: How much a transcript says about time.
#: ``cues``: every segment has its own start and end (WebVTT, SRT, JSON, old Teams).
#: ``starts``: only start times are written; ends are inferred (Otter, Teams, Google Meet).
#: ``none``: no times at all (plain ``Name: text`` lines): only word-based metrics.
Timing = Literal["cues", "starts", "none"]

#: The JSON contract's file formats.
Format = Literal["webvtt", "srt", "text", "json"]


# Word and Segment are named tuples: a one-hour transcript has thousands of them, and a
# tuple is several times cheaper to create than a frozen dataclass.
class Word(NamedTuple):
    """A word with its own times, as Whisper-style JSON writes them."""

    text: str
    start: float
    end: float


class Segment(NamedTuple):
    """A stretch of speech by one speaker (``None`` when the file does not say who)."""

    speaker: str | None
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class Transcript:
    """What a reader makes of a file: segments in file order, and how it was read.

    ``dialect`` names the vendor convention (``zoom``, ``teams``, ``otter``, ``meet``,
    ``whisper``, ``whisperx``, ``plain`` …) and ``warnings`` lists parts of the file a reader
    skipped as its format's rules say (for instance a WebVTT cue with broken timings),
    each naming the line.
    """

    source: str
    format: Format
    segments: tuple[Segment, ...]
    timing: Timing = "cues"
    dialect: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def speakers(self) -> tuple[str, ...]:
        """Named speakers in order of first appearance."""
        seen = dict.fromkeys(map(itemgetter(0), self.segments))
        seen.pop(None, None)
        return tuple(seen)
