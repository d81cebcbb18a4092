"""Every recording URL as participant, other participant, outsider, staff and anonymous
visitor; wrong methods; the upload page's limits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tete.recordings import actions
from tete.recordings.models import Recording, RecordingKind, VoiceSample

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def browser_recording(meeting, alice):
    return actions.start_browser_recording(
        meeting, by=alice, consent=True, content_type="audio/webm;codecs=opus"
    )


@pytest.fixture
def sample(browser_recording):
    return VoiceSample.objects.create(recording=browser_recording, label="voice 1", data=b"RIFF..")


def _urls(meeting, recording, sample):
    """name → (URL, methods it takes)."""
    return {
        "upload": (reverse("recordings:upload", args=[meeting.pk]), {"get", "post"}),
        "start": (reverse("recordings:start", args=[meeting.pk]), {"post"}),
        "chunk": (reverse("recordings:chunk", args=[recording.pk, 0]), {"post"}),
        "continue": (reverse("recordings:continue", args=[recording.pk]), {"post"}),
        "state": (reverse("recordings:state", args=[recording.pk]), {"get"}),
        "finish": (reverse("recordings:finish", args=[recording.pk]), {"post"}),
        "delete": (reverse("recordings:delete", args=[recording.pk]), {"get", "post"}),
        "voice": (
            reverse("recordings:voice_sample", args=[recording.pk, sample.pk]),
            {"get"},
        ),
    }


@pytest.mark.parametrize(
    "name", ["upload", "start", "chunk", "continue", "state", "finish", "delete", "voice"]
)
def test_outsiders_and_staff_get_404_anonymous_visitors_sign_in(
    name, client_for, meeting, browser_recording, sample, carol, admin
):
    url, methods = _urls(meeting, browser_recording, sample)[name]
    for method in methods:
        for person in (carol, admin):
            response = getattr(client_for(person), method)(url)
            assert response.status_code == 404, (name, method, person)
        response = getattr(client_for(None), method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert Recording.objects.filter(pk=browser_recording.pk).exists()


@pytest.mark.parametrize(
    "name", ["upload", "start", "chunk", "continue", "state", "finish", "delete", "voice"]
)
def test_wrong_methods_get_405(name, client_for, meeting, browser_recording, sample, bob):
    url, methods = _urls(meeting, browser_recording, sample)[name]
    for method in {"get", "post", "put"} - methods:
        assert getattr(client_for(bob), method)(url).status_code == 405


def test_both_participants_reach_the_pages(
    client_for, meeting, browser_recording, sample, alice, bob
):
    for person in (alice, bob):
        client = client_for(person)
        urls = _urls(meeting, browser_recording, sample)
        page = client.get(urls["upload"][0])
        assert page.status_code == 200
        assert b"Record in the browser" in page.content
        assert b"recorder.js" in page.content
        assert client.get(urls["state"][0]).json()["received"] == 0
        assert client.get(urls["delete"][0]).status_code == 200
        voice = client.get(urls["voice"][0])
        assert voice.status_code == 200 and voice["Content-Type"] == "audio/wav"


def test_a_voice_sample_is_gone_once_deleted(client_for, meeting, browser_recording, sample, bob):
    url = _urls(meeting, browser_recording, sample)["voice"][0]
    sample.delete()
    assert client_for(bob).get(url).status_code == 404


def test_the_meeting_page_links_to_recording_and_lists_unfinished_ones(
    client_for, meeting, browser_recording, bob
):
    page = client_for(bob).get(reverse("oneonones:meeting", args=[meeting.pk]))
    text = page.content.decode()
    assert reverse("recordings:upload", args=[meeting.pk]) in text
    assert reverse("recordings:finish", args=[browser_recording.pk]) in text
    assert "was not finished" in text


def test_start_needs_consent(client_for, meeting, alice):
    url = reverse("recordings:start", args=[meeting.pk])
    refused = client_for(alice).post(url, {"content_type": "audio/webm"}, **JSON)
    assert refused.status_code == 400
    assert "agree" in refused.json()["error"]
    started = client_for(alice).post(url, {"content_type": "audio/webm", "consent": "on"}, **JSON)
    assert started.status_code == 201
    recording = Recording.objects.get(pk=started.json()["id"])
    assert recording.consent_given_at is not None and recording.created_by == alice


def test_start_refuses_what_is_not_audio(client_for, meeting, alice):
    url = reverse("recordings:start", args=[meeting.pk])
    response = client_for(alice).post(url, {"content_type": "video/x-msvideo", "consent": "on"})
    assert response.status_code == 400
    assert not Recording.objects.exists()


def test_a_file_past_the_recording_limit_is_refused_naming_it(client_for, meeting, bob, settings):
    settings.TETE_MAX_RECORDING_BYTES = 64 * 1024
    upload = SimpleUploadedFile("long.wav", b"x" * (256 * 1024))
    response = client_for(bob).post(
        reverse("recordings:upload", args=[meeting.pk]),
        {"kind": RecordingKind.ONE_MICROPHONE, "file": upload},
    )
    assert response.status_code == 400
    assert "The file is larger than 64 KB, the largest file accepted." in response.content.decode()
    assert not Recording.objects.exists()


def test_a_recording_larger_than_a_transcript_is_taken(client_for, meeting, bob, settings):
    """Recordings have their own limit, above the transcripts' one."""
    settings.TETE_MAX_UPLOAD_BYTES = 16 * 1024
    upload = SimpleUploadedFile("big.wav", b"y" * (64 * 1024))
    response = client_for(bob).post(
        reverse("recordings:upload", args=[meeting.pk]),
        {"kind": RecordingKind.ONE_MICROPHONE, "file": upload},
    )
    assert response.status_code == 302
    recording = Recording.objects.get()
    assert recording.files.get().size_bytes == 64 * 1024


def test_tracks_need_the_second_file(client_for, meeting, bob):
    upload = SimpleUploadedFile("alice.wav", b"z" * 100)
    response = client_for(bob).post(
        reverse("recordings:upload", args=[meeting.pk]),
        {"kind": RecordingKind.TRACKS, "file": upload},
    )
    assert response.status_code == 400
    assert "Add the other person" in response.content.decode()


def test_uploads_are_limited_per_person_per_hour(client_for, meeting, bob, settings):
    settings.TETE_UPLOADS_PER_HOUR = 1
    url = reverse("recordings:upload", args=[meeting.pk])
    client = client_for(bob)
    first = SimpleUploadedFile("a.wav", b"a" * 100)
    assert client.post(url, {"kind": "one_microphone", "file": first}).status_code == 302
    second = SimpleUploadedFile("b.wav", b"b" * 100)
    response = client.post(url, {"kind": "one_microphone", "file": second})
    assert response.status_code == 429
    assert "You can upload 1 recordings per hour" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Recording.objects.count() == 1


def test_a_body_larger_than_a_recording_is_refused_unread_naming_the_limit(
    client_for, meeting, bob
):
    response = client_for(bob).generic(
        "POST",
        reverse("recordings:upload", args=[meeting.pk]),
        b"x" * 100,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    assert "the largest file accepted is 500.0 MB" in response.content.decode()
    assert not Recording.objects.exists()
