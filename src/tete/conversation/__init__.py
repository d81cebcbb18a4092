"""Conversation analysis: read transcripts, measure talk balance. Never imports Django.

>>> from tete.conversation import read, analyze
>>> report = analyze(read("meeting.vtt"))          # doctest: +SKIP
>>> report.to_dict()["speakers"][0]["talk_share"]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from .balance import KINDS, ROLES, Targets, Verdict, balance_verdict
from .errors import TranscriptError
from .model import Segment, Transcript, Word
from .report import ConversationMetrics, Report, SpeakerMetrics, analyze

__all__ = [
    "KINDS",
    "ROLES",
    "ConversationMetrics",
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
    path_or_file: str | os.PathLike[str] | bytes | BinaryIO, *, name: str | None = None
) -> Transcript:
    """Read a transcript from a path, bytes or a binary file object.

    The format (WebVTT, SRT, text exports, .docx, Whisper JSON) is chosen from the content.
    ``name`` is the source shown in reports and errors. Raises :class:`TranscriptError`,
    and only that, for anything that cannot be read.
    """
    from .detect import read_bytes

    if isinstance(path_or_file, bytes | bytearray | memoryview):
        source, data = name or "<bytes>", bytes(path_or_file)
    elif isinstance(path_or_file, str | os.PathLike):
        source = name or os.fspath(path_or_file)
        try:
            data = Path(path_or_file).read_bytes()
        except OSError as error:
            raise TranscriptError(source, f"cannot read file: {error.strerror or error}") from None
    else:
        source = name or str(getattr(path_or_file, "name", "<file>"))
        try:
            data = path_or_file.read()
        except OSError as error:
            raise TranscriptError(source, f"cannot read file: {error}") from None
        if not isinstance(data, bytes):
            raise TranscriptError(source, "open the file in binary mode ('rb')")
    try:
        return read_bytes(data, source)
    except TranscriptError:
        raise
    except Exception as error:
        # A last guard so callers only ever handle TranscriptError; the fuzz tests check
        # that no input reaches it.
        raise TranscriptError(source, f"internal error while reading ({error!r})") from None
