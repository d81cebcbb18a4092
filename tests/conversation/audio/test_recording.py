"""The library's face for the app: transcripts and reports from recordings, progress,
names, voices and their excerpts, and the JSON contract."""

from __future__ import annotations

import json

import pytest

from tete.conversation import analyze
from tete.conversation.audio import name_from_file, read_recording, read_tracks
from tete.conversation.metrics import OVERLAP_METRICS, TEXT_METRICS
from tete.conversation.render_html import render_html

from .conftest import Made


@pytest.mark.parametrize("name", ["stereo.wav", "mono.ogg", "mono.webm", "stereo.m4a"])
def test_every_container_decodes_to_the_whole_recording(made: Made, name: str):
    transcript = read_recording(made.files[name])
    # Encoders pad a few milliseconds at either end.
    assert transcript.recording.duration_s == pytest.approx(made.conversation.duration_s, abs=0.1)
    assert transcript.format == "audio" and transcript.timing == "cues"
    assert all(segment.text == "" for segment in transcript.segments)


@pytest.mark.parametrize("name", ["mono.wav", "dual-mono.wav"])
def test_progress_rises_to_one(made: Made, name: str):
    """Also when two channels turn out to be one microphone and are decoded again."""
    seen: list[tuple[float, str]] = []
    read_recording(made.files[name], progress=lambda done, stage: seen.append((done, stage)))
    values = [done for done, _ in seen]
    assert values == sorted(values) and values[-1] == 1.0
    assert {"decoding", "telling voices apart"} <= {stage for _, stage in seen}


def test_progress_over_tracks_rises_to_one(made: Made):
    seen: list[float] = []
    read_tracks(
        [made.files["audioAliceMoreau11.m4a"], made.files["bob_okafor.ogg"]],
        offsets=[0, 1.5],
        progress=lambda done, stage: seen.append(done),
    )
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_speakers_name_channels_in_order_and_labels_keep_the_channel(made: Made):
    transcript = read_recording(made.files["stereo.wav"], speakers=["Alice", ""])
    assert transcript.speakers == ("Alice", "right")
    assert [(v.name, v.label) for v in transcript.recording.voices] == [
        ("Alice", "left"),
        ("right", "right"),
    ]


def test_each_voice_has_excerpts_where_it_alone_speaks(made: Made):
    transcript = read_recording(made.files["mono.wav"])
    for voice in transcript.recording.voices:
        assert 1 <= len(voice.excerpts) <= 3
        own = [(s.start, s.end) for s in transcript.segments if s.speaker == voice.name]
        for start, end in voice.excerpts:
            assert 0 < end - start <= 6.0
            assert any(a <= start and end <= b for a, b in own)


@pytest.mark.parametrize(
    ("file", "name"),
    [
        ("audioAliceSmith21234567.m4a", "Alice Smith"),
        ("/calls/bob_jones.wav", "bob jones"),
        ("alice.m4a", "alice"),
        ("audio.m4a", "audio"),
    ],
)
def test_a_track_is_named_after_its_file(file: str, name: str):
    assert name_from_file(file) == name


def test_the_json_contract_says_audio_and_marks_text_metrics_unavailable(made: Made):
    data = json.loads(json.dumps(analyze(read_recording(made.files["stereo.wav"])).to_dict()))
    assert data["source_kind"] == "audio" and data["estimate"] is False
    assert data["method"].startswith("one person per channel")
    assert data["recording"]["kind"] == "channels" and data["recording"]["channels"] == 2
    for speaker in data["speakers"]:
        assert all(speaker[metric] is None for metric in TEXT_METRICS)
        # every timing metric is filled in
        assert speaker["talk_time_s"] > 0 and speaker["turns"] > 0
        assert speaker["overlap_s"] > 0 and speaker["longest_monologue_s"] > 0
        assert speaker["interruptions"] is not None and speaker["response_latency_s"] is not None
    assert data["keywords"] is None and data["sentiment"] is None
    assert set(data["unavailable"]) == {
        *TEXT_METRICS,
        "keywords",
        "sentiment",
        "suggested_action_items",
    }
    conversation = data["conversation"]
    assert conversation["words"] is None and conversation["silence_s"] > 0


def test_an_estimate_says_so_and_does_not_claim_overlap(made: Made):
    report = analyze(read_recording(made.files["mono.wav"]), text_analysis=True)
    data = report.to_dict()
    assert data["estimate"] is True and data["source_kind"] == "audio"
    assert "estimate" in data["method"]
    assert data["conversation"]["overlap_s"] is None
    assert all(
        data["unavailable"][metric].startswith("one microphone") for metric in OVERLAP_METRICS
    )
    page = render_html([report])
    assert "<strong>Estimate.</strong>" in page
    assert 'aria-label="who spoke when (estimate)"' in page


def test_transcript_reports_say_they_come_from_a_transcript():
    from tete.conversation import read

    from ..support import fixture

    data = analyze(read(fixture("zoom.vtt"))).to_dict()
    assert data["source_kind"] == "transcript" and data["estimate"] is False
    assert data["method"] is None and "unavailable" not in data
