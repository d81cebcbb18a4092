"""Recordings that cannot be analysed give AudioError naming the file and the problem;
nothing crashes (the same messages reach the command line: test_audio_cli.py)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
import pytest

from tete.conversation import TranscriptError
from tete.conversation.audio import AudioError, read_recording, read_tracks, recording
from tete.conversation.audio import decode as decoding

from . import synth


def wav_header(channels: int, rate: int, data_bytes: int, bits: int = 16) -> bytes:
    block = channels * bits // 8
    return (
        b"RIFF"
        + struct.pack("<I", (36 + data_bytes) & 0xFFFFFFFF)
        + b"WAVEfmt "
        + struct.pack(
            "<IHHIIHH", 16, 1, channels, rate, (rate * block) & 0xFFFFFFFF, block & 0xFFFF, bits
        )
        + b"data"
        + struct.pack("<I", data_bytes & 0xFFFFFFFF)
    )


def sparse_wav(path: Path, seconds: float, rate: int = 8000) -> Path:
    """A real WAV file of ``seconds`` of silence, made at once: the file system keeps the
    zeros as a hole (a ten-hour file takes no room on disk)."""
    data = int(seconds * rate) * 2
    with path.open("wb") as file:
        file.write(wav_header(1, rate, data))
        file.truncate(44 + data)
    return path


def tone(seconds: float, rate: int = 16000, channels: int = 1, level: float = 0.0) -> np.ndarray:
    count = int(seconds * rate)
    return np.full((channels, count), level, dtype=np.float32)


def refused(path, match: str, **options) -> AudioError:
    with pytest.raises(AudioError, match=match) as caught:
        read_recording(path, **options)
    assert str(path) in str(caught.value)  # the message names the file
    assert isinstance(caught.value, TranscriptError)  # one exception type for callers
    return caught.value


def test_a_text_file_is_not_a_recording(tmp_path: Path):
    path = tmp_path / "notes.wav"
    path.write_text("These are my notes, not a recording.\n" * 20)
    refused(path, "not a recording that can be decoded|no audio in this file")


def test_an_empty_file(tmp_path: Path):
    path = tmp_path / "empty.m4a"
    path.write_bytes(b"")
    refused(path, r"empty file \(0 bytes\)")


def test_a_missing_file(tmp_path: Path):
    refused(tmp_path / "nowhere.wav", "cannot read file")


def test_a_truncated_m4a_cannot_be_decoded(made, tmp_path: Path):
    whole = made.files["stereo.m4a"].read_bytes()
    path = tmp_path / "cut.m4a"
    path.write_bytes(whole[: len(whole) // 3])  # the index (moov) at the end is lost
    refused(path, "not a recording that can be decoded|cannot be decoded|no speech")


def test_a_truncated_file_is_analysed_as_far_as_it_goes_with_a_warning(made, tmp_path: Path):
    whole = made.files["stereo.flac"].read_bytes()  # FLAC's header says how long it is
    path = tmp_path / "cut.flac"
    path.write_bytes(whole[: len(whole) // 2])
    transcript = read_recording(path)
    (warning,) = transcript.warnings
    assert re.search(r"(damaged after|the sound ends at) 0:3[2-5]", warning)
    assert transcript.recording.duration_s == pytest.approx(made.conversation.duration_s / 2, 0.1)
    assert len(transcript.speakers) == 2


def test_a_truncated_wav_is_analysed_as_far_as_it_goes(made, tmp_path: Path):
    whole = made.files["stereo.wav"].read_bytes()
    path = tmp_path / "cut.wav"
    path.write_bytes(whole[: len(whole) // 2])
    transcript = read_recording(path)
    assert transcript.recording.duration_s == pytest.approx(made.conversation.duration_s / 2, 0.05)


def test_silence_only(tmp_path: Path):
    path = synth.write(tmp_path / "silence.wav", tone(5.0, channels=2))
    refused(path, "no speech found")


def test_noise_only_is_no_speech(tmp_path: Path):
    noise = synth.room_noise(16000 * 5, -40.0, seed=1)[np.newaxis, :]
    path = synth.write(tmp_path / "noise.flac", noise)
    refused(path, "no speech found")


def test_too_short(tmp_path: Path):
    path = synth.write(tmp_path / "blip.wav", tone(0.4))
    refused(path, r"only 0\.4 s of sound; at least 1 s")


def test_48_channels(tmp_path: Path):
    path = tmp_path / "many.wav"
    path.write_bytes(wav_header(48, 16000, 48 * 2 * 1600) + bytes(48 * 2 * 1600))
    refused(path, "48 channels; at most 8 are read")


def test_a_sample_rate_too_low_for_speech(tmp_path: Path):
    path = tmp_path / "slow.wav"
    path.write_bytes(wav_header(1, 4000, 8000) + bytes(8000))
    refused(path, "sampled at 4000 Hz; speech needs at least 8000 Hz")


def test_a_ten_hour_file_is_refused_before_it_is_decoded(tmp_path: Path, monkeypatch):
    path = sparse_wav(tmp_path / "ten-hours.wav", 10 * 3600)
    monkeypatch.setattr(decoding, "_frames", None)  # nothing may be decoded
    refused(path, r"says it lasts 10:00:00; the limit is 4:00:00 \(MAX_DURATION_S\)")


def test_a_header_that_claims_more_than_the_file_holds(tmp_path: Path):
    """FFmpeg measures a WAV by its size when its header claims more: one silent second."""
    path = tmp_path / "claims.wav"
    path.write_bytes(wav_header(1, 8000, 8000 * 2 * 3600 * 10) + bytes(16000))
    refused(path, "no speech found")


def test_a_header_with_absurd_sizes(tmp_path: Path):
    path = tmp_path / "absurd.wav"
    header = bytearray(wav_header(65535, 2**31 - 1, 2**32 - 1, bits=64))
    path.write_bytes(bytes(header) + bytes(1000))
    refused(path, "channels|sample rate|cannot be decoded|not a recording")


def test_sound_longer_than_the_limit_is_refused_while_decoding(tmp_path: Path, monkeypatch):
    """A header can lie or say nothing (raw AAC has no duration): the decoded sound counts."""
    path = synth.write(tmp_path / "long.wav", tone(12.0, level=0.1))
    monkeypatch.setattr(decoding, "MAX_DURATION_S", 10.0)
    refused(path, r"the file says it lasts 0:12; the limit is 0:10")
    monkeypatch.setattr(decoding, "_check_claimed_duration", lambda info, source: None)
    refused(path, r"longer than 0:10 \(MAX_DURATION_S\)")


def test_a_file_larger_than_the_limit(tmp_path: Path, monkeypatch):
    path = synth.write(tmp_path / "big.wav", tone(2.0))
    monkeypatch.setattr(decoding, "MAX_FILE_BYTES", 1024)
    refused(path, r"file is [\d.]+ KiB; the limit is 1\.0 KiB \(MAX_FILE_BYTES\)")


def test_tracks_whose_lengths_differ_by_hours(tmp_path: Path):
    short = synth.write(tmp_path / "alice.wav", tone(3.0, level=0.01))
    long = sparse_wav(tmp_path / "bob.wav", 3 * 3600)
    with pytest.raises(AudioError, match=r"differ in length by 2:59:57 \(bob.wav 3:00:00"):
        read_tracks([short, long])


def test_tracks_need_as_many_offsets_as_files(tmp_path: Path):
    one = synth.write(tmp_path / "a.wav", tone(2.0))
    with pytest.raises(AudioError, match="1 offsets for 2 tracks"):
        read_tracks([one, one], offsets=[0.0])
    with pytest.raises(AudioError, match=r"offset 7200.0 s; at most 3600 s"):
        read_tracks([one, one], offsets=[0.0, 7200.0])


def test_an_unexpected_failure_is_still_an_audio_error(made, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(recording, "separate", broken)
    with pytest.raises(AudioError, match="internal error while analysing"):
        read_recording(made.files["stereo.wav"])
