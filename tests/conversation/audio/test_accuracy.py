"""Who spoke when, against the ground truth of generated conversations (the bounds the
docs promise; benchmarks/audio.py measures the same on longer conversations)."""

from __future__ import annotations

import re
import warnings

import pytest

from tete.conversation import analyze
from tete.conversation.audio import read_recording, read_tracks

from .conftest import Made


def spans(transcript, name):
    return [(s.start, s.end) for s in transcript.segments if s.speaker == name]


def total(intervals):
    return sum(b - a for a, b in intervals)


def overlap(one, two):
    return sum(max(0.0, min(b, d) - max(a, c)) for a, b in one for c, d in two)


def der(truth: dict[str, list], found: dict[str, list]) -> float:
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    def annotation(speakers):
        made = Annotation()
        for name, intervals in speakers.items():
            for start, end in intervals:
                made[Segment(start, end)] = name
        return made

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the scored extent is both's union
        return DiarizationErrorRate(collar=0.25)(annotation(truth), annotation(found))


@pytest.mark.parametrize("name", ["stereo.wav", "stereo.flac", "stereo.m4a"])
def test_a_channel_per_person_gives_shares_within_two_points(made: Made, name: str):
    transcript = read_recording(made.files[name], speakers=["Alice", "Bob"])
    report = analyze(transcript)
    assert [s.name for s in report.speakers] == ["Alice", "Bob"]
    assert report.speaker("Alice").talk_share == pytest.approx(made.truth_share(0), abs=0.02)
    assert not report.estimate and transcript.recording.kind == "channels"


def test_crosstalk_is_not_counted_twice_and_overlap_is_kept(made: Made):
    transcript = read_recording(made.files["stereo.wav"])
    left, right = spans(transcript, "left"), spans(transcript, "right")
    true_overlap = overlap(*made.truth)
    assert true_overlap > 2.0  # the conversation has real overlaps to find
    # Leak at -15 and -25 dB counted as speech would double the overlap.
    assert overlap(left, right) == pytest.approx(true_overlap, rel=0.2)
    assert total(left) == pytest.approx(total(made.truth[0]), rel=0.1)
    error = der({"a": made.truth[0], "b": made.truth[1]}, {"a": left, "b": right})
    assert error < 0.1


def test_tracks_with_an_offset_line_up(made: Made):
    transcript = read_tracks(
        [made.files["audioAliceMoreau11.m4a"], made.files["bob_okafor.ogg"]], offsets=[0, 1.5]
    )
    assert transcript.speakers == ("Alice Moreau", "bob okafor")
    alice, bob = spans(transcript, "Alice Moreau"), spans(transcript, "bob okafor")
    report = analyze(transcript)
    assert report.speaker("Alice Moreau").talk_share == pytest.approx(made.truth_share(0), abs=0.02)
    error = der({"a": made.truth[0], "b": made.truth[1]}, {"a": alice, "b": bob})
    assert error < 0.1


def test_tracks_in_codecs_of_different_delays_with_a_quiet_leak_give_shares_within_two_points(
    made: Made,
):
    """Alice's track is AAC at 16 kHz (64 ms of encoder delay), Bob's Opus at 48 kHz, each
    with the other's voice leaking in at -25 dB, a few dB above the room's noise. Unaligned,
    the leak arrives outside the crosstalk rule's window and counts as speech (shares 14
    points off, overlap five times too long on five minutes)."""
    transcript = read_tracks(
        [made.files["quiet-alice.m4a"], made.files["quiet-bob.ogg"]], speakers=["Alice", "Bob"]
    )
    report = analyze(transcript)
    assert report.speaker("Alice").talk_share == pytest.approx(made.truth_share(0), abs=0.02)
    alice, bob = spans(transcript, "Alice"), spans(transcript, "Bob")
    assert overlap(alice, bob) == pytest.approx(overlap(*made.truth), rel=0.2)
    assert der({"a": made.truth[0], "b": made.truth[1]}, {"a": alice, "b": bob}) < 0.1


def test_an_offset_that_is_a_little_off_is_corrected_from_the_leak(made: Made):
    """Bob's file starts 1.5 s late; told 1.2 s, the voices leaking between the tracks
    show the other 0.3 s."""
    transcript = read_tracks(
        [made.files["audioAliceMoreau11.m4a"], made.files["bob_okafor.ogg"]], offsets=[0, 1.2]
    )
    assert any(
        re.match(r".*bob_okafor.ogg starts 3[0-3]0 ms later than its offset says", warning)
        for warning in transcript.warnings
    ), transcript.warnings
    bob = spans(transcript, "bob okafor")
    assert der({"b": made.truth[1]}, {"b": bob}) < 0.1


def test_tracks_far_from_their_offset_disagree_with_the_truth(made: Made):
    """Alignment looks within a second: the same tracks without the 1.5 s offset put Bob
    early, so the offset matters."""
    transcript = read_tracks([made.files["audioAliceMoreau11.m4a"], made.files["bob_okafor.ogg"]])
    bob = spans(transcript, "bob okafor")
    error = der({"b": made.truth[1]}, {"b": bob})
    assert error > 0.2


@pytest.mark.parametrize("name", ["mono.wav", "mono.mp3"])
def test_one_microphone_estimates_shares_within_ten_points(made: Made, name: str):
    transcript = read_recording(made.files[name])
    report = analyze(transcript)
    assert report.estimate and transcript.recording.kind == "one_microphone"
    assert len(report.speakers) == 2
    # Voices are numbered by first speech, and the first to speak is slt (person 0).
    assert report.speakers[0].talk_share == pytest.approx(made.truth_share(0), abs=0.10)
    found = {s.name: spans(transcript, s.name) for s in report.speakers}
    assert der({"a": made.truth[0], "b": made.truth[1]}, found) < 0.25


def test_one_voice_alone_is_one_speaker_with_a_warning(one_voice):
    transcript = read_recording(one_voice)
    assert transcript.speakers == ("voice 1",)
    assert any("one voice heard" in warning for warning in transcript.warnings)
    assert analyze(transcript).balance.status == "unknown"


def test_two_channels_with_the_same_sound_are_one_microphone(made: Made):
    transcript = read_recording(made.files["dual-mono.wav"])
    assert transcript.recording.kind == "one_microphone" and transcript.recording.estimate
    assert any("same sound" in warning for warning in transcript.warnings)
    assert len(transcript.speakers) == 2


def test_a_phone_recording_at_8_khz_is_analysed_with_a_warning(made: Made):
    transcript = read_recording(made.files["phone.wav"])
    assert transcript.recording.sample_rate == 8000
    assert any("8 kHz (telephone quality)" in warning for warning in transcript.warnings)
    assert len(transcript.speakers) == 2
