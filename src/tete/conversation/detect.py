"""Choose a reader from a file's content; the extension only breaks ties."""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import limits as limits_
from .decode import decode, refuse_nul
from .errors import TranscriptError
from .formats.docx import docx_text
from .formats.srt import read_srt
from .formats.text import read_text
from .formats.webvtt import read_webvtt
from .formats.whisper import read_whisper, read_whisper_utf8
from .model import Transcript

_SRT_TIMINGS = re.compile(r"^\s*\d{1,3}:\d{1,2}:\d{1,2},\d{1,3}\s*-->", re.MULTILINE)


def read_bytes(data: bytes, source: str) -> Transcript:
    """Read a transcript of any supported format from its bytes, within the limits in
    force (:func:`.limits.current`)."""
    limits = limits_.current()
    transcript = _read(data, source, limits)
    columns = transcript.columns
    texts: Iterable[str]
    if columns is not None and columns.segments is transcript.segments:
        # (not the segments: making them would read every word of a JSON file)
        starts, ends, texts = columns.starts, columns.ends, columns.texts
    else:
        starts = [segment.start for segment in transcript.segments]
        ends = [segment.end for segment in transcript.segments]
        texts = (segment.text for segment in transcript.segments)
    limits_.check_segments(starts, ends, len(transcript.segments), source, limits)
    if transcript.format == "json":
        limits_.check_segment_text(texts, source, limits)
    return transcript


def _read(data: bytes, source: str, limits: limits_.Limits) -> Transcript:
    if data.startswith(b"PK\x03\x04"):
        text = docx_text(data, source)
        limits_.check_text(text, source, limits)
        return read_text(text, source, dialect_hint="teams")
    if not data or data.isspace():  # (strip() would copy the whole file)
        raise TranscriptError(source, "empty file", 1)
    if data[:64].lstrip()[:1] == b"{":
        # JSON in UTF-8 (as json.dump writes it) is read without decoding it first; the
        # compiled reader checks that it is UTF-8 with no NUL, that is, what decode() reads
        transcript = read_whisper_utf8(data, source)
        if transcript is not None:
            return transcript
    text = decode(data, source)
    head = text.lstrip("\ufeff \t\r\n")
    suffix = source.rsplit(".", 1)[-1].lower() if "." in source else ""
    is_json = head[:1] == "{" or (
        head[:1] == "[" and (suffix == "json" or head[1:2] in "{[\n\r \t")
    )
    # JSON is often written on one line: its segments' texts are checked once read.
    limits_.check_text(text, source, limits, lines=not is_json)
    if head.startswith("WEBVTT"):
        return read_webvtt(text.lstrip("\ufeff"), source)
    refuse_nul(text, source)
    if is_json:
        return read_whisper(text.lstrip("\ufeff"), source)
    if _SRT_TIMINGS.search(text, 0, 4096):
        return read_srt(text, source)
    if suffix == "vtt":
        return read_webvtt(text, source)  # reports the missing signature
    return read_text(text, source)
