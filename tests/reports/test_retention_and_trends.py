"""Retention, retries, trends with a long history (query budgets), name matching, due dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tete.oneonones.models import Meeting, MeetingStatus
from tete.reports import actions
from tete.reports.due_dates import due_date_from_phrase
from tete.reports.models import ConversationReport, Transcript
from tete.reports.speakers import Candidate, suggest_mapping
from tete.reports.trends import build_trends

from .conftest import sample_vtt


def test_retention_removes_the_text_and_keeps_the_figures(transcript, settings):
    settings.TETE_TRANSCRIPT_RETENTION_DAYS = 30
    Transcript.objects.filter(pk=transcript.pk).update(
        uploaded_at=timezone.now() - dt.timedelta(days=31)
    )
    call_command("purge_transcripts")
    transcript.refresh_from_db()
    report = ConversationReport.objects.get(transcript=transcript)
    assert transcript.content is None and transcript.content_purged_at is not None
    assert all(segment["text"] == "" for segment in report.data["segments"])
    assert not report.suggestions.exclude(quote="").exists()
    assert report.first_share is not None and report.duration_s > 0
    with pytest.raises(Exception, match="retention"):
        actions.save_speaker_mapping(transcript, by=transcript.uploaded_by, mapping={})


def test_retention_keeps_recent_transcripts(transcript, settings):
    settings.TETE_TRANSCRIPT_RETENTION_DAYS = 30
    assert actions.purge_expired_transcripts() == 0
    transcript.refresh_from_db()
    assert transcript.has_content


def test_the_requeue_command_retries_only_stale_analyses(transcript, meeting, alice):
    stale = timezone.now() - dt.timedelta(hours=1)
    Transcript.objects.filter(pk=transcript.pk).update(status="running", started_at=stale)
    fresh = actions.upload_transcript(
        meeting, by=alice, filename="b.vtt", content=sample_vtt(seed=30)
    ).transcript
    Transcript.objects.filter(pk=fresh.pk).update(status="running", started_at=timezone.now())
    call_command("requeue_transcripts")
    # Immediate backend: the stale one ran again at once; the fresh one is left alone.
    assert Transcript.objects.get(pk=transcript.pk).status == "done"
    assert Transcript.objects.get(pk=fresh.pk).status == "running"


@pytest.fixture
def long_history(oneonone, alice, bob):
    """Twelve held meetings with a transcript each; Bob talks more as time goes on."""
    now = timezone.now()
    for week in range(12):
        meeting = Meeting.objects.create(
            oneonone=oneonone,
            scheduled_at=now - dt.timedelta(weeks=12 - week),
            status=MeetingStatus.HELD,
        )
        actions.upload_transcript(
            meeting,
            by=alice,
            filename=f"w{week}.vtt",
            content=sample_vtt(seed=100 + week, lead_share=0.8 - week * 0.03, minutes=3),
        )
    return oneonone


def test_the_coaching_note_reads_the_figures(long_history, alice):
    trends = build_trends(long_history, alice)
    assert len(trends.points) == 12
    note = " ".join(trends.note)
    assert note.startswith("Bob spoke")
    assert "over the last 5 meetings; for a report the target is at least 50%" in note
    assert "up from" in note
    assert set(trends.charts) == {"share", "interruptions", "questions", "length", "on_time"}


def test_the_one_on_one_pages_trends_are_read_in_one_query(
    long_history, alice, django_assert_num_queries
):
    with django_assert_num_queries(1):
        compact = build_trends(long_history, alice, compact=True)
    full = build_trends(long_history, alice)
    # Only the two charts the one-on-one page shows, the same as on the trends page.
    assert set(compact.charts) == {"share", "interruptions"}
    assert compact.charts == {name: full.charts[name] for name in compact.charts}
    assert compact.note == full.note and len(compact.rows) == len(full.rows) == 12


def test_pages_keep_their_query_count_with_a_long_history(
    long_history, client_for, alice, django_assert_max_num_queries
):
    client = client_for(alice)
    transcript = Transcript.objects.filter(meeting__oneonone=long_history).first()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:trends", args=[long_history.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:report", args=[transcript.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("oneonones:detail", args=[long_history.pk])).status_code == 200


def test_speaker_labels_are_matched_by_name():
    people = [Candidate(1, "Alice Martin", "alice@example.com"), Candidate(2, "Bob Jones")]
    assert suggest_mapping(["Jones, Bob", "alice"], people) == {"Jones, Bob": 2, "alice": 1}
    assert suggest_mapping(["Speaker 1", "Speaker 2"], people) == {
        "Speaker 1": None,
        "Speaker 2": None,
    }
    # One known name: the other voice in a two-person call is the other person.
    assert suggest_mapping(["Alice M.", "iPhone 12"], people) == {"Alice M.": 1, "iPhone 12": 2}


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("by Friday", dt.date(2026, 3, 6)),  # said on Monday 2 March 2026
        ("tomorrow", dt.date(2026, 3, 3)),
        ("next week", dt.date(2026, 3, 9)),
        ("end of the month", dt.date(2026, 3, 31)),
        ("by next Friday", dt.date(2026, 3, 13)),
        ("March 20th", dt.date(2026, 3, 20)),
        ("someday", None),
    ],
)
def test_due_dates_count_from_the_meeting(phrase, expected):
    assert due_date_from_phrase(phrase, dt.date(2026, 3, 2)) == expected
