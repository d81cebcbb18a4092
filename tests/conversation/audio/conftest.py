"""Recordings made with flite for the audio tests, once per session.

Without flite the tests that need it skip with the reason, except under CI=true, where
that is a failure (as for Chromium in tests/browser).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from . import synth


def need_flite() -> None:
    if not synth.have_flite():
        if os.environ.get("CI") == "true":
            pytest.fail(synth.NO_FLITE)
        pytest.skip(synth.NO_FLITE)


@dataclass(frozen=True)
class Made:
    """A generated conversation, its ground truth per person and its files."""

    conversation: synth.Conversation
    truth: list[list[tuple[float, float]]]
    files: dict[str, Path]

    def truth_share(self, person: int) -> float:
        totals = [sum(b - a for a, b in spans) for spans in self.truth]
        return totals[person] / sum(totals)


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """A 16-turn conversation between flite's slt and rms voices (about a minute), as a
    stereo file with crosstalk at -15 and -25 dB, as two tracks (the second starting
    1.5 s late), as two tracks in different codecs with crosstalk at -25 dB both ways, and on
    one microphone, in several containers."""
    need_flite()
    folder = tmp_path_factory.mktemp("recordings")
    conversation = synth.converse(("slt", "rms"), turns=16, seed=3)
    truth = synth.truth(conversation)
    mics = synth.microphones(conversation, leak_db=(-15.0, -25.0))
    files = {
        "stereo.wav": synth.write(folder / "stereo.wav", mics),
        "stereo.flac": synth.write(folder / "stereo.flac", mics, rate=48000),
        "stereo.m4a": synth.write(folder / "stereo.m4a", mics, rate=44100),
        "mono.wav": synth.write(folder / "mono.wav", synth.one_microphone(conversation)),
        "mono.mp3": synth.write(folder / "mono.mp3", synth.one_microphone(conversation), 44100),
        "mono.ogg": synth.write(folder / "mono.ogg", synth.one_microphone(conversation), 48000),
        "mono.webm": synth.write(folder / "mono.webm", synth.one_microphone(conversation), 48000),
        "phone.wav": synth.write(folder / "phone.wav", synth.one_microphone(conversation), 8000),
        "dual-mono.wav": synth.write(
            folder / "dual-mono.wav", np.repeat(synth.one_microphone(conversation), 2, axis=0)
        ),
    }
    late = int(1.5 * synth.RATE)
    files["audioAliceMoreau11.m4a"] = synth.write(
        folder / "audioAliceMoreau11.m4a", mics[:1], rate=48000
    )
    files["bob_okafor.ogg"] = synth.write(folder / "bob_okafor.ogg", mics[1:, late:], rate=48000)
    # Tracks from two devices with a quiet leak: AAC at 16 kHz (as Zoom writes) runs 64 ms
    # late (the encoder's 1024 samples), Opus at 48 kHz 6.5 ms.
    quiet = synth.microphones(conversation, leak_db=(-25.0, -25.0), noise_db=-50.0)
    files["quiet-alice.m4a"] = synth.write(folder / "quiet-alice.m4a", quiet[:1])
    files["quiet-bob.ogg"] = synth.write(folder / "quiet-bob.ogg", quiet[1:], rate=48000)
    return Made(conversation, truth, files)


@pytest.fixture(scope="session")
def one_voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One flite voice alone on one microphone."""
    need_flite()
    conversation = synth.converse(("slt", "slt"), turns=12, seed=4)
    return synth.write(
        tmp_path_factory.mktemp("one-voice") / "alone.wav", synth.one_microphone(conversation)
    )
