"""The analysis's progress travels from its child process to the meeting page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tete.recordings.analysis import _SharedProgress
from tete.recordings.models import Recording, RecordingKind
from tete.reports import actions as report_actions
from tete.reports import isolation
from tete.reports.models import Transcript

pytestmark = pytest.mark.django_db


def test_the_child_process_progress_reaches_the_parent():
    progress = _SharedProgress()

    def work() -> int:
        progress.set(0.42)
        return 1

    assert isolation.run_limited(work, memory_mb=256, seconds=10) == 1
    assert progress.percent() == 42


def test_the_meeting_page_shows_a_pending_analysis_in_percent(client_for, meeting, alice, bob):
    transcript = Transcript.objects.create(
        meeting=meeting,
        uploaded_by=alice,
        filename="table.m4a",
        format=report_actions.AUDIO_FORMAT,
        sha256="x" * 64,
    )
    Recording.objects.create(
        meeting=meeting,
        kind=RecordingKind.ONE_MICROPHONE,
        created_by=alice,
        transcript=transcript,
        progress=37,
    )
    page = client_for(bob).get(reverse("oneonones:meeting", args=[meeting.pk]))
    assert "Queued 37%" in " ".join(page.content.decode().split())


def test_the_recording_page_allows_the_microphone_for_this_site_only(client_for, meeting, bob):
    response = client_for(bob).get(reverse("recordings:upload", args=[meeting.pk]))
    assert "microphone=(self)" in response["Permissions-Policy"]
