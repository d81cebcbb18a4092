"""Uploads are bounded as they stream in, and each person uploads at most so many an hour."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.urls import reverse

from tete.reports.models import Transcript

from .conftest import sample_vtt


@pytest.fixture
def upload_url(meeting) -> str:
    return reverse("reports:upload", args=[meeting.pk])


def test_a_file_past_the_limit_is_dropped_while_it_streams_in(
    client_for, bob, upload_url, settings, monkeypatch
):
    settings.TETE_MAX_UPLOAD_BYTES = 256 * 1024
    kept: list[int] = []
    original = MemoryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        kept.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", counting)
    upload = SimpleUploadedFile("big.vtt", b"x" * (3 * 1024 * 1024))
    response = client_for(bob).post(upload_url, {"file": upload})
    assert response.status_code == 400
    assert "The file is larger than 256 KB, the largest file accepted." in response.content.decode()
    # What reached the handlers that keep a file: never more than the limit and one chunk.
    assert sum(kept) <= settings.TETE_MAX_UPLOAD_BYTES + 64 * 1024
    assert not Transcript.objects.exists()


def test_a_body_larger_than_any_form_takes_is_refused_unread(client_for, bob, upload_url):
    response = client_for(bob).generic(
        "POST",
        upload_url,
        b"x" * 100,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert "This upload is 2048.0 MB; the largest file accepted is 5.0 MB." in text
    assert not Transcript.objects.exists()


def test_uploads_are_limited_per_person_per_hour(client_for, alice, bob, upload_url, settings):
    settings.TETE_UPLOADS_PER_HOUR = 2
    client = client_for(bob)
    for seed in (1, 2):
        upload = SimpleUploadedFile(f"{seed}.vtt", sample_vtt(seed=seed))
        assert client.post(upload_url, {"file": upload}).status_code == 302
    third = client.post(upload_url, {"file": SimpleUploadedFile("3.vtt", sample_vtt(seed=3))})
    assert third.status_code == 429
    assert 0 < int(third["Retry-After"]) <= 3600
    text = third.content.decode()
    assert "You can upload 2 transcripts per hour, and have reached that limit." in text
    assert "You can upload again in " in text
    assert Transcript.objects.count() == 2
    # The limit is per person: alice still can.
    client = client_for(alice)
    upload = SimpleUploadedFile("4.vtt", sample_vtt(seed=4))
    assert client.post(upload_url, {"file": upload}).status_code == 302


def test_a_people_import_past_the_limit_names_the_limit_too(client_for, admin, settings):
    settings.TETE_MAX_UPLOAD_BYTES = 1024
    upload = SimpleUploadedFile("people.csv", b"name,email\n" + b"a,a@example.com\n" * 500)
    response = client_for(admin).post(reverse("people:import"), {"file": upload})
    assert response.status_code in (200, 400)
    assert "The file is larger than 1 KB, the largest file accepted." in response.content.decode()
