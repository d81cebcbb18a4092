"""Conversation analysis: read transcripts, measure talk balance. Never imports Django.

>>> from tete.conversation import read, analyze
>>> report = analyze(read("meeting.vtt"))          # doctest: +SKIP
>>> report.to_dict()["speakers"][0]["talk_share"]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from typing import BinaryIO

from .balance import KINDS, ROLES, Targets, Verdict, balance_verdict
from .errors import TranscriptError
from .limits import Limits
from .model import Segment, Transcript, Word
from .report import ConversationMetrics, Report, SpeakerMetrics, analyze

__all__ = [
    "KINDS",
    "ROLES",
    "ConversationMetrics",
    "InternalReadError",
    "Limits",
    "Report",
    "Segment",
    "SpeakerMetrics",
    "Targets",
    "Transcript",
    "TranscriptError",
    "Verdict",
    "Word",
    "analyze",
    "balance_verdict",
    "read",
]


def read(
    path_or_file: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    name: str | None = None,
    limits: Limits | None = None,
) -> Transcript:
    """Read a transcript from a path, bytes or a binary file object.

    The format (WebVTT, SRT, text exports, .docx, Whisper JSON) is chosen from the content.
    ``name`` is the source shown in reports and errors. ``limits`` bounds what a file may
    hold (:class:`Limits`; the defaults otherwise): a file beyond one is refused with a
    message naming it. Raises :class:`TranscriptError`, and only that, for anything that
    cannot be read.
    """
    from . import limits as limits_
    from .detect import read_bytes

    limits = limits or limits_.DEFAULT
    if isinstance(path_or_file, bytes | bytearray | memoryview):
        source, data = name or "<bytes>", bytes(path_or_file)
        limits_.check_size(len(data), source, limits)
    elif isinstance(path_or_file, str | os.PathLike):
        source = name or os.fspath(path_or_file)
        try:
            with open(path_or_file, "rb") as file:
                data = _read_at_most(file, limits.max_bytes + 1)
        except OSError as error:
            raise TranscriptError(source, f"cannot read file: {error.strerror or error}") from None
        limits_.check_size(_size(path_or_file, len(data)), source, limits)
    else:
        source = name or str(getattr(path_or_file, "name", "<file>"))
        try:
            data = path_or_file.read(limits.max_bytes + 1)
        except OSError as error:
            raise TranscriptError(source, f"cannot read file: {error}") from None
        if not isinstance(data, bytes):
            raise TranscriptError(source, "open the file in binary mode ('rb')")
        limits_.check_size(len(data), source, limits)
    try:
        with limits_.in_force(limits):
            return read_bytes(data, source)
    except TranscriptError:
        raise
    except MemoryError:
        raise
    except Exception as error:
        # A last guard so callers only ever handle TranscriptError; the fuzz tests check
        # that no input reaches it. The cause stays attached for a log, not the message.
        raise InternalReadError(source, "the file could not be read (an internal error)") from (
            error
        )


class InternalReadError(TranscriptError):
    """A reader failed in a way it did not foresee: a fault here, not in the file.

    The message says only that; the exception it came from is its ``__cause__``."""


def _read_at_most(file: BinaryIO, most: int) -> bytes:
    """The file's bytes, never more than ``most`` whatever its size.

    ``file.read(most)`` would set aside ``most`` bytes before reading (20 MB for every
    file, which takes longer than reading a large transcript); the size the file system
    gives is read instead, then whatever the file has grown by since, still bounded.
    """
    size = os.fstat(file.fileno()).st_size
    data = file.read(min(size + 1, most))
    if len(data) <= size or len(data) >= most:
        return data  # the whole file (a shorter read is its end), or the most read
    return data + file.read(most - len(data))


def _size(path: str | os.PathLike[str], read: int) -> int:
    try:
        return max(read, os.stat(path).st_size)
    except OSError:
        return read
