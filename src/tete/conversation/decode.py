"""Bytes to text: UTF-8 with or without a byte-order mark, and UTF-16."""

from __future__ import annotations

import codecs

from .errors import TranscriptError


def decode(data: bytes, source: str) -> str:
    """Decode a transcript file's bytes, naming the line of the first undecodable byte."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", source)
    encoding = _sniff_utf16(data)
    return _decode(data, encoding or "utf-8", source)


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: ASCII text leaves every other byte zero."""
    head = data[:400]
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return None
    even_zeros = head[0::2].count(0)
    odd_zeros = head[1::2].count(0)
    if odd_zeros > 3 * even_zeros:
        return "utf-16-le"
    if even_zeros > 3 * odd_zeros:
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start].decode(encoding, errors="replace")
        line = before.count("\n") + 1
        raise TranscriptError(
            source, f"not valid {encoding.upper()} text (byte {error.start})", line
        ) from None
    return text


def refuse_nul(text: str, source: str) -> None:
    """A NUL character in a text export means a binary file (WebVTT alone says what to do
    with one: it becomes U+FFFD)."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TranscriptError(source, "contains NUL characters: not a text transcript", line)
