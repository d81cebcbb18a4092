"""What a recording's file name says: whether it is one, and whose voice a track is. Light
on purpose (no numpy, no FFmpeg): web pages and the command line use it before any audio
is read."""

from __future__ import annotations

import os
import re
from pathlib import Path

#: File name endings read as recordings.
AUDIO_SUFFIXES = frozenset(
    {".wav", ".flac", ".mp3", ".m4a", ".aac", ".mp4", ".ogg", ".oga", ".opus", ".webm", ".weba"}
)


def is_recording(path: str | os.PathLike[str]) -> bool:
    """Whether a file name ends as a recording does (the content decides in the end)."""
    return Path(path).suffix.lower() in AUDIO_SUFFIXES


_ZOOM_TRACK = re.compile(r"^audio(?=[A-Z])")
_TRAILING_DIGITS = re.compile(r"[\s_-]*\d+$")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def name_from_file(path: str) -> str:
    """The person a track's file name suggests: ``audioAliceSmith21234.m4a`` (as Zoom
    names separate audio files) → ``Alice Smith``, ``bob_jones.wav`` → ``bob jones``,
    ``alice.m4a`` → ``alice``."""
    stem = Path(path).stem
    zoom = _ZOOM_TRACK.match(stem) is not None
    if zoom:
        stem = _CAMEL.sub(" ", _TRAILING_DIGITS.sub("", _ZOOM_TRACK.sub("", stem)))
    words = re.sub(r"[_\s]+", " ", stem).strip()
    return words or Path(path).name
