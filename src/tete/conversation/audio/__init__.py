"""Recordings to who spoke when, on this machine: PyAV decodes, WebRTC's detector finds
speech, levels remove crosstalk, clustering tells voices apart on one microphone.
Never imports Django; nothing is downloaded.

>>> from tete.conversation import analyze
>>> from tete.conversation.audio import read_recording, read_tracks
>>> report = analyze(read_recording("meeting.m4a", progress=print))   # doctest: +SKIP
>>> report = analyze(read_tracks(["alice.m4a", "bob.m4a"], offsets=[0, 1.2]))  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import AudioError
from .names import AUDIO_SUFFIXES, is_recording, name_from_file

if TYPE_CHECKING:
    from .recording import Progress, read_recording, read_tracks

_READING = ("Progress", "read_recording", "read_tracks")


def __getattr__(name: str) -> Any:
    # Reading recordings needs numpy and FFmpeg: imported on first use, not by every process
    # that only names AudioError (each web server and command starts faster).
    if name in _READING:
        from . import recording

        return getattr(recording, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AUDIO_SUFFIXES",
    "AudioError",
    "Progress",
    "is_recording",
    "name_from_file",
    "read_recording",
    "read_tracks",
]
