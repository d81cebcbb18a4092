"""The flite conversations the audio tests and benchmarks use: they live in tete.demo.synth,
since the demo makes its recording with them too."""

from __future__ import annotations

from tete.demo.synth import (
    BACKCHANNELS,
    FLITE,
    LINES,
    NO_FLITE,
    RATE,
    Conversation,
    converse,
    have_flite,
    microphones,
    one_microphone,
    room_noise,
    speak,
    truth,
    write,
)

__all__ = [
    "BACKCHANNELS",
    "FLITE",
    "LINES",
    "NO_FLITE",
    "RATE",
    "Conversation",
    "converse",
    "have_flite",
    "microphones",
    "one_microphone",
    "room_noise",
    "speak",
    "truth",
    "write",
]
