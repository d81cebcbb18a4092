"""An analysis runs within a memory and a time limit, retries a dead worker's analysis a few
times, and tells the person in plain words why it failed — never an exception's text."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.urls import reverse
from django.utils import timezone

from tete.reports import actions
from tete.reports.models import ConversationReport, Transcript

from .conftest import sample_vtt


def _upload(meeting, person, seed=40, filename="call.vtt"):
    return actions.upload_transcript(
        meeting, by=person, filename=filename, content=sample_vtt(seed=seed)
    ).transcript


def test_an_unreadable_file_says_why_in_plain_words(meeting, alice, client_for):
    content = b"1\n00:00:01,000 --> 00:00:02,000\nAlice: hi\n\n2\n00:00:03,000 --> later\n"
    transcript = actions.upload_transcript(
        meeting, by=alice, filename="bad.srt", content=content
    ).transcript
    assert transcript.status == "failed"
    reason = "The file could not be read: SRT cue timings not understood (line 6)."
    assert transcript.failure_reason == reason
    page = client_for(alice).get(reverse("reports:report", args=[transcript.pk]))
    assert reason in page.content.decode()


def test_an_unexpected_error_never_reaches_the_page_its_details_go_to_the_log(
    meeting, alice, client_for, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals: /srv/tete/db password=hunter2")

    monkeypatch.setattr(actions, "analyse_for_oneonone", broken)
    with caplog.at_level(logging.ERROR, logger="tete.reports.actions"):
        transcript = _upload(meeting, alice)
    assert transcript.status == "failed"
    assert transcript.failure_reason == actions.UNEXPECTED_FAILURE
    for url in (
        reverse("reports:report", args=[transcript.pk]),
        reverse("oneonones:meeting", args=[meeting.pk]),
    ):
        page = client_for(alice).get(url).content.decode()
        assert "fault in Tête-à-tête, not in your file" in page
        assert "hunter2" not in page and "RuntimeError" not in page
    assert "RuntimeError: secret internals" in caplog.text


def test_an_analysis_past_the_time_limit_fails_saying_the_limit(
    meeting, alice, settings, monkeypatch
):
    settings.TETE_ANALYSIS_TIME_LIMIT_SECONDS = 1

    def endless(*args, **kwargs):
        while True:
            time.sleep(0.05)

    monkeypatch.setattr(actions, "analyse_for_oneonone", endless)
    started = time.monotonic()
    transcript = _upload(meeting, alice)
    assert time.monotonic() - started < 10
    assert transcript.status == "failed"
    assert transcript.failure_reason == "The analysis took longer than the 1-second limit."
    # The process that ran it goes on: the next upload is analysed (with room for a busy
    # machine, where a real analysis can take more than a second).
    monkeypatch.undo()
    settings.TETE_ANALYSIS_TIME_LIMIT_SECONDS = 60
    assert _upload(meeting, alice, seed=41, filename="next.vtt").status == "done"


def test_an_analysis_past_the_memory_limit_fails_saying_the_limit(
    meeting, alice, settings, monkeypatch
):
    settings.TETE_ANALYSIS_MEMORY_MB = 64

    def greedy(*args, **kwargs):
        hoard = []
        for _ in range(100):
            hoard.append(bytearray(16 * 1024 * 1024))  # 1.6 GB if nothing stopped it
        return hoard

    monkeypatch.setattr(actions, "analyse_for_oneonone", greedy)
    transcript = _upload(meeting, alice)
    assert transcript.status == "failed"
    assert transcript.failure_reason == "The analysis needed more than the 64 MB memory limit."
    assert not ConversationReport.objects.exists()


def test_a_file_beyond_the_transcript_limits_is_refused_naming_the_limit(meeting, alice, settings):
    settings.TETE_TRANSCRIPT_MAX_CUES = 10
    transcript = _upload(meeting, alice)
    assert transcript.status == "failed"
    assert transcript.failure_reason == (
        "The file could not be read: more than 10 cues (the most a transcript may hold)."
    )


# --- Leases and attempts ------------------------------------------------------------------


def _abandon(transcript, *, attempts=1, seconds_ago=120):
    """What a worker killed mid-analysis leaves: running, its lease not renewed since."""
    long_ago = timezone.now() - dt.timedelta(seconds=seconds_ago)
    Transcript.objects.filter(pk=transcript.pk).update(
        status="running", started_at=long_ago, heartbeat_at=long_ago, attempts=attempts
    )
    ConversationReport.objects.filter(transcript=transcript).delete()


def test_a_running_analysis_renews_its_lease(meeting, alice, monkeypatch):
    renewals: list[int] = []
    monkeypatch.setattr(actions, "HEARTBEAT_S", 0.2)
    original = actions._renew_lease

    def renew(transcript_id):
        renewals.append(transcript_id)
        original(transcript_id)

    monkeypatch.setattr(actions, "_renew_lease", renew)
    real = actions.analyse_for_oneonone

    def slow(*args, **kwargs):
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "analyse_for_oneonone", slow)
    transcript = _upload(meeting, alice)
    assert transcript.status == "done"
    assert len(renewals) >= 2 and set(renewals) == {transcript.pk}


def test_an_abandoned_analysis_is_queued_again_within_the_lease(meeting, alice, settings):
    transcript = _upload(meeting, alice)
    _abandon(transcript, seconds_ago=settings.TETE_ANALYSIS_LEASE_SECONDS + 1)
    assert actions.requeue_stuck_transcripts() == [transcript.pk]  # immediate: it ran again
    transcript.refresh_from_db()
    assert transcript.status == "done" and transcript.attempts == 2


def test_a_live_lease_is_left_alone(meeting, alice, settings):
    transcript = _upload(meeting, alice)
    _abandon(transcript, seconds_ago=settings.TETE_ANALYSIS_LEASE_SECONDS - 5)
    assert actions.requeue_stuck_transcripts() == []
    # A duplicate task does not run it a second time either.
    assert actions.run_analysis(transcript.pk) == "running"


def test_the_lease_is_about_a_minute_by_default():
    from django.conf import settings as django_settings

    from tete.reports.recovery import recovery_interval

    lease = django_settings.TETE_ANALYSIS_LEASE_SECONDS
    # Noticed at most one recovery round after the lease ran out.
    assert lease + recovery_interval() <= 60
    assert actions.heartbeat_seconds() * 4 <= lease


def test_after_three_attempts_an_abandoned_analysis_fails(meeting, alice, client_for):
    transcript = _upload(meeting, alice)
    _abandon(transcript, attempts=3)
    assert actions.requeue_stuck_transcripts() == []
    transcript.refresh_from_db()
    assert transcript.status == "failed"
    assert transcript.failure_reason.startswith(
        "The analysis stopped before it finished 3 times, the most it is tried."
    )
    # A task still in the queue does not try a fourth time.
    _abandon(transcript, attempts=3)
    assert actions.run_analysis(transcript.pk) == "failed"
    transcript.refresh_from_db()
    assert transcript.attempts == 3


def test_uploading_an_abandoned_file_again_analyses_it_again(meeting, alice):
    transcript = _upload(meeting, alice)
    _abandon(transcript, attempts=3)
    again = actions.upload_transcript(
        meeting, by=alice, filename="again.vtt", content=sample_vtt(seed=40)
    )
    assert again.duplicate and again.retried
    assert "being analysed again" in again.duplicate_message
    transcript.refresh_from_db()
    assert transcript.status == "done" and transcript.attempts == 1


def test_uploading_a_failed_file_again_analyses_it_again(meeting, alice, monkeypatch):
    monkeypatch.setattr(actions, "analyse_for_oneonone", lambda *a, **k: 1 / 0)
    transcript = _upload(meeting, alice)
    assert transcript.status == "failed"
    monkeypatch.undo()
    again = actions.upload_transcript(
        meeting, by=alice, filename="again.vtt", content=sample_vtt(seed=40)
    )
    assert again.retried
    transcript.refresh_from_db()
    assert transcript.status == "done"


def test_uploading_a_file_being_analysed_shows_that_analysis(meeting, alice, settings):
    transcript = _upload(meeting, alice)
    _abandon(transcript, seconds_ago=1)  # running, with a live lease
    again = actions.upload_transcript(
        meeting, by=alice, filename="again.vtt", content=sample_vtt(seed=40)
    )
    assert again.duplicate and not again.retried
    assert again.transcript.status == "running"
    assert "showing that one" in again.duplicate_message
