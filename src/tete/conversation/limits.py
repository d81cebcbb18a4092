"""How much a transcript may hold: every reader stays within these, whatever the file says.

A transcript is a few megabytes of text at most (ten hours of talk as WebVTT is about a
megabyte), but a file can claim or contain anything: a zip header that lies about its size,
a few kilobytes that inflate to gigabytes, a million cues, one line of fifty megabytes, a
cue at hour 99,999, JSON nested ten thousand deep. Each limit below bounds the memory and
time reading and analysing can take; a file beyond one is refused with
:class:`~.errors.TranscriptError`, whose message names the limit.

The limits in force are those given to :func:`tete.conversation.read` (``limits=``), else
:data:`DEFAULT`. Readers that need one during reading ask :func:`current`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from . import native
from .errors import TranscriptError

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The largest transcript read; see the module's docstring for why each exists."""

    #: Bytes of the file itself.
    max_bytes: int = 20 * MB
    #: Bytes of XML inflated from a Word (.docx) file, counted as they are inflated.
    max_xml_bytes: int = 20 * MB
    #: How many times larger than its compressed size a .docx part may inflate. Word's own
    #: files inflate 5 to 30 times; a zip bomb, hundreds to a thousand.
    max_compression_ratio: int = 100
    #: Lines of text (a cue takes three or four).
    max_lines: int = 500_000
    #: Cues, or segments for formats without cues.
    max_cues: int = 100_000
    #: Characters on one line, or in one JSON segment's text (about 20 minutes of talk).
    max_line_chars: int = 20_000
    #: Seconds from the first cue's start to the last one's end.
    max_duration_s: float = 24 * 3600
    #: Levels of JSON arrays and objects (Whisper's JSON has four).
    max_json_depth: int = 32


DEFAULT = Limits()

_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar("limits", default=DEFAULT)


def current() -> Limits:
    """The limits of the read in progress."""
    return _CURRENT.get()


@contextmanager
def in_force(limits: Limits) -> Iterator[Limits]:
    """Make ``limits`` the ones :func:`current` gives, for the duration of a read."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def size_text(size: float) -> str:
    """20 MB, 512 KB, 120 bytes."""
    if size >= MB:
        return f"{size / MB:.0f} MB" if size % MB == 0 else f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size:.0f} bytes"


def hours_text(seconds: float) -> str:
    """277,777,778 hours; 90 minutes; 20 seconds."""
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:,.0f} hours"
    if seconds >= 120:
        return f"{seconds / 60:,.0f} minutes"
    return f"{seconds:,.0f} seconds"


def check_size(size: int, source: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise TranscriptError(
            source,
            f"the file is {size_text(size)}; the largest transcript read is "
            f"{size_text(limits.max_bytes)}",
        )


def check_text(text: str, source: str, limits: Limits, *, lines: bool = True) -> None:
    """Refuse text with too many lines, cue timings or characters on a line, before any
    reader makes an object per line. ``lines=False`` (JSON, often one line) skips the
    line checks; its segments are checked once read."""
    check_cue_timings(text.count("-->"), source, limits)
    if not lines:
        return
    count = text.count("\n") + 1
    if count > limits.max_lines:
        raise TranscriptError(
            source, f"more than {limits.max_lines:,} lines (the most a transcript may hold)"
        )
    if len(text) <= limits.max_line_chars:
        return
    number, length = first_long_line(text, limits.max_line_chars)
    if number:
        raise TranscriptError(
            source,
            f"the line is {length:,} characters long; the longest line read is "
            f"{limits.max_line_chars:,}",
            number,
        )


def first_long_line(text: str, most: int) -> tuple[int, int]:
    """The number (from 1) and length of the first line longer than ``most`` characters;
    ``(0, 0)`` when there is none."""
    compiled = native.speedups
    if compiled is not None:
        found: tuple[int, int] = compiled.first_long_line(text, most)
        return found
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > most:
            return number, len(line)
    return 0, 0


def check_cue_timings(arrows: int, source: str, limits: Limits) -> None:
    """Refuse a file with more cue timings (``-->``) than the most cues read."""
    if arrows > limits.max_cues:
        raise TranscriptError(
            source, f"more than {limits.max_cues:,} cues (the most a transcript may hold)"
        )


def check_segments(
    starts: Iterable[float],
    ends: Iterable[float],
    count: int,
    source: str,
    limits: Limits,
) -> None:
    """Refuse a transcript with too many segments or spanning more than the longest
    duration. ``starts`` and ``ends`` are the segments' times."""
    if count > limits.max_cues:
        raise TranscriptError(
            source, f"more than {limits.max_cues:,} cues (the most a transcript may hold)"
        )
    if not count:
        return
    span = max(ends) - min(starts)
    if span > limits.max_duration_s:
        raise TranscriptError(
            source,
            f"the transcript spans {hours_text(span)}; the longest read is "
            f"{hours_text(limits.max_duration_s)}",
        )


def check_segment_text(texts: Iterable[str], source: str, limits: Limits) -> None:
    """Refuse a segment whose text is longer than the longest line (JSON formats)."""
    lengths = list(map(len, texts))
    if not lengths or max(lengths) <= limits.max_line_chars:
        return
    for index, length in enumerate(lengths, start=1):
        if length > limits.max_line_chars:
            raise TranscriptError(
                source,
                f"segment {index} is {length:,} characters long; the longest read is "
                f"{limits.max_line_chars:,}",
            )


def json_depth_exceeded(source: str, limits: Limits) -> TranscriptError:
    return TranscriptError(
        source, f"JSON nested more than {limits.max_json_depth} levels deep (the limit)", 1
    )


def check_json_depth(data: object, source: str, limits: Limits) -> None:
    """Refuse JSON nested deeper than the limit (walked without recursion)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value  # type: ignore[assignment]
        else:
            continue
        if depth > limits.max_json_depth:
            raise json_depth_exceeded(source, limits)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
