"""A browser recording arrives in numbered chunks: in any order, some twice, some never;
what arrived in a row from the first becomes the recording."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tete.recordings import actions
from tete.recordings.models import AudioChunk, Recording, RecordingState, VoiceSample
from tete.reports import actions as report_actions
from tete.reports.models import TranscriptStatus

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _pieces(data: bytes, count: int) -> list[bytes]:
    size = -(-len(data) // count)
    return [data[i : i + size] for i in range(0, len(data), size)]


def _start(client, meeting) -> dict:
    response = client.post(
        reverse("recordings:start", args=[meeting.pk]),
        {"consent": "on", "content_type": "audio/webm;codecs=opus"},
        **JSON,
    )
    assert response.status_code == 201
    return response.json()


def _send(client, state: dict, index: int, data: bytes):
    return client.generic(
        "POST", f"{state['chunk_url']}{index}/", data, content_type="application/octet-stream"
    )


def test_chunks_out_of_order_and_twice_make_the_whole_recording(client_for, meeting, alice, sounds):
    data = sounds.webm.read_bytes()
    pieces = _pieces(data, 5)
    client = client_for(alice)
    state = _start(client, meeting)
    answers = [_send(client, state, i, pieces[i]).json()["received"] for i in (0, 2, 0, 1)]
    # 0 alone; 2 waits for 1; 0 again changes nothing; 1 fills the gap: 0, 1, 2 in a row.
    assert answers == [1, 1, 1, 3]
    assert _send(client, state, 4, pieces[4]).json()["received"] == 3
    # The recorder, reloaded after a drop, asks where to resume.
    assert client.get(state["state_url"]).json()["received"] == 3
    assert _send(client, state, 3, pieces[3]).json()["received"] == 5
    assert AudioChunk.objects.count() == 5
    stored = b"".join(bytes(c.data) for c in AudioChunk.objects.order_by("index"))
    assert stored == data

    finished = client.post(state["finish_url"], **JSON)
    assert finished.status_code == 200
    recording = Recording.objects.get(pk=state["id"])
    transcript = recording.transcript
    assert transcript.status == TranscriptStatus.DONE, transcript.failure_reason
    assert transcript.report.data["estimate"] is True
    assert finished.json()["report_url"] == reverse("reports:report", args=[transcript.pk])
    assert not AudioChunk.objects.exists()
    # The report says who recorded and when both agreed.
    page = client.get(finished.json()["report_url"]).content.decode()
    assert "Recorded in the browser by Alice Martin" in page
    assert "An estimate." in page


def test_a_recording_cut_in_the_middle_keeps_what_came_before_the_gap(meeting, alice, sounds):
    pieces = _pieces(sounds.webm.read_bytes(), 4)
    recording = actions.start_browser_recording(
        meeting, by=alice, consent=True, content_type="audio/webm"
    )
    for index in (0, 1, 3):
        actions.add_chunk(recording, by=alice, index=index, data=pieces[index])
    recording = actions.finish_browser_recording(recording, by=alice)
    assert recording.state == RecordingState.COMPLETE
    assert recording.files.get().size_bytes == len(pieces[0]) + len(pieces[1])
    # Later chunks are refused once finished, with a message.
    with pytest.raises(ValidationError, match="finished"):
        actions.add_chunk(recording, by=alice, index=2, data=pieces[2])


def test_finishing_with_no_sound_says_so(meeting, alice):
    recording = actions.start_browser_recording(
        meeting, by=alice, consent=True, content_type="audio/mp4"
    )
    with pytest.raises(ValidationError, match="No sound arrived"):
        actions.finish_browser_recording(recording, by=alice)


def test_a_browser_recording_stops_at_the_size_limit(meeting, alice, settings):
    settings.TETE_MAX_RECORDING_BYTES = 1000
    recording = actions.start_browser_recording(
        meeting, by=alice, consent=True, content_type="audio/webm"
    )
    actions.add_chunk(recording, by=alice, index=0, data=b"x" * 800)
    recording.refresh_from_db()
    with pytest.raises(ValidationError, match="largest accepted"):
        actions.add_chunk(recording, by=alice, index=1, data=b"x" * 800)


def test_the_other_participant_can_finish_a_recording_left_open(
    client_for, meeting, alice, bob, sounds
):
    recording = actions.start_browser_recording(
        meeting, by=alice, consent=True, content_type="audio/webm"
    )
    actions.add_chunk(recording, by=alice, index=0, data=sounds.webm.read_bytes())
    response = client_for(bob).post(reverse("recordings:finish", args=[recording.pk]))
    recording.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report", args=[recording.transcript_id])


def test_abandoned_recordings_and_old_voice_samples_are_deleted(meeting, alice, settings):
    settings.TETE_UNFINISHED_RECORDING_HOURS = 24
    settings.TETE_VOICE_SAMPLE_HOURS = 24
    left = actions.start_browser_recording(
        meeting, by=alice, consent=True, content_type="audio/webm"
    )
    actions.add_chunk(left, by=alice, index=0, data=b"abc")
    kept = actions.start_browser_recording(
        meeting, by=alice, consent=True, content_type="audio/webm"
    )
    VoiceSample.objects.create(recording=kept, label="voice 1", data=b"RIFF")
    later = timezone.now() + dt.timedelta(hours=25)
    Recording.objects.filter(pk=kept.pk).update(
        samples_expire_at=timezone.now() + dt.timedelta(hours=24), last_chunk_at=later
    )
    assert actions.delete_expired_sound(now=timezone.now()) == 0
    assert actions.delete_expired_sound(now=later) == 2
    assert not Recording.objects.filter(pk=left.pk).exists()
    assert not AudioChunk.objects.exists()
    assert not VoiceSample.objects.exists()
    assert Recording.objects.filter(pk=kept.pk).exists()


def test_who_is_who_recomputes_the_report_after_the_sound_is_gone(meeting, alice, bob, sounds):
    from tests.recordings.conftest import upload_of
    from tete.recordings.actions import Track
    from tete.recordings.models import RecordingKind

    recording = actions.upload_recording(
        meeting, by=alice, kind=RecordingKind.ONE_MICROPHONE, tracks=[Track(upload_of(sounds.mono))]
    )
    transcript = recording.transcript
    transcript.refresh_from_db()
    assert transcript.report.first_share is None  # voices are not people yet
    report_actions.save_speaker_mapping(
        transcript, by=bob, mapping={"voice 1": alice.pk, "voice 2": bob.pk}
    )
    transcript.refresh_from_db()
    report = transcript.report
    assert transcript.status == TranscriptStatus.DONE
    assert report.mapping_confirmed
    assert report.first_share is not None and report.second_share is not None
    assert report.data["estimate"] is True


def test_the_purge_command_and_the_worker_rounds_delete_expired_samples(meeting, alice):
    from django.core.management import call_command

    from tete.reports.recovery import recover_once

    for _ in range(2):
        recording = actions.start_browser_recording(
            meeting, by=alice, consent=True, content_type="audio/webm"
        )
        VoiceSample.objects.create(recording=recording, label="voice 1", data=b"RIFF")
        Recording.objects.filter(pk=recording.pk).update(
            samples_expire_at=timezone.now() - dt.timedelta(minutes=1)
        )
        if VoiceSample.objects.count() == 1:
            call_command("purge_recordings")
        else:
            recover_once()
        assert not VoiceSample.objects.exists()
