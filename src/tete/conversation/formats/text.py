"""Plain-text transcript exports.

Four shapes, told apart by their lines:

* **speaker headers** (Otter, Microsoft Teams .txt/.docx, Zoom's saved captions, Rev): a line
  with the speaker and a start time (``Alice Smith  0:03``, ``[Alice Smith] 10:02:15``,
  Rev's ``Alice Smith (00:03):`` and ``Alice Smith: (00:03)``), then what they said; each
  turn runs until the next header starts.
* **cue blocks** (older Teams/Stream exports): ``0:0:1.5 --> 0:0:4.2``, the speaker, the text.
* **Google Meet**: ``Name: text`` lines under a time marker (``00:05:00``) written every few
  minutes; times between markers are spread over the lines by their words.
* **plain**: ``Name: text`` lines and no times; only word-based metrics apply.
"""

from __future__ import annotations

import re

from ..errors import TranscriptError
from ..labels import accepted_labels, split_label
from ..model import Segment, Timing, Transcript

#: Speaking rate used to estimate when the last turn ends, when a file gives starts only.
WORDS_PER_SECOND = 2.5

_TIME = r"\d{1,2}(?::\d{2}){1,2}"
_HEADER = re.compile(
    rf"(?:\[(?P<bracketed>[^\]]{{1,60}})\]|(?P<name>\S.{{0,59}}?))\s+(?P<time>{_TIME})"
)
#: Rev's exports: ``Name (00:03):`` or ``Name: (00:03)``.
_REV_HEADER = re.compile(
    rf"(?P<name>\S.{{0,59}}?)(?:\s+\((?P<time>{_TIME})\):|:\s+\((?P<after>{_TIME})\))"
)
_CUE_TIMINGS = re.compile(
    r"\s*(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*-->\s*(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*"
)
_MARKER = re.compile(_TIME)
#: Lines vendors add that nobody said.
_SYSTEM = re.compile(
    r".{1,80} (?:started|stopped) transcription"
    r"|Transcribed by https?://otter\.ai.*"
    r"|This editable transcript was computer generated.*",
    re.IGNORECASE,
)


def _clock(text: str) -> float:
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _estimated_end(start: float, text: str) -> float:
    return start + max(1.0, len(text.split()) / WORDS_PER_SECOND)


def read_text(text: str, source: str, *, dialect_hint: str = "") -> Transcript:
    """Read a text export, choosing its shape from its lines."""
    lines = [
        line.strip()
        for line in text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    lines = ["" if _SYSTEM.fullmatch(line) else line for line in lines]
    if any(_CUE_TIMINGS.fullmatch(line) for line in lines if "-->" in line):
        return _read_cue_blocks(lines, source)
    headers = sum(1 for line in lines if _is_header(line))
    labelled = sum(1 for line in lines if split_label(line)[0] is not None)
    markers = sum(1 for line in lines if _MARKER.fullmatch(line))
    if headers and headers >= labelled:
        dialect = dialect_hint or (
            "teams"
            if "transcription" in text.lower()
            else "rev"
            if any(_REV_HEADER.fullmatch(line) for line in lines if line.endswith((":", ")")))
            else "otter"
        )
        return _read_headers(lines, source, dialect)
    if labelled and markers:
        return _read_labelled(lines, source, timed=True)
    if labelled:
        return _read_labelled(lines, source, timed=False)
    raise TranscriptError(source, "no speaker labels or times found: not a transcript", 1)


def _header(line: str) -> tuple[str, str, bool] | None:
    """(name, time, bracketed) of a speaker header line, or ``None``."""
    match = _HEADER.fullmatch(line)
    if match is not None and not (match.group("name") or "x")[0].isdigit():
        bracketed = match.group("bracketed")
        return (bracketed or match.group("name")).strip(), match.group("time"), bool(bracketed)
    rev = _REV_HEADER.fullmatch(line)
    if rev is not None and not rev.group("name")[0].isdigit():
        return rev.group("name").strip(), rev.group("time") or rev.group("after"), False
    return None


def _is_header(line: str) -> bool:
    return _header(line) is not None


def _read_headers(lines: list[str], source: str, dialect: str) -> Transcript:
    turns: list[tuple[str, float, list[str]]] = []
    for line in lines:
        header = _header(line) if line else None
        if header is not None:
            name, time, bracketed = header
            if bracketed:
                dialect = "zoom"
            turns.append((name, _clock(time), []))
        elif line and turns:
            turns[-1][2].append(line)
    segments: list[Segment] = []
    for index, (name, start, said) in enumerate(turns):
        words = " ".join(said)
        if not words:
            continue
        later = [turn[1] for turn in turns[index + 1 :] if turn[2]]
        end = max(start, later[0]) if later else _estimated_end(start, words)
        segments.append(Segment(name, start, end, words))
    return Transcript(source, "text", tuple(segments), "starts", dialect)


def _read_cue_blocks(lines: list[str], source: str) -> Transcript:
    segments: list[Segment] = []
    block: list[str] = []
    timings: tuple[float, float] | None = None

    def close() -> None:
        if timings is not None and len(block) >= 2:
            segments.append(Segment(block[0], timings[0], timings[1], " ".join(block[1:])))
        elif timings is not None and block:
            segments.append(Segment(None, timings[0], timings[1], block[0]))
        block.clear()

    for number, line in enumerate(lines, start=1):
        match = _CUE_TIMINGS.fullmatch(line) if "-->" in line else None
        if match is not None:
            close()
            hours, minutes, seconds, end_h, end_m, end_s = match.groups()
            start = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
            end = int(end_h) * 3600 + int(end_m) * 60 + float(end_s)
            if end < start:
                raise TranscriptError(source, "cue ends before it starts", number)
            timings = (start, end)
        elif "-->" in line:
            raise TranscriptError(source, "cue timings not understood", number)
        elif line and timings is not None:
            block.append(line)
    close()
    return Transcript(source, "text", tuple(segments), "cues", "teams")


def _read_labelled(lines: list[str], source: str, *, timed: bool) -> Transcript:
    """``Name: text`` lines, with Google Meet's time markers when ``timed``."""
    candidates = [split_label(line)[0] for line in lines if line and not _MARKER.fullmatch(line)]
    # Titles and attendee lists come before the first label; they do not dilute the convention.
    first = next(index for index, name in enumerate(candidates) if name is not None)
    accepted = accepted_labels(candidates[first:])
    # blocks of (marker time, [[speaker, text], ...]); lines before any label are preamble
    blocks: list[tuple[float, list[list[str | None]]]] = [(0.0, [])]
    started = False
    for line in lines:
        if not line:
            continue
        if timed and _MARKER.fullmatch(line):
            blocks.append((_clock(line), []))
            continue
        name, said = split_label(line)
        if name is not None and name in accepted:
            blocks[-1][1].append([name, said])
            started = True
        elif started and blocks[-1][1]:
            blocks[-1][1][-1][1] = f"{blocks[-1][1][-1][1]} {line}"
        elif started:
            blocks[-1][1].append([None, line])
    segments: list[Segment] = []
    timing: Timing = "starts" if timed else "none"
    for index, (start, entries) in enumerate(blocks):
        if not entries:
            continue
        texts = [str(text) for _, text in entries]
        following = [block[0] for block in blocks[index + 1 :] if block[1]]
        end = following[0] if following and timed else _estimated_end(start, " ".join(texts))
        if not timed:
            start = end = 0.0
        weights = [max(1, len(text.split())) for text in texts]
        total = sum(weights)
        position = start
        for (speaker, _), text, weight in zip(entries, texts, weights, strict=True):
            length = (end - start) * weight / total
            segments.append(Segment(speaker, position, position + length, text))
            position += length
    if not segments:
        raise TranscriptError(source, "no speaker lines found", 1)
    dialect = "meet" if timed else "plain"
    return Transcript(source, "text", tuple(segments), timing, dialect)
