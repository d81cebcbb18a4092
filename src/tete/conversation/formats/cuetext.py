"""Cue text as WebVTT writes it: tags, voices and character references, to speaker pieces."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..labels import is_convention, split_label
from ..model import Segment

_TAG = re.compile(r"<[^>]*>?")
_TIMESTAMP = re.compile(r"(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})")


def timestamp_seconds(text: str) -> float | None:
    """A WebVTT timestamp (``hh:mm:ss.ttt`` or ``mm:ss.ttt``) in seconds, or ``None``."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds, millis = match.groups()
    whole = (int(hours) * 3600 if hours else 0) + int(minutes) * 60 + int(seconds)
    return (whole * 1000 + int(millis)) / 1000


@dataclass(slots=True)
class Piece:
    """Text one voice says inside a cue; ``labelled`` when the voice came from a ``Name:``
    prefix."""

    voice: str | None
    text: str
    hint: float | None = None
    labelled: bool = False


def cue_pieces(raw: str) -> list[Piece]:
    """Split a cue's text into voice pieces, dropping tags and resolving references."""
    if "<" not in raw:
        text = html.unescape(raw) if "&" in raw else raw
        return [Piece(None, " ".join(text.split()))]
    pieces: list[Piece] = []
    voice: str | None = None
    hint: float | None = None
    parts: list[str] = []
    position = 0

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text:
            pieces.append(Piece(voice, text, hint))
        parts.clear()

    for match in _TAG.finditer(raw):
        parts.append(raw[position : match.start()])
        position = match.end()
        content = match.group()[1:].removesuffix(">")
        if content.startswith("/"):
            if content[1:].split(".", 1)[0].strip() == "v":
                flush()
                voice, hint = None, None
            continue
        if content[:1].isdigit():
            # A timestamp tag before a voice says when that voice starts.
            if not "".join(parts).strip():
                hint = timestamp_seconds(content.strip())
            continue
        head, _, annotation = content.replace("\t", " ").replace("\n", " ").partition(" ")
        if head.split(".", 1)[0] == "v":
            flush()
            voice = " ".join(annotation.split()) or None
            hint = None
    parts.append(raw[position:])
    flush()
    for piece in pieces:
        if "&" in piece.text:
            piece.text = html.unescape(piece.text)
    return pieces


def label_pieces(cues: list[tuple[float, float, list[Piece]]]) -> int:
    """Give pieces without a voice the speaker of their ``Name:`` prefix, when such
    prefixes are the file's convention (see :mod:`..labels`); returns how many got one."""
    unvoiced = [piece for _, _, pieces in cues for piece in pieces if piece.voice is None]
    if not unvoiced:
        return 0
    split = [split_label(piece.text) for piece in unvoiced]
    labelled = sum(1 for name, _ in split if name is not None)
    if not is_convention(labelled, len(unvoiced)):
        return 0
    for piece, (name, rest) in zip(unvoiced, split, strict=True):
        if name is not None:
            piece.voice, piece.text, piece.labelled = name, rest, True
    return labelled


def cue_segments(start: float, end: float, pieces: list[Piece]) -> list[Segment]:
    """Segments for one cue; several voices share its interval in proportion to words."""
    pieces = [piece for piece in pieces if piece.text]
    if len(pieces) == 1:
        piece = pieces[0]
        return [Segment(piece.voice, start, end, piece.text)]
    weights = [max(1, len(piece.text.split())) for piece in pieces]
    total = sum(weights)
    bounds: list[float] = []
    done = 0
    for piece, weight in zip(pieces, weights, strict=True):
        bound = start + (end - start) * done / total
        if piece.hint is not None and start <= piece.hint <= end:
            bound = piece.hint
        bounds.append(max(bound, bounds[-1]) if bounds else start)
        done += weight
    bounds.append(end)
    return [
        Segment(piece.voice, bounds[index], bounds[index + 1], piece.text)
        for index, piece in enumerate(pieces)
    ]
