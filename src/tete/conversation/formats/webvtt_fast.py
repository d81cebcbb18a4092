"""The common case of WebVTT, read in bulk: exactly what the W3C algorithm gives, faster.

Most caption files are nothing but cues of one shape: an optional identifier line, the
timings (with or without cue settings), plain text — ``<v Name>text</v>`` (Teams),
``<v Name>text`` left open (Meet, YouTube-style files) or ``Name: text`` (Zoom) — and a
blank line. Bulk readers take such files without running Python code per cue:

- with the compiled speed-ups, :func:`compiled_columns`: one pass in C over the text
  (``_speedups.plain_cues``), which also reads SRT files of the same shape and text
  wrapped over several lines;
- without them, :func:`_uniform_segments`, for ``<v Name>text</v>`` with timestamps all of
  one width and no cue settings: numpy tables of the bytes around each cue's three ``>``
  prove the file's shape, and the names and texts are sliced out where they lie;
- and :func:`_varied_segments`, for one-line cues of any of these kinds: one regular
  expression ``findall``, used only when the count of line ends proves that nothing lies
  between the matched cues.

Fields are then converted column by column (timestamps with numpy), and ``Name:``
prefixes judged as :mod:`..labels` does. Anything else — NOTE, STYLE and REGION blocks,
other markup, character references, white space the full algorithm would collapse, cues
that end before they start, rolling captions — gives ``None`` and the per-line algorithm
in :mod:`.webvtt` runs. ``tests/conversation/test_bulk.py`` checks that both give the same
transcript.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import repeat
from operator import add, le, truediv
from typing import Any

from .. import native
from ..labels import is_convention, split_label
from ..model import Columns, Segment

# One cue: the blank line before it, an optional identifier line, the timings (cue settings
# after white space are ignored, as the algorithm does), one line holding one voice span. A
# cue's text line is followed by a line end, so the match always ends at one.
_CUE = re.compile(
    r"\n\n([^\n]+\n)?"
    r"[ \t]*(\d+:)?([0-5]\d):([0-5]\d)\.(\d{3})[ \t]*-->"
    r"[ \t]*(\d+:)?([0-5]\d):([0-5]\d)\.(\d{3})(?:[ \t][^\n]*)?\n"
    r"(?:<v ([^>\n]+)>)?([^<&\n]+)(?:</v>)?(?=\n)"
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
    compiled = native.speedups
    if compiled is None:
        return _uniform_segments(body) or _varied_segments(body)
    return compiled_columns(compiled, body, srt=False) or _varied_segments(body)


def compiled_columns(compiled: Any, text: str, *, srt: bool) -> Columns | None:
    """A file of plain cues read in one pass by the compiled scanner: a WebVTT body, or
    with ``srt`` a whole SRT file (``\n`` line ends); ``None`` for any other shape."""
    read = compiled.plain_cues(text, srt)
    if read is None:
        return None
    import numpy as np

    voices, speakers, codes, starts, ends, texts, start_times, end_times, lengths, labels = read
    codes = np.frombuffer(codes, dtype=np.intp)
    return Columns(
        speakers,
        starts,
        ends,
        texts,
        plain=True,
        times=(np.frombuffer(start_times), np.frombuffer(end_times)),
        voices=voices,
        # every segment named: the metrics take the codes as indices into voices
        codes=codes if len(voices) and (codes >= 0).all() else None,
        lengths=np.frombuffer(lengths, dtype=np.intp),
        labelled=labels,
    )


def _uniform_segments(body: str) -> Columns | None:
    """The usual file, without any regular expression: every cue is ``[identifier]``,
    ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` (or all ``MM:SS.mmm``) with no settings, and one line
    ``<v Name>text</v>``; cues separated by one blank line.

    Every such cue holds three ``>``: the arrow's, the voice tag's and the closing tag's.
    The fixed parts of each cue and its timestamps lie at fixed distances from them, and its
    line ends at known places, so numpy tables with a row per cue prove that the file has
    exactly this shape; then the name and the text are sliced out where they lie.
    """
    import numpy as np

    body = body.rstrip("\n")
    if not body.endswith("</v>"):
        return None
    ascii_ = body.isascii()
    encoded = body.encode()
    data = np.frombuffer(encoded, dtype=np.uint8)
    arrows = np.flatnonzero(data == 62)  # every ">", three to a cue
    count = len(arrows) // 3
    if not count or len(arrows) != 3 * count:
        return None
    # Once every third ">" is proved to end a timing arrow (below), every cue has exactly
    # three: any other ">", in a text or an identifier, would put a cue's "</v>" where the
    # next arrow is taken to be.
    heads, tails, closes = arrows[0::3], arrows[1::3], arrows[2::3]
    width = 12 if heads[0] >= 13 and encoded[heads[0] - 13] == 58 else 9  # ":": HH:MM:SS.mmm
    firsts = np.concatenate(([0], closes[:-1] + 1))  # where each cue's "\n\n" begins
    names = heads + width + 6  # after "--> ", the end and "\n<v "
    if (
        (heads - firsts < width + 5).any()  # "\n\n", the start, " --"
        or (tails <= names).any()  # a name
        or (closes - tails < 5).any()  # a text and "</v"
        or ((data[tails - 1] == 45) & (data[tails - 2] == 45)).any()  # a name ending "--"
    ):
        return None
    stamps = heads - 3 - width
    named = stamps != firsts + 2  # an identifier line comes before the timings
    # Line ends: two before each cue, one before "<v " (checked with the timings) and one
    # after each identifier, which is not empty; any other would be inside an identifier,
    # a name or a text.
    lines = 3 * count + int(np.count_nonzero(named))
    if (
        np.count_nonzero(data == 10) != lines
        or (data[stamps[named] - 1] != 10).any()
        or (stamps[named] - 1 <= firsts[named] + 2).any()
    ):
        return None
    times = _cue_times(data, stamps, firsts, closes, width)
    if times is None:
        return None
    start_times, end_times = times
    if not (start_times <= end_times).all():
        return None
    if ascii_ and not _plain_body(data, count, lines):
        return None
    numbered = _speaker_codes(data, names, tails)
    if not ascii_:  # character offsets: less one for each UTF-8 continuation byte before
        before = np.cumsum((data & 0xC0) == 0x80)
        names, tails, closes = names - before[names], tails - before[tails], closes - before[closes]
    name_starts, name_ends = names.tolist(), tails.tolist()
    if numbered is None:
        speakers = [body[start:end] for start, end in zip(name_starts, name_ends, strict=True)]
        voices = tuple(dict.fromkeys(speakers))
    else:
        voices = tuple(body[name_starts[cue] : name_ends[cue]] for cue in numbered[1])
        speakers = [voices[code] for code in numbered[0].tolist()]
    # (a comprehension slices quicker than map() with slice objects)
    text_starts, text_ends = (tails + 1).tolist(), (closes - 3).tolist()
    texts = [body[start:end] for start, end in zip(text_starts, text_ends, strict=True)]
    if not ascii_ and not (_plain(voices) and _plain(texts, markup=True)):
        return None
    return Columns(
        speakers,
        start_times.tolist(),
        end_times.tolist(),
        texts,
        plain=True,
        times=times,
        voices=voices,
        codes=None if numbered is None else numbered[0],
        lengths=closes - 4 - tails,
    )


# Past this many speakers, slicing every cue's name is quicker than a round per speaker.
_MANY_SPEAKERS = 32


def _speaker_codes(data: Any, names: Any, ends: Any) -> tuple[Any, list[int]] | None:
    """Each cue's speaker as a number, by order of first appearance, and the first cue of
    each speaker, from the bytes of the names (``data[names[i]:ends[i]]``): the cues that
    have the first unnumbered cue's name are found at once by comparing numpy tables, so
    there is one round per speaker, not per cue. ``None`` past :data:`_MANY_SPEAKERS`."""
    import numpy as np

    lengths = ends - names
    codes = np.full(len(names), -1, dtype=np.intp)
    firsts: list[int] = []
    pending = np.arange(len(names))
    while len(pending):
        if len(firsts) == _MANY_SPEAKERS:
            return None
        first = int(pending[0])
        name = data[names[first] : ends[first]]
        alike = pending[lengths[pending] == len(name)]
        alike = alike[(data[names[alike, None] + np.arange(len(name))] == name).all(1)]
        codes[alike] = len(firsts)
        firsts.append(first)
        pending = pending[codes[pending] < 0]
    return codes, firsts


@cache
def _timing_bounds(width: int) -> tuple[Any, Any]:
    """The lowest and highest byte allowed at each place of ``start --> end\n<v ``, as
    numpy rows."""
    import numpy as np

    stamp_low = b"00:00:00.000" if width == 12 else b"00:00.000"
    stamp_high = b"99:59:59.999" if width == 12 else b"59:59.999"
    low = stamp_low + b" --> " + stamp_low + b"\n<v "
    high = stamp_high + b" --> " + stamp_high + b"\n<v "
    return np.frombuffer(low, dtype=np.uint8), np.frombuffer(high, dtype=np.uint8)


def _cue_times(data: Any, stamps: Any, firsts: Any, closes: Any, width: int) -> Any:
    """The starts and ends, as numpy float64 arrays of seconds, of cues whose timings begin
    at ``stamps``; ``None`` unless each has its fixed parts and well-formed timestamps,
    the blank line before it (from ``firsts``) and ``</v`` before ``closes``.

    In UTF-8 every byte of a character beyond ASCII is above 127, so the fixed parts are
    ASCII exactly where they are."""
    import numpy as np

    low, high = _timing_bounds(width)
    # Row i of the windows is the len(low) bytes from byte i on (a view: nothing copied).
    windows = np.lib.stride_tricks.as_strided(
        data, shape=(len(data) - len(low) + 1, len(low)), strides=(1, 1), writeable=False
    )
    table = windows[stamps]
    if not (
        (table >= low).all()
        and (table <= high).all()
        and (data[firsts] == 10).all()
        and (data[firsts + 1] == 10).all()
        and (data[closes - 3] == 60).all()  # "</v"
        and (data[closes - 2] == 47).all()
        and (data[closes - 1] == 118).all()
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


def _varied_segments(body: str) -> Columns | None:
    """One-line cues of plain text, with or without a voice (``<v Name>``, closed or
    not), with cue settings or timestamps of any width."""
    body = body.rstrip("\n") + "\n\n"
    rows = _CUE.findall(body)
    count = len(rows)
    if not count or body.count("-->") != count:
        return None
    (idents, h1, m1, s1, ms1, h2, m2, s2, ms2, voices, texts) = zip(*rows, strict=True)
    # Each cue holds 3 line ends (4 with an identifier) and the body ends with 2: any other
    # count means some text lies outside the matched cues.
    if body.count("\n") != 3 * count + 2 + count - idents.count(""):
        return None
    named = [voice for voice in voices if voice]
    if not ((not named or _plain(named)) and _plain(texts, markup=True)):
        return None
    try:
        starts = _seconds(h1, m1, s1, ms1)
        ends = _seconds(h2, m2, s2, ms2)
    except KeyError:  # hours beyond 99, or written with one digit
        return None
    if not all(map(le, starts, ends)):
        return None  # the full algorithm skips these cues with a warning
    speakers: list[str | None] = [voice or None for voice in voices]
    said = list(texts)
    unvoiced = [index for index, voice in enumerate(voices) if not voice]
    split = [split_label(said[index]) for index in unvoiced]
    labelled = sum(1 for name, _ in split if name is not None)
    if is_convention(labelled, len(unvoiced)):
        for index, (name, rest) in zip(unvoiced, split, strict=True):
            if name is not None:
                speakers[index], said[index] = name, rest
    else:
        labelled = 0
    return Columns(speakers, starts, ends, said, plain=True, labelled=labelled)


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


def _plain_body(data: Any, count: int, lines: int) -> bool:
    """For an ASCII body of ``count`` cues of the uniform shape and ``lines`` line ends
    (``data``: its bytes as a numpy array), whether every name and text is plain as
    :func:`_plain` says, checked on the whole body at once.

    The body must hold no control character but its line ends (so no odd white space), no
    ``&``, and no ``<`` but the two of each cue's tags; no space may follow a space or come
    before a tag's ``<`` or ``>``; and the only ``> `` must be the arrows'.
    """
    import numpy as np

    spaces = data == 32
    following = data[1:]
    return not (
        np.count_nonzero(data < 32) != lines
        or np.count_nonzero(data == 60) != 2 * count
        or (data == 38).any()
        or (spaces[:-1] & (spaces[1:] | (following == 60) | (following == 62))).any()
        or np.count_nonzero(spaces[1:] & (data[:-1] == 62)) != count
    )


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
