"""Recordings through the API: list, upload, status, report, delete — with the upload page's
limits and the same access rules (participants only; others 404; read-only tokens 403)."""

from __future__ import annotations

import pytest
from django.test.client import MULTIPART_CONTENT

from tests.recordings.factories import analysed_recording, silent_wav
from tete.recordings.models import Recording
from tete.reports.models import Transcript


@pytest.fixture
def recording(meeting, alice):
    return analysed_recording(meeting, alice, filename="kitchen-table.webm")


def _wav(name: str = "table.wav", seconds: float = 2.0):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, silent_wav(seconds), content_type="audio/wav")


def _upload(client, meeting, **fields):
    data = {"kind": "one_microphone", "file": _wav(), **fields}
    return client.post(
        f"/api/v1/meetings/{meeting.pk}/recordings", data, content_type=MULTIPART_CONTENT
    )


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_both_participants_list_read_and_get_the_report(api_as, persona, meeting, recording):
    api = api_as(persona, write=False)
    listed = api.get(f"/api/v1/meetings/{meeting.pk}/recordings")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [recording.pk]
    one = api.get(f"/api/v1/recordings/{recording.pk}").json()
    assert one["status"] == "done" and one["kind"] == "browser"
    assert one["files"][0]["filename"] == "kitchen-table.webm"
    assert one["report_url"].endswith(f"/api/v1/recordings/{recording.pk}/report")
    report = api.get(f"/api/v1/recordings/{recording.pk}/report")
    assert report.status_code == 200
    body = report.json()
    assert body["transcript_id"] == recording.transcript_id
    assert {"duration_s", "speakers", "segments"} <= set(body["report"])


@pytest.mark.parametrize("persona", ["carol", "admin"])
def test_outsiders_and_staff_get_404_for_every_recording_endpoint(
    api_as, persona, meeting, recording
):
    api = api_as(persona)
    for response in (
        api.get(f"/api/v1/meetings/{meeting.pk}/recordings"),
        api.get(f"/api/v1/recordings/{recording.pk}"),
        api.get(f"/api/v1/recordings/{recording.pk}/report"),
        api.delete(f"/api/v1/recordings/{recording.pk}"),
        _upload(api, meeting),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert "kitchen-table" not in response.content.decode()
    assert Recording.objects.count() == 1


def test_anonymous_requests_are_401(api_as, meeting, recording):
    api = api_as(None)
    for response in (
        api.get(f"/api/v1/meetings/{meeting.pk}/recordings"),
        api.get(f"/api/v1/recordings/{recording.pk}"),
        api.get(f"/api/v1/recordings/{recording.pk}/report"),
        api.delete(f"/api/v1/recordings/{recording.pk}"),
        _upload(api, meeting),
    ):
        assert response.status_code == 401


def test_a_read_only_token_can_neither_upload_nor_delete(api_as, meeting, recording):
    api = api_as("bob", write=False)
    assert _upload(api, meeting).status_code == 403
    assert api.delete(f"/api/v1/recordings/{recording.pk}").status_code == 403
    assert Recording.objects.count() == 1


def test_a_participant_uploads_a_recording_and_its_analysis_is_queued(api_as, meeting, bob):
    response = _upload(api_as("bob"), meeting)
    assert response.status_code == 201, response.content
    body = response.json()
    recording = Recording.objects.get()
    assert body["id"] == recording.pk and body["meeting_id"] == meeting.pk
    assert body["kind"] == "one_microphone" and body["created_by_id"] == bob.pk
    # The tests run tasks at once: the silent file's analysis has already ended.
    assert body["status"] in {"queued", "running", "done", "failed"}
    assert body["files"] == [
        {"filename": "table.wav", "size_bytes": len(silent_wav(2.0)), "offset_s": 0.0,
         "person_id": None}
    ]  # fmt: skip


def test_a_file_over_the_recording_limit_is_413_naming_the_limit(api_as, meeting, settings):
    settings.TETE_MAX_RECORDING_BYTES = 1000
    response = _upload(api_as("alice"), meeting)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert "1000 bytes" in response.json()["detail"]
    assert not Recording.objects.exists() and not Transcript.objects.exists()


def test_recordings_may_be_larger_than_other_uploads(api_as, meeting, settings):
    settings.TETE_MAX_UPLOAD_BYTES = 1000  # transcripts; recordings have their own limit
    assert _upload(api_as("alice"), meeting).status_code == 201


def test_a_file_that_is_not_sound_is_415_and_nothing_is_kept(api_as, meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    notes = SimpleUploadedFile("notes.wav", b"WEBVTT\n\nThis is no sound.\n")
    response = _upload(api_as("alice"), meeting, file=notes)
    assert response.status_code == 415
    detail = response.json()["detail"]
    assert detail.startswith("notes.wav: ")  # the file, and why it is not sound
    assert not Recording.objects.exists() and not Transcript.objects.exists()


def test_a_recording_longer_than_the_setting_is_422_naming_it(api_as, meeting, settings):
    settings.TETE_RECORDING_MAX_HOURS = 0.0001  # 0.36 s; the file lasts 2 s
    response = _upload(api_as("alice"), meeting)
    assert response.status_code == 422
    assert "TETE_RECORDING_MAX_HOURS" in response.json()["detail"]
    assert not Recording.objects.exists()


def test_tracks_need_the_other_persons_file_as_on_the_page(api_as, meeting):
    response = _upload(api_as("alice"), meeting, kind="tracks")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "second_file"
    assert not Recording.objects.exists()


def test_an_unknown_kind_is_422(api_as, meeting):
    response = _upload(api_as("alice"), meeting, kind="cassette")
    assert response.status_code == 422
    assert "kind" in response.json()["detail"]


def test_the_other_participant_deletes_a_recording_and_its_report(api_as, recording):
    api = api_as("bob")
    assert api.delete(f"/api/v1/recordings/{recording.pk}").status_code == 204
    assert api.get(f"/api/v1/recordings/{recording.pk}").status_code == 404
    assert not Recording.objects.exists() and not Transcript.objects.exists()
