"""The analysis's progress travels from its child process to the meeting page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tete.recordings.analysis import _SharedProgress
from tete.recordings.models import Recording, RecordingKind
from tete.reports import actions as report_actions
from tete.reports import isolation, sections
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


def test_the_meeting_page_reads_every_recordings_progress_with_its_transcripts(
    client_for, meeting, alice, bob, django_assert_num_queries
):
    for percent in (12, 64):
        transcript = Transcript.objects.create(
            meeting=meeting,
            uploaded_by=alice,
            filename=f"part-{percent}.m4a",
            format=report_actions.AUDIO_FORMAT,
            sha256=str(percent) * 32,
        )
        Recording.objects.create(
            meeting=meeting,
            kind=RecordingKind.ONE_MICROPHONE,
            created_by=alice,
            transcript=transcript,
            progress=percent,
        )
    with django_assert_num_queries(1):
        transcripts = sections.meeting_transcripts(meeting)
    assert sorted(t.progress for t in transcripts) == [12, 64]
    # The row the meeting page polls says the same.
    client = client_for(bob)
    row = client.get(reverse("reports:status", args=[transcripts[0].pk]), HTTP_HX_REQUEST="true")
    assert f"Queued {transcripts[0].progress}%" in " ".join(row.content.decode().split())


def test_the_recording_page_allows_the_microphone_for_this_site_only(client_for, meeting, bob):
    response = client_for(bob).get(reverse("recordings:upload", args=[meeting.pk]))
    assert "microphone=(self)" in response["Permissions-Policy"]
