"""WebVTT, read as the W3C WebVTT parsing algorithm says (https://www.w3.org/TR/webvtt1/).

Blocks are separated by blank lines; a block whose first or second line holds ``-->`` is a
cue (the line before the timings is the cue identifier); NOTE, STYLE and REGION blocks and
the header are skipped. A cue whose timings do not parse is dropped with a warning, as the
algorithm drops it. Speakers come from ``<v Name>`` spans, or a ``Name:`` prefix (Zoom).
"""

from __future__ import annotations

import re

from ..errors import TranscriptError
from ..model import Segment, Transcript
from .cuetext import Piece, cue_pieces, cue_segments, label_count, label_pieces
from .webvtt_fast import fast_columns

_TIMINGS = re.compile(
    r"[ \t]*(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})(?!\d)[ \t]*-->"
    r"[ \t]*(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})(?!\d)"
)


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    # whole milliseconds first, so 1.723 reads as 1.723 and not 1.7229999999999999
    whole = (int(hours) * 3600 if hours else 0) + int(minutes) * 60 + int(seconds)
    return (whole * 1000 + int(millis)) / 1000


def read_webvtt(text: str, source: str, *, bulk: bool = True) -> Transcript:
    """Read a WebVTT file's text.

    Files of plain one-voice cues are read in bulk (:mod:`.webvtt_fast`), which gives the
    same transcript as the full algorithm; ``bulk=False`` always runs the full algorithm.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("WEBVTT") or text[6:7] not in ("", " ", "\t", "\n"):
        raise TranscriptError(source, "not WebVTT: the first line must start with WEBVTT", 1)
    header_end = text.find("\n\n")
    simple = fast_columns(text[header_end:]) if bulk and header_end > 0 else None
    if simple is not None:
        return Transcript(source, "webvtt", simple.segments, "cues", "voice-spans", columns=simple)
    lines = text.split("\n")
    count = len(lines)
    index = 1
    while index < count and lines[index]:  # the header ends at the first blank line
        index += 1
    cues: list[tuple[float, float, list[Piece]]] = []
    warnings: list[str] = []
    while index < count:
        if not lines[index]:
            index += 1
            continue
        index, cue, warning = _collect_block(lines, index)
        if cue is not None:
            cues.append(cue)
        if warning:
            warnings.append(warning)
    label_pieces(cues)
    segments: list[Segment] = []
    for start, end, pieces in cues:
        segments.extend(cue_segments(start, end, pieces))
    # Teams and most captioning tools write <v> spans; Zoom writes "Name: text".
    dialect = "voice-spans" if "<v" in text else "zoom" if label_count(cues) else ""
    return Transcript(source, "webvtt", tuple(segments), "cues", dialect, tuple(warnings))


def _collect_block(
    lines: list[str], index: int
) -> tuple[int, tuple[float, float, list[Piece]] | None, str]:
    """One block from ``index``: returns the next index, the cue if it is one, a warning."""
    block_line = 0
    timings: tuple[float, float] | None = None
    seen_arrow = False
    text_lines: list[str] = []
    warning = ""
    count = len(lines)
    while index < count:
        line = lines[index]
        if not line:
            break
        block_line += 1
        if "-->" in line:
            if block_line == 1 or (block_line == 2 and not seen_arrow):
                seen_arrow = True
                timings, warning = _timings(line, index + 1)
                index += 1
                continue
            break  # this line starts the next block, as the algorithm rewinds to it
        if seen_arrow:
            text_lines.append(line)
        index += 1
    if timings is None or not text_lines:
        return index, None, warning
    pieces = cue_pieces("\n".join(text_lines))
    if not pieces:
        return index, None, warning
    return index, (timings[0], timings[1], pieces), warning


def _timings(line: str, line_number: int) -> tuple[tuple[float, float] | None, str]:
    match = _TIMINGS.match(line)
    if match is None:
        return None, f"line {line_number}: cue timings not understood, cue skipped"
    groups = match.groups()
    start = _seconds(*groups[:4])
    end = _seconds(*groups[4:])
    if end < start:
        return None, f"line {line_number}: cue ends before it starts, cue skipped"
    return (start, end), ""
