"""The common case of WebVTT, read in bulk: exactly what the W3C algorithm gives, faster.

Most caption files are nothing but cues of one shape: an optional identifier line, the
timings, one line ``<v Name>text</v>``, a blank line. Two bulk readers take such files
without running Python code per cue:

- :func:`_uniform_segments`, for timestamps all of one width and no cue settings (Teams,
  Zoom, most tools): the body split at ``>`` gives every field by slicing, and putting the
  fields back together must give the body again;
- :func:`_varied_segments`, for cue settings or timestamps of any width: one regular
  expression ``findall``, used only when the count of line ends proves that nothing lies
  between the matched cues.

Fields are then converted column by column (timestamps with numpy). Anything else —
NOTE, STYLE and REGION blocks, other markup, character references, white space the full
algorithm would collapse, cues that end before they start — gives ``None`` and the per-line
algorithm in :mod:`.webvtt` runs. ``tests/conversation/test_bulk.py`` checks that both give
the same transcript.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import repeat
from operator import add, itemgetter, le, truediv
from typing import Any

from ..model import Columns, Segment

# One cue: the blank line before it, an optional identifier line, the timings (cue settings
# after white space are ignored, as the algorithm does), one line holding one voice span. A
# cue's text line is followed by a line end, so the match always ends at one.
_CUE = re.compile(
    r"\n\n([^\n]+\n)?"
    r"[ \t]*(\d+:)?([0-5]\d):([0-5]\d)\.(\d{3})[ \t]*-->"
    r"[ \t]*(\d+:)?([0-5]\d):([0-5]\d)\.(\d{3})(?:[ \t][^\n]*)?\n"
    r"<v ([^>\n]+)>([^<&\n]+)</v>(?=\n)"
)

# Milliseconds of each hours, minutes and seconds column value the pattern can capture.
_HOURS = {"": 0} | {f"{h:02d}:": h * 3_600_000 for h in range(100)}
_MINUTES = {f"{m:02d}": m * 60_000 for m in range(60)}

# White space that str.split() would remove or collapse, other than a single space.
_ODD_SPACE = re.compile(r"[^\S ]")
_ODD_SPACE_OR_MARKUP = re.compile(r"[^\S ]|[<&]")
_ASCII_ODD_SPACE = bytes([*range(9, 14), *range(28, 32)])
# Delete tables that leave only the bytes that must not be there.
_KEEP_ODD_SPACE = bytes(byte for byte in range(256) if byte not in _ASCII_ODD_SPACE)
_KEEP_ODD_SPACE_OR_MARKUP = bytes(
    byte for byte in range(256) if byte not in _ASCII_ODD_SPACE and byte not in b"<&"
)


def fast_segments(body: str) -> list[Segment] | None:
    """The segments of ``body`` when it is nothing but one-voice cues, else ``None``.

    ``body`` is the file from the line end that ends the header, with ``\\n`` line ends.
    """
    columns = fast_columns(body)
    return None if columns is None else list(columns.segments)


def fast_columns(body: str) -> Columns | None:
    """:func:`fast_segments` with the segments' columns, as :class:`~..model.Columns`."""
    found = _uniform_segments(body) or _varied_segments(body)
    if found is None:
        return None
    speakers, starts, ends, texts, times = found
    rows = zip(speakers, starts, ends, texts, repeat(()))
    segments = tuple(map(tuple.__new__, repeat(Segment), rows))
    return Columns(segments, speakers, starts, ends, texts, plain=True, times=times)


# Speakers, starts, ends, texts, and the starts and ends as numpy arrays when made.
_Found = tuple[list[str], list[float], list[float], list[str], tuple[Any, Any] | None]


def _uniform_segments(body: str) -> _Found | None:
    """The usual file, without any regular expression: every cue is ``[identifier]``,
    ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` (or all ``MM:SS.mmm``) with no settings, and one line
    ``<v Name>text</v>``; cues separated by one blank line.

    Splitting the body at ``>`` cuts every such cue into three parts: the identifier and
    start, the end and name, the text. Slicing gives the name and the text; the fixed parts
    of each cue and its timestamps lie at fixed distances from the ``>`` around them, so
    the bytes there, as numpy tables with a row per cue, must be exactly those parts and
    digits: that proves the file has exactly this shape.
    """
    body = body.rstrip("\n")
    parts = body.split(">")
    count = len(parts) // 3
    if not count or len(parts) != 3 * count + 1 or parts[-1] or not parts[0].endswith(" --"):
        return None
    width = 12 if parts[0][-13:-12] == ":" else 9  # HH:MM:SS.mmm or MM:SS.mmm
    heads = parts[0:-1:3]
    # An identifier is a line of its own, not empty, or there is none: each identifier
    # but the empty ones ends in its only line end.
    idents = list(map(itemgetter(slice(2, -3 - width)), heads))
    marked = "\x00".join(idents) + "\x00"
    lines = marked.count("\n")
    if (
        lines != marked.count("\n\x00")
        or lines != len(idents) - idents.count("")
        or "\x00\n" in marked
        or marked[0] == "\n"
    ):
        return None
    speakers = list(map(itemgetter(slice(width + 5, None)), parts[1::3]))
    texts = list(map(itemgetter(slice(None, -3)), parts[2::3]))
    if not (_plain(speakers) and _plain(texts, markup=True)):
        return None
    times = _cue_times(body, width, count)
    if times is None:
        return None
    start_times, end_times = times
    if not (start_times <= end_times).all():
        return None
    return speakers, start_times.tolist(), end_times.tolist(), texts, (start_times, end_times)


@cache
def _timing_bounds(width: int) -> tuple[bytes, bytes]:
    """The lowest and highest byte allowed at each place of ``start --> end\\n<v ``, from
    the start's first digit to the space after ``<v`` (the ``>`` between them is the one
    that ends the line's part)."""
    stamp_low = b"00:00:00.000" if width == 12 else b"00:00.000"
    stamp_high = b"99:59:59.999" if width == 12 else b"59:59.999"
    return stamp_low + b" -->" + b" " + stamp_low + b"\n<v ", (
        stamp_high + b" -->" + b" " + stamp_high + b"\n<v "
    )


def _cue_times(body: str, width: int, count: int) -> Any:
    """The starts and ends, as numpy float64 arrays of seconds, of a body already split at
    ``>`` into ``count`` cues of three parts; ``None`` unless every cue has its fixed parts
    and well-formed timestamps where :func:`_uniform_segments` takes them to be.

    In UTF-8 every byte of a character beyond ASCII is above 127, so the bytes next to each
    ``>`` are ASCII text exactly where the text is."""
    import numpy as np

    data = np.frombuffer(body.encode(), dtype=np.uint8)
    arrows = np.flatnonzero(data == 62)  # every ">", three to a cue
    heads, tails, texts = arrows[0::3], arrows[1::3], arrows[2::3]
    starts = np.concatenate(([0], texts[:-1] + 1))  # where each cue's part begins
    # A head holds "\n\n", a start and " --"; a tail " ", an end and "\n<v "; a text "</v".
    if (
        (heads - starts < width + 5).any()
        or (tails - heads < width + 6).any()
        or (texts - tails < 4).any()
    ):
        return None
    low, high = _timing_bounds(width)
    # Row i of the windows is the len(low) bytes from byte i on (a view: nothing copied).
    windows = np.lib.stride_tricks.as_strided(
        data, shape=(len(data) - len(low) + 1, len(low)), strides=(1, 1), writeable=False
    )
    table = windows[heads - 3 - width]
    if not (
        (table >= np.frombuffer(low, dtype=np.uint8)).all()
        and (table <= np.frombuffer(high, dtype=np.uint8)).all()
        and (data[starts] == 10).all()
        and (data[starts + 1] == 10).all()
        and (data[texts - 3] == 60).all()  # "</v"
        and (data[texts - 2] == 47).all()
        and (data[texts - 1] == 118).all()
    ):
        return None
    # Exact in float64: every value is a whole number of milliseconds below 2**53.
    places = np.array(_PLACES[width], dtype=np.float64)
    offset = 48 * sum(_PLACES[width])
    start_times = (table[:, :width] @ places - offset) / 1000
    end_times = (table[:, width + 5 : 2 * width + 5] @ places - offset) / 1000
    return start_times, end_times


# Milliseconds per unit of each byte of HH:MM:SS.mmm and of MM:SS.mmm (0 for separators).
_PLACES = {
    12: (36_000_000, 3_600_000, 0, 600_000, 60_000, 0, 10_000, 1_000, 0, 100, 10, 1),
    9: (600_000, 60_000, 0, 10_000, 1_000, 0, 100, 10, 1),
}


def _varied_segments(body: str) -> _Found | None:
    """Cues of the same one-voice shape, with cue settings or timestamps of any width."""
    body = body.rstrip("\n") + "\n\n"
    rows = _CUE.findall(body)
    count = len(rows)
    if not count or body.count("-->") != count:
        return None
    (idents, h1, m1, s1, ms1, h2, m2, s2, ms2, speakers, texts) = zip(*rows, strict=True)
    # Each cue holds 3 line ends (4 with an identifier) and the body ends with 2: any other
    # count means some text lies outside the matched cues.
    if body.count("\n") != 3 * count + 2 + count - idents.count(""):
        return None
    if not (_plain(speakers) and _plain(texts, markup=True)):
        return None
    try:
        starts = _seconds(h1, m1, s1, ms1)
        ends = _seconds(h2, m2, s2, ms2)
    except KeyError:  # hours beyond 99, or written with one digit
        return None
    if not all(map(le, starts, ends)):
        return None  # the full algorithm skips these cues with a warning
    return list(speakers), starts, ends, list(texts), None


def _seconds(
    hours: tuple[str, ...],
    minutes: tuple[str, ...],
    seconds: tuple[str, ...],
    millis: tuple[str, ...],
) -> list[float]:
    """Timestamps in seconds, exactly as ``whole milliseconds / 1000`` (1.723 is 1.723)."""
    whole = map(add, map(_HOURS.__getitem__, hours), map(_MINUTES.__getitem__, minutes))
    within: map[int] = map(int, map(add, seconds, millis))
    return list(map(truediv, map(add, whole, within), repeat(1000)))


def _plain(values: list[str] | tuple[str, ...], markup: bool = False) -> bool:
    """Whether every value is already as the full reader leaves it: not empty, no leading,
    trailing, doubled or non-space white space (``" ".join(value.split()) == value``), and
    with ``markup``, no tags, character references or arrows."""
    if not all(values):
        return False
    joined = "\x00".join(values)  # NUL never survives decoding, so it cannot be in a value
    if joined.isascii():
        data = joined.encode()
        kept = _KEEP_ODD_SPACE_OR_MARKUP if markup else _KEEP_ODD_SPACE
        if data.translate(None, kept):
            return False
        # With NUL as a space, a space next to a NUL or to a space is a double space.
        return not (
            joined[0] == " "
            or joined[-1] == " "
            or _DOUBLE_SPACE.search(joined.replace("\x00", " "))
            or (markup and _ARROW.search(joined))
        )
    if (_ODD_SPACE_OR_MARKUP if markup else _ODD_SPACE).search(joined) is not None:
        return False
    # Literal searches by regular expression: faster than ``in`` for needles of two or
    # more characters.
    return not (
        joined[0] == " "
        or joined[-1] == " "
        or _SPACE_BY_NUL.search(joined)
        or _NUL_BY_SPACE.search(joined)
        or _DOUBLE_SPACE.search(joined)
        or (markup and _ARROW.search(joined))
    )


_SPACE_BY_NUL = re.compile(" \x00")
_NUL_BY_SPACE = re.compile("\x00 ")
_DOUBLE_SPACE = re.compile("  ")
_ARROW = re.compile("-->")
