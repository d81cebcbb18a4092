"""Safari's MediaRecorder records fragmented MP4 with AAC: an init segment (ftyp, moov), then
fragments (moof, mdat). Pieces cut as it hands them over go through the same views as
Chromium's webm, and are joined and analysed into a report.

This is PyAV's fragmented MP4, not a real Safari's: the container and codec are the same,
the exact boxes Safari writes may differ (docs/recordings.md)."""

from __future__ import annotations

import struct

import pytest
from django.urls import reverse

from tests.conversation.audio import synth
from tests.conversation.audio.conftest import need_flite
from tete.recordings.models import AudioFile, Recording
from tete.reports.models import TranscriptStatus

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
#: What Safari's MediaRecorder gives for audio (its mimeType).
SAFARI_TYPE = "audio/mp4;codecs=mp4a.40.2"


def _boxes(data: bytes) -> list[bytes]:
    """The top-level MP4 boxes, in order."""
    boxes, at = [], 0
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        assert size >= 8, "no 64-bit or open-ended boxes in a fragmented MP4 of seconds"
        boxes.append(data[at : at + size])
        at += size
    return boxes


def _media_recorder_pieces(data: bytes, fragments_per_piece: int) -> list[bytes]:
    """As MediaRecorder hands them over: the init segment with the first fragments, then
    whole fragments (moof + mdat). FFmpeg's closing index (mfra), which a live recorder
    never writes, is left out."""
    boxes = [box for box in _boxes(data) if box[4:8] != b"mfra"]
    kinds = [box[4:8] for box in boxes]
    assert kinds[:2] == [b"ftyp", b"moov"], kinds[:2]
    assert kinds[2:] == [b"moof", b"mdat"] * ((len(kinds) - 2) // 2), set(kinds[2:])
    init, fragments = boxes[:2], [boxes[i] + boxes[i + 1] for i in range(2, len(boxes), 2)]
    pieces = []
    for at in range(0, len(fragments), fragments_per_piece):
        pieces.append(b"".join(fragments[at : at + fragments_per_piece]))
    pieces[0] = b"".join(init) + pieces[0]
    return pieces


@pytest.fixture(scope="module")
def safari_recording(tmp_path_factory) -> tuple[bytes, float]:
    """A two-voice conversation on one microphone as fragmented MP4/AAC, 1 s fragments."""
    need_flite()
    conversation = synth.one_microphone(synth.converse(("slt", "rms"), turns=6, seed=5))
    path = synth.write(
        tmp_path_factory.mktemp("safari") / "safari.m4a",
        conversation,
        rate=48000,
        container_options={
            "movflags": "frag_keyframe+empty_moov+default_base_moof",
            "frag_duration": "1000000",
        },
    )
    return path.read_bytes(), conversation.shape[1] / synth.RATE


def test_safari_pieces_make_a_report(client_for, meeting, bob, safari_recording):
    data, seconds = safari_recording
    pieces = _media_recorder_pieces(data, fragments_per_piece=5)
    assert len(pieces) >= 4
    client = client_for(bob)
    started = client.post(
        reverse("recordings:start", args=[meeting.pk]),
        {"consent": "on", "content_type": SAFARI_TYPE},
        **JSON,
    )
    assert started.status_code == 201
    state = started.json()
    for index, piece in enumerate(pieces):
        answer = client.generic(
            "POST", f"{state['chunk_url']}{index}/", piece, content_type="application/octet-stream"
        )
        assert answer.json()["received"] == index + 1
    assert client.post(state["finish_url"], **JSON).status_code == 200

    recording = Recording.objects.get(pk=state["id"])
    file = AudioFile.objects.get(recording=recording)
    assert file.filename.endswith(".m4a") and file.content_type == SAFARI_TYPE
    transcript = recording.transcript
    assert transcript.status == TranscriptStatus.DONE, transcript.failure_reason
    assert transcript.report.data["estimate"] is True
    assert recording.speech["recording"]["duration_s"] == pytest.approx(seconds, abs=0.5)
    assert {label for label, _, _ in recording.speech["segments"]} == {"voice 1", "voice 2"}
    page = client.get(reverse("reports:report", args=[transcript.pk])).content.decode()
    assert "An estimate." in page


def test_a_safari_recording_continued_after_a_reload_is_joined_whole(
    client_for, meeting, bob, safari_recording
):
    """Two fragmented-MP4 streams, each with its init segment: put end to end, FFmpeg would
    read the first only; joined, the report covers both."""
    data, seconds = safari_recording
    pieces = _media_recorder_pieces(data, fragments_per_piece=5)
    client = client_for(bob)
    state = client.post(
        reverse("recordings:start", args=[meeting.pk]),
        {"consent": "on", "content_type": SAFARI_TYPE},
        **JSON,
    ).json()
    for index, piece in enumerate(pieces):
        client.generic("POST", f"{state['chunk_url']}{index}/", piece, content_type="x/y")
    continued = client.post(
        reverse("recordings:continue", args=[state["id"]]),
        {"content_type": SAFARI_TYPE},
        **JSON,
    ).json()
    for offset, piece in enumerate(pieces):
        index = continued["next_index"] + offset
        client.generic("POST", f"{state['chunk_url']}{index}/", piece, content_type="x/y")
    client.post(state["finish_url"], **JSON)
    recording = Recording.objects.get(pk=state["id"])
    assert recording.transcript.status == TranscriptStatus.DONE, recording.transcript.failure_reason
    assert recording.speech["recording"]["duration_s"] == pytest.approx(2 * seconds, abs=1.0)
