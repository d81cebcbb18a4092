"""Recordings to who spoke when, on this machine: PyAV decodes, WebRTC's detector finds
speech, levels remove crosstalk, clustering tells voices apart on one microphone.
Never imports Django; nothing is downloaded.

>>> from tete.conversation import analyze
>>> from tete.conversation.audio import read_recording, read_tracks
>>> report = analyze(read_recording("meeting.m4a", progress=print))   # doctest: +SKIP
>>> report = analyze(read_tracks(["alice.m4a", "bob.m4a"], offsets=[0, 1.2]))  # doctest: +SKIP
"""

from __future__ import annotations

from .errors import AudioError
from .recording import (
    AUDIO_SUFFIXES,
    Progress,
    is_recording,
    name_from_file,
    read_recording,
    read_tracks,
)

__all__ = [
    "AUDIO_SUFFIXES",
    "AudioError",
    "Progress",
    "is_recording",
    "name_from_file",
    "read_recording",
    "read_tracks",
]
