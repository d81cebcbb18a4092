"""WebVTT, read as the W3C WebVTT parser algorithm says (https://www.w3.org/TR/webvtt1/,
section 6.1, "WebVTT file parsing").

Step by step, as the standard has it:

- U+0000 becomes U+FFFD; CRLF and lone CR become LF; the file must start with ``WEBVTT``
  followed by nothing, a space, a tab or a line end.
- The header is the lines after the first up to the first empty line. A line there that
  holds ``-->`` ends the header and starts the first block (the parser rewinds to it).
  A line of spaces or tabs is not empty, here or anywhere.
- Blocks are separated by empty lines. A block whose first line holds ``-->``, or whose
  second does when its first does not, is a cue (the first line is then its identifier);
  a later line holding ``-->`` ends the block and starts the next one. Other blocks
  (NOTE comments, STYLE and REGION blocks, stray text) hold no cue and are skipped.
- A cue's timings: white space (space, tab, form feed) may stand around either timestamp;
  a timestamp is ``[hours:]mm:ss.ttt`` in ASCII digits, with exactly two minute and second
  digits below 60 and exactly three for the thousandths, and hours of any length. Whatever
  follows the end time is the cue's settings, which this reader does not need: a cue with
  settings it does not know is kept, as the standard says. A cue whose timings do not
  parse is dropped with a warning, as the algorithm drops it.

Speakers come from ``<v Name>`` spans, or a ``Name:`` prefix (Zoom). Rolling captions
(YouTube's automatic ones, where each cue repeats the line before) count each line once.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..errors import TranscriptError
from ..model import Segment, Skipped, Transcript
from .cuetext import Piece, cue_pieces, cue_segments, label_pieces
from .webvtt_fast import fast_columns

# WebVTT white space within a line: space, tab, form feed (line ends split the lines).
_TIMESTAMP = r"(?:([0-9]+):)?([0-5][0-9]):([0-5][0-9])\.([0-9]{3})(?![0-9])"
_TIMINGS = re.compile(rf"[ \t\f]*{_TIMESTAMP}[ \t\f]*-->[ \t\f]*{_TIMESTAMP}")
_TAG = re.compile(r"<[^>]*>?")


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    # whole milliseconds first, so 1.723 reads as 1.723 and not 1.7229999999999999
    whole = (int(hours) * 3600 if hours else 0) + int(minutes) * 60 + int(seconds)
    return (whole * 1000 + int(millis)) / 1000


#: A cue as collected: start, end, its text lines, and the line its timings are on.
_Cue = tuple[float, float, list[str], int]


def read_webvtt(text: str, source: str, *, bulk: bool = True) -> Transcript:
    """Read a WebVTT file's text.

    Files of plain cues of one shape are read in bulk (:mod:`.webvtt_fast`), which gives
    the same transcript as the full algorithm; ``bulk=False`` always runs the full
    algorithm.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("WEBVTT") or text[6:7] not in ("", " ", "\t", "\n"):
        raise TranscriptError(source, "not WebVTT: the first line must start with WEBVTT", 1)
    lines = None
    header_end = text.find("\n\n")
    if bulk and header_end > 0 and "-->" not in text[:header_end]:
        simple = fast_columns(text[header_end:])
        if simple is not None:
            dialect = "voice-spans" if "<v" in text else "zoom" if simple.labelled else ""
            return Transcript(source, "webvtt", simple.segments, "cues", dialect, columns=simple)
    lines = text.split("\n")
    cues, skipped = _collect_cues(lines)
    if _rolling(cues):
        cues = _without_repeated_lines(cues)
    voiced: list[tuple[float, float, list[Piece]]] = []
    for start, end, text_lines, _ in cues:
        pieces = cue_pieces("\n".join(text_lines))
        if pieces:
            voiced.append((start, end, pieces))
    labelled = label_pieces(voiced)
    segments: list[Segment] = []
    for start, end, pieces in voiced:
        segments.extend(cue_segments(start, end, pieces))
    # Teams and most captioning tools write <v> spans; Zoom writes "Name: text".
    dialect = "voice-spans" if "<v" in text else "zoom" if labelled else ""
    warnings = tuple(f"line {skip.line}: {skip.reason}, cue skipped" for skip in skipped)
    return Transcript(source, "webvtt", tuple(segments), "cues", dialect, warnings, tuple(skipped))


def _collect_cues(lines: list[str]) -> tuple[list[_Cue], list[Skipped]]:
    """Every cue of the file, and the cues dropped for their timings."""
    count = len(lines)
    index = _skip_header(lines)
    cues: list[_Cue] = []
    skipped: list[Skipped] = []
    while index < count:
        if not lines[index]:
            index += 1
            continue
        index, cue, skip = _collect_block(lines, index)
        if cue is not None:
            cues.append(cue)
        if skip is not None:
            skipped.append(skip)
    return cues, skipped


def _skip_header(lines: list[str]) -> int:
    """The index of the first line after the header: the header block ends at an empty
    line, or just before a line holding ``-->``, which starts the first cue."""
    index = 1
    while index < len(lines) and lines[index]:
        if "-->" in lines[index]:
            return index
        index += 1
    return index


def _collect_block(lines: list[str], index: int) -> tuple[int, _Cue | None, Skipped | None]:
    """One block from ``index``: returns the next index, the cue if it is one, and the
    cue's skip when its timings do not parse."""
    block_line = 0
    timings: tuple[float, float] | None = None
    timing_line = 0
    seen_arrow = False
    text_lines: list[str] = []
    skip: Skipped | None = None
    count = len(lines)
    while index < count:
        line = lines[index]
        if not line:
            break
        block_line += 1
        if "-->" in line:
            if block_line == 1 or (block_line == 2 and not seen_arrow):
                seen_arrow = True
                timing_line = index + 1
                timings, skip = _timings(line, timing_line)
                index += 1
                continue
            break  # this line starts the next block, as the algorithm rewinds to it
        if seen_arrow:
            text_lines.append(line)
        index += 1
    if timings is None:
        return index, None, skip
    return index, (timings[0], timings[1], text_lines, timing_line), None


def _timings(line: str, line_number: int) -> tuple[tuple[float, float] | None, Skipped | None]:
    match = _TIMINGS.match(line)
    if match is None:
        return None, Skipped(line_number, "cue timings not understood")
    groups = match.groups()
    start = _seconds(*groups[:4])
    end = _seconds(*groups[4:])
    if end < start:
        return None, Skipped(line_number, "cue ends before it starts")
    return (start, end), None


def _visible(lines: list[str]) -> list[str]:
    """A cue's lines as they read: tags removed, white space collapsed, empty ones left
    out."""
    shown = (" ".join(_TAG.sub("", line).split()) for line in lines)
    return [line for line in shown if line]


def _repeated(previous: list[str], current: list[str]) -> int:
    """How many of ``current``'s first lines repeat ``previous``'s last lines."""
    for size in range(min(len(previous), len(current)), 0, -1):
        if current[:size] == previous[-size:]:
            return size
    return 0


def _rolling(cues: list[_Cue]) -> bool:
    """Whether the file is rolling captions: YouTube's automatic captions show each line
    twice, first alone as it is said (with word timings), then above the next line. A
    cue that starts with the line the cue before ended with, then goes on with a new one,
    rolls; when at least a quarter of the cues (and two) roll, the file does."""
    shown = [_visible(text_lines) for _, _, text_lines, _ in cues]
    rolls = sum(1 for before, now in pairwise(shown) if 0 < _repeated(before, now) < len(now))
    return rolls >= 2 and rolls * 4 >= len(cues)


def _without_repeated_lines(cues: list[_Cue]) -> list[_Cue]:
    """Each cue without the lines it repeats from the cue before; cues left with nothing
    new (YouTube's 10 ms cues that only show the finished line) are dropped."""
    kept: list[_Cue] = []
    previous: list[str] = []
    for start, end, text_lines, line in cues:
        shown = _visible(text_lines)
        repeated = _repeated(previous, shown)
        previous = shown
        if not repeated:
            kept.append((start, end, text_lines, line))
            continue
        new_lines: list[str] = []
        for text_line in text_lines:
            if repeated and _visible([text_line]):
                repeated -= 1
                continue
            if not repeated:
                new_lines.append(text_line)
        if _visible(new_lines):
            kept.append((start, end, new_lines, line))
    return kept
