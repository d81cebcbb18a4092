"""The report page stays small whatever the transcript: long, chatty or crowded."""

from __future__ import annotations

from django.urls import reverse

from tete.reports import actions, analysis, presenters

from .conftest import sample_vtt

#: The most a report page may weigh (a 25-minute meeting's page is about 60 KB).
MAX_PAGE_BYTES = 300 * 1024


def _page(client, transcript) -> bytes:
    response = client.get(reverse("reports:report", args=[transcript.pk]))
    assert response.status_code == 200
    return response.content


def test_a_ten_hour_transcript_gives_a_small_page(client_for, alice, meeting):
    result = actions.upload_transcript(
        meeting, by=alice, filename="ten-hours.vtt", content=sample_vtt(seed=3, minutes=600)
    )
    assert result.transcript.status == "done"
    segments = len(result.transcript.report.data["segments"])
    assert segments > 3000
    page = _page(client_for(alice), result.transcript)
    assert len(page) < MAX_PAGE_BYTES, f"{len(page) // 1024} KB for {segments} segments"


def test_a_transcript_with_many_speakers_and_commitments_gives_a_small_page(
    client_for, alice, meeting
):
    cues = ["WEBVTT", ""]
    for index in range(3000):
        start = index * 4
        cues += [
            f"{start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d}.000 --> "
            f"{start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d}.900",
            f"<v Guest {index % 400}>I'll send the report number {index} by Friday.</v>",
            "",
        ]
    content = "\n".join(cues).encode()
    result = actions.upload_transcript(meeting, by=alice, filename="crowd.vtt", content=content)
    assert result.transcript.status == "done"
    report = result.transcript.report
    assert len(report.data["speakers"]) == 400
    assert report.suggestions.count() == analysis.MAX_SUGGESTIONS
    html = _page(client_for(alice), result.transcript)
    assert len(html) < MAX_PAGE_BYTES, f"{len(html) // 1024} KB"
    text = html.decode()
    assert f"{400 - presenters.MAX_SPEAKER_ROWS} more speakers (" in text
    assert "more were heard" in text
