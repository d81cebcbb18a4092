"""Uploading recordings: each kind gives the same conversation report as a transcript, and
the sound is gone once it is analysed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tete.recordings import actions
from tete.recordings.actions import Track
from tete.recordings.models import AudioChunk, RecordingKind, VoiceSample
from tete.reports.models import ConversationReport, SpeakerAlias, TranscriptStatus

from .conftest import upload_of

pytestmark = pytest.mark.django_db


def _report(recording) -> ConversationReport:
    recording.transcript.refresh_from_db()
    assert recording.transcript.status == TranscriptStatus.DONE, recording.transcript.failure_reason
    return recording.transcript.report


def test_it_reports_per_person_tracks_named_by_their_files(meeting, alice, bob, sounds):
    recording = actions.upload_recording(
        meeting,
        by=alice,
        kind=RecordingKind.TRACKS,
        tracks=[Track(upload_of(sounds.alice_track)), Track(upload_of(sounds.bob_track))],
    )
    report = _report(recording)
    assert report.data["source_kind"] == "audio"
    assert report.data["estimate"] is False
    assert set(report.speaker_people.values()) == {alice.pk, bob.pk}
    assert report.first_share is not None and report.second_share is not None
    assert abs(report.first_share + report.second_share - 1) < 0.01
    assert not AudioChunk.objects.filter(file__recording=recording).exists()
    recording.refresh_from_db()
    assert recording.sound_deleted_at is not None
    assert recording.speech["segments"]


def test_it_reports_a_channel_per_person_and_remembers_the_channels(meeting, alice, bob, sounds):
    recording = actions.upload_recording(
        meeting,
        by=bob,
        kind=RecordingKind.CHANNELS,
        tracks=[Track(upload_of(sounds.stereo))],
        channel_people=[alice, bob],
    )
    report = _report(recording)
    assert report.mapping_confirmed
    assert report.speaker_people == {"Alice Martin": alice.pk, "Bob Jones": bob.pk}
    aliases = dict(SpeakerAlias.objects.values_list("label", "person_id"))
    assert aliases == {"left": alice.pk, "right": bob.pk}


def test_one_microphone_is_an_estimate_with_voice_samples(meeting, alice, sounds):
    recording = actions.upload_recording(
        meeting, by=alice, kind=RecordingKind.ONE_MICROPHONE, tracks=[Track(upload_of(sounds.mono))]
    )
    report = _report(recording)
    assert report.data["estimate"] is True
    assert report.data["unavailable"]["interruptions"]
    recording.refresh_from_db()
    assert not AudioChunk.objects.filter(file__recording=recording).exists()
    samples = VoiceSample.objects.filter(recording=recording)
    assert samples.count() == 2
    assert all(bytes(sample.data)[:4] == b"RIFF" for sample in samples)
    assert recording.samples_expire_at is not None


def test_not_audio_fails_with_a_message_and_keeps_no_sound(meeting, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    recording = actions.upload_recording(
        meeting,
        by=alice,
        kind=RecordingKind.ONE_MICROPHONE,
        tracks=[Track(SimpleUploadedFile("notes.wav", b"this is not a recording" * 100))],
    )
    recording.transcript.refresh_from_db()
    assert recording.transcript.status == TranscriptStatus.FAILED
    assert "could not be read" in recording.transcript.failure_reason
    assert not AudioChunk.objects.filter(file__recording=recording).exists()


def test_the_same_recording_twice_is_refused(meeting, alice, sounds):
    def upload():
        return actions.upload_recording(
            meeting, by=alice, kind=RecordingKind.CHANNELS, tracks=[Track(upload_of(sounds.stereo))]
        )

    upload()
    with pytest.raises(ValidationError, match="already uploaded"):
        upload()


def test_an_outsider_cannot_upload(meeting, carol, sounds):
    with pytest.raises(ValidationError):
        actions.upload_recording(
            meeting, by=carol, kind=RecordingKind.CHANNELS, tracks=[Track(upload_of(sounds.stereo))]
        )


def test_a_recording_longer_than_the_setting_fails_naming_it(meeting, alice, sounds, settings):
    settings.TETE_RECORDING_MAX_HOURS = 10 / 3600  # ten seconds
    recording = actions.upload_recording(
        meeting, by=alice, kind=RecordingKind.CHANNELS, tracks=[Track(upload_of(sounds.stereo))]
    )
    recording.transcript.refresh_from_db()
    assert recording.transcript.status == TranscriptStatus.FAILED
    assert "the longest taken is 10 s (TETE_RECORDING_MAX_HOURS)" in (
        recording.transcript.failure_reason
    )
    assert not AudioChunk.objects.filter(file__recording=recording).exists()


def test_an_analysis_left_by_a_dead_worker_is_redone_from_the_kept_sound(
    meeting, alice, bob, sounds, settings
):
    import datetime as dt

    from django.utils import timezone

    from tete.reports import actions as report_actions
    from tete.reports.models import Transcript

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    recording = actions.upload_recording(
        meeting,
        by=alice,
        kind=RecordingKind.CHANNELS,
        tracks=[Track(upload_of(sounds.stereo))],
        channel_people=[alice, bob],
    )
    # A worker claimed it, then was killed: its lease ran out long ago, no report.
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Transcript.objects.filter(pk=recording.transcript_id).update(
        status=TranscriptStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago, attempts=1
    )
    assert AudioChunk.objects.filter(file__recording=recording).exists()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert report_actions.requeue_stuck_transcripts() == [recording.transcript_id]
    report = _report(recording)
    assert report.first_share is not None
    assert not AudioChunk.objects.filter(file__recording=recording).exists()


def test_a_file_whose_analysis_failed_can_be_uploaded_again(meeting, alice, settings, sounds):
    settings.TETE_RECORDING_MAX_HOURS = 10 / 3600

    def upload():
        return actions.upload_recording(
            meeting, by=alice, kind=RecordingKind.CHANNELS, tracks=[Track(upload_of(sounds.stereo))]
        )

    failed = upload()
    failed.transcript.refresh_from_db()
    assert failed.transcript.status == TranscriptStatus.FAILED
    settings.TETE_RECORDING_MAX_HOURS = 4
    again = upload()
    assert _report(again).duration_s > 0
    assert not type(failed).objects.filter(pk=failed.pk).exists()
