"""SubRip (.srt): numbered cues, ``hh:mm:ss,ttt --> hh:mm:ss,ttt``, then text lines.

SRT has no standard; this reader follows what players accept: the cue number is optional,
a full stop may stand for the comma, blank lines inside text are tolerated, and a new timing
line always starts a new cue. Speakers come from a ``Name:`` or ``[Name]`` prefix.
"""

from __future__ import annotations

import re

from .. import native
from ..errors import TranscriptError
from ..model import Segment, Transcript
from .cuetext import Piece, cue_pieces, cue_segments, label_pieces
from .webvtt_fast import compiled_columns

_TIMINGS = re.compile(
    r"\s*(\d{1,3}):([0-5]?\d):([0-5]?\d)(?:[,.](\d{1,3}))?\s*-->"
    r"\s*(\d{1,3}):([0-5]?\d):([0-5]?\d)(?:[,.](\d{1,3}))?"
)
#: ASS-style override tags some tools leave in SRT text, e.g. ``{\an8}``.
_OVERRIDE = re.compile(r"\{\\[^}]*\}")


def _seconds(hours: str, minutes: str, seconds: str, fraction: str | None) -> float:
    whole = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
    return (whole * 1000 + (int(fraction.ljust(3, "0")) if fraction else 0)) / 1000


def read_srt(text: str, source: str) -> Transcript:
    """Read an SRT file's text.

    With the compiled speed-ups, a file of plain cues is read in one pass
    (:func:`.webvtt_fast.compiled_columns`), which gives the same transcript.
    """
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    compiled = native.speedups
    if compiled is not None:
        columns = compiled_columns(compiled, text, srt=True)
        if columns is not None:
            dialect = "labels" if columns.labelled else ""
            return Transcript(source, "srt", columns.segments, "cues", dialect, columns=columns)
    lines = text.split("\n")
    cues: list[tuple[float, float, list[Piece]]] = []
    current: tuple[float, float] | None = None
    text_lines: list[str] = []

    def close() -> None:
        while text_lines and not text_lines[-1].strip():
            text_lines.pop()
        if current is not None and text_lines:
            raw = _OVERRIDE.sub("", "\n".join(text_lines))
            pieces = [piece for piece in cue_pieces(raw) if piece.text]
            if pieces:
                cues.append((current[0], current[1], pieces))
        text_lines.clear()

    for number, line in enumerate(lines, start=1):
        if "-->" in line:
            match = _TIMINGS.match(line)
            if match is None:
                raise TranscriptError(source, "SRT cue timings not understood", number)
            groups = match.groups()
            start, end = _seconds(*groups[:4]), _seconds(*groups[4:])
            if end < start:
                raise TranscriptError(source, "SRT cue ends before it starts", number)
            # The cue number on the line before belongs to this cue, not the previous text.
            if text_lines and text_lines[-1].strip().isdigit():
                text_lines.pop()
            close()
            current = (start, end)
        elif current is not None:
            text_lines.append(line)
        elif line.strip() and not line.strip().isdigit():
            raise TranscriptError(source, "text before the first SRT cue", number)
    close()
    if current is None:
        raise TranscriptError(source, "no SRT cues found", 1)
    labelled = label_pieces(cues)
    segments: list[Segment] = []
    for start, end, pieces in cues:
        segments.extend(cue_segments(start, end, pieces))
    dialect = "labels" if labelled else ""
    return Transcript(source, "srt", tuple(segments), "cues", dialect)
