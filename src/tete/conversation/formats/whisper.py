"""JSON from Whisper, faster-whisper and WhisperX.

* Whisper (``whisper --output_format json``): ``{"text", "segments": [{"start", "end",
  "text", "words"?: [{"word", "start", "end", "probability"}]}], "language"}``.
* WhisperX: the same with ``"speaker"`` on segments (``SPEAKER_00``) and on words, words
  that may lack times (numbers), and a top-level ``"word_segments"``.
* faster-whisper: its ``Segment`` and ``Word`` named tuples dumped as JSON become arrays
  (``[id, seek, start, end, text, tokens, …, words]`` and ``[start, end, word, probability]``);
  a bare list of segment objects is read too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, overload

from .. import limits, native
from ..errors import TranscriptError
from ..model import Columns, Segment, Transcript, Word


def read_whisper(text: str, source: str) -> Transcript:
    """Read a Whisper-family JSON file's text.

    With the compiled speed-ups, a Whisper or WhisperX object is read in one pass that
    builds only the segments and words kept here (``_speedups.whisper_json``), giving the
    same transcript; anything else, errors included, is read by ``json.loads`` below.
    """
    compiled = native.speedups
    if compiled is not None:
        transcript = _read_compiled(compiled, text, source)
        if transcript is not None:
            return transcript
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TranscriptError(source, f"not valid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise limits.json_depth_exceeded(source, limits.current()) from None
    except ValueError as error:  # a number of more than 4,300 digits
        raise TranscriptError(source, f"not valid JSON: {error}", 1) from None
    limits.check_json_depth(data, source, limits.current())
    if isinstance(data, dict):
        raw_segments = data.get("segments")
        dialect = "whisperx" if "word_segments" in data else "whisper"
    else:
        raw_segments, dialect = data, "whisper"
    if not isinstance(raw_segments, list):
        raise TranscriptError(source, 'expected a "segments" list (Whisper JSON)', 1)
    segments: list[Segment] = []
    for index, raw in enumerate(raw_segments):
        segment = _segment(raw, index, source)
        if isinstance(raw, list):
            dialect = "faster-whisper"
        elif segment.speaker is not None:
            dialect = "whisperx"
        if segment.text:
            segments.append(segment)
    return Transcript(source, "json", tuple(segments), "cues", dialect)


def read_whisper_utf8(data: bytes, source: str) -> Transcript | None:
    """Read JSON bytes without decoding them first: where the compiled reader takes them,
    they are well-formed UTF-8 with no NUL, so the UTF-8 of the very text
    :func:`read_whisper` would be given. ``None`` when the compiled reader is not built or
    does not take the file."""
    compiled = native.speedups
    return None if compiled is None else _read_compiled(compiled, data, source)


def _read_compiled(compiled: Any, text: str | bytes, source: str) -> Transcript | None:
    # Nesting past the limit is left to the Python reader, which refuses it.
    read = compiled.whisper_json(text, limits.current().max_json_depth)
    if read is None:
        return None
    speakers, starts, ends, texts, offsets, named, whisperx, cue_timings, *arrays = read
    # as limits.check_text counts them in a text (the bytes may not have been decoded)
    limits.check_cue_timings(cue_timings, source, limits.current())
    import numpy as np

    voices, codes, start_times, end_times, lengths = arrays
    codes = np.frombuffer(codes, dtype=np.intp)
    columns = Columns(
        speakers,
        starts,
        ends,
        texts,
        plain=True,
        times=(np.frombuffer(start_times), np.frombuffer(end_times)),
        voices=None if voices is None else tuple(voices),
        # every segment named: the metrics take the codes as indices into voices
        codes=codes if voices and (codes >= 0).all() else None,
        lengths=np.frombuffer(lengths, dtype=np.intp),
        words=WordsOnDemand(compiled, text, offsets),
    )
    dialect = "whisperx" if whisperx or named else "whisper"
    return Transcript(source, "json", columns.segments, "cues", dialect, columns=columns)


class WordsOnDemand(Sequence[tuple[Word, ...]]):
    """Each segment's words, read from the file's text when asked: the metrics never look
    at them, and making a tuple per word is most of the cost of reading a file that has
    them. The compiled reader has checked them all already."""

    __slots__ = ("_compiled", "_offsets", "_text")

    def __init__(self, compiled: Any, text: str | bytes, offsets: list[int]) -> None:
        self._compiled, self._text, self._offsets = compiled, text, offsets

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> tuple[Word, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Word, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Word, ...] | list[tuple[Word, ...]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        offset = self._offsets[index]
        if offset < 0:
            return ()
        words: tuple[Word, ...] = self._compiled.whisper_words(self._text, offset, Word)
        return words

    def __reduce__(self) -> tuple[Any, ...]:
        return list, (list(self),)  # (the compiled module cannot be pickled)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def _segment(raw: Any, index: int, source: str) -> Segment:
    where = f"segment {index + 1}"
    words_raw: Any = []
    speaker: Any = None
    if isinstance(raw, dict):
        start, end, text = raw.get("start"), raw.get("end"), raw.get("text")
        words_raw, speaker = raw.get("words") or [], raw.get("speaker")
    elif isinstance(raw, list) and len(raw) >= 5:
        start, end, text = raw[2], raw[3], raw[4]
        words_raw = raw[-1] if len(raw) > 5 and isinstance(raw[-1], list) else []
    else:
        raise TranscriptError(source, f"{where}: not a segment object")
    start_s, end_s = _number(start), _number(end)
    if start_s is None or end_s is None:
        raise TranscriptError(source, f"{where}: start and end must be non-negative seconds")
    if end_s < start_s:
        raise TranscriptError(source, f"{where}: ends before it starts")
    if not isinstance(text, str):
        raise TranscriptError(source, f'{where}: "text" must be a string')
    if speaker is not None and not isinstance(speaker, str):
        raise TranscriptError(source, f'{where}: "speaker" must be a string')
    words = tuple(_words(words_raw))
    return Segment(speaker, start_s, end_s, " ".join(text.split()), words)


def _words(raw_words: Any) -> list[Word]:
    """Words with times; WhisperX leaves some words (numbers) without times: skip those."""
    words: list[Word] = []
    if not isinstance(raw_words, list):
        return words
    for raw in raw_words:
        if isinstance(raw, dict):
            text, start, end = raw.get("word", raw.get("text")), raw.get("start"), raw.get("end")
        elif isinstance(raw, list) and len(raw) >= 3:
            start, end, text = raw[0], raw[1], raw[2]
        else:
            continue
        start_s, end_s = _number(start), _number(end)
        if isinstance(text, str) and start_s is not None and end_s is not None:
            words.append(Word(text.strip(), start_s, max(start_s, end_s)))
    return words
