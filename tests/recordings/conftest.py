"""Recordings the recording tests upload: short flite conversations, made once a session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conversation.audio import synth
from tests.conversation.audio.conftest import need_flite


@dataclass(frozen=True)
class Sounds:
    """A two-person conversation as the shapes a person uploads."""

    stereo: Path
    mono: Path
    alice_track: Path
    bob_track: Path
    webm: Path


@pytest.fixture(scope="session")
def sounds(tmp_path_factory: pytest.TempPathFactory) -> Sounds:
    need_flite()
    folder = tmp_path_factory.mktemp("recording-uploads")
    conversation = synth.converse(("slt", "rms"), turns=6, seed=5)
    mics = synth.microphones(conversation, leak_db=(-20.0, -20.0))
    mono = synth.one_microphone(conversation)
    return Sounds(
        stereo=synth.write(folder / "stereo.wav", mics),
        mono=synth.write(folder / "table.wav", mono),
        alice_track=synth.write(folder / "audioAliceMartin11.m4a", mics[:1], rate=48000),
        bob_track=synth.write(folder / "bob_jones.ogg", mics[1:], rate=48000),
        webm=synth.write(folder / "browser.webm", mono, rate=48000),
    )


def upload_of(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="audio/wav")
