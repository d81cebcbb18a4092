"""The report on a recording says what it is: an estimate, who recorded, when both agreed,
and what was not measured; "who is who" plays each voice while its sample is kept."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.urls import reverse

from tete.recordings.models import VoiceSample

from .factories import analysed_recording

pytestmark = pytest.mark.django_db


def test_the_report_says_estimate_consent_and_what_is_not_measured(client_for, meeting, alice, bob):
    recording = analysed_recording(meeting, alice)
    page = client_for(bob).get(reverse("reports:report", args=[recording.transcript_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "An estimate." in text
    assert "Recorded in the browser by Alice Martin; both agreed to recording at" in text
    assert "Not measured for" in text  # interruptions, on one microphone
    assert "Not available for a recording" in text  # suggested action items
    assert "None" not in text.split("<main", 1)[1]


def test_who_is_who_plays_each_voice_until_the_samples_go(client_for, meeting, alice, bob):
    recording = analysed_recording(meeting, alice)
    url = reverse("reports:speakers", args=[recording.transcript_id])
    text = client_for(bob).get(url).content.decode()
    samples = list(VoiceSample.objects.filter(recording=recording))
    for sample in samples:
        assert reverse("recordings:voice_sample", args=[recording.pk, sample.pk]) in text
    VoiceSample.objects.all().delete()
    text = client_for(bob).get(url).content.decode()
    assert "voice samples of this recording were deleted" in text


def test_saying_who_is_who_fills_the_trend_columns(client_for, meeting, alice, bob):
    recording = analysed_recording(meeting, alice)
    response = client_for(alice).post(
        reverse("reports:speakers", args=[recording.transcript_id]),
        {"speaker_0": str(bob.pk), "speaker_1": str(alice.pk)},
    )
    assert response.status_code == 302
    report = recording.transcript.report
    report.refresh_from_db()
    # voice 1 talks 6 s a turn, voice 2 4 s: bob (voice 1) has 60 %.
    assert report.speaker_people == {"Bob Jones": bob.pk, "Alice Martin": alice.pk}
    assert report.share_of(bob.pk) == pytest.approx(0.6, abs=0.02)


def test_the_trends_say_which_meetings_are_estimates(client_for, meeting, alice, bob):
    recording = analysed_recording(meeting, alice)
    from tete.reports.trends import meeting_figures

    (point,) = meeting_figures(meeting.oneonone)
    assert point.transcript_id == recording.transcript_id
    assert point.date_label.endswith("(estimate)")


def test_trends_leave_a_gap_for_what_a_recording_does_not_measure(client_for, meeting, alice, bob):
    """No words in a recording, no overlaps told apart on one microphone: those points are
    gaps in the trend, "—" in its table, and the coaching note does not count them as zero."""
    from tete.oneonones.models import Meeting, MeetingStatus
    from tete.reports import actions as report_actions
    from tete.reports.samples import generate_webvtt
    from tete.reports.trends import build_trends, meeting_figures

    recording = analysed_recording(meeting, alice)
    earlier = Meeting.objects.create(
        oneonone=meeting.oneonone,
        scheduled_at=meeting.scheduled_at - dt.timedelta(days=7),
        status=MeetingStatus.HELD,
    )
    vtt = generate_webvtt(random.Random(3), "Alice Martin", "Bob Jones").encode()
    report_actions.upload_transcript(earlier, by=alice, filename="call.vtt", content=vtt)
    written, recorded = meeting_figures(meeting.oneonone)
    assert recorded.transcript_id == recording.transcript_id
    assert set(recorded.questions.values()) == {None}
    assert set(recorded.interruptions.values()) == {None}
    assert None not in written.questions.values() and None not in written.interruptions.values()
    trends = build_trends(meeting.oneonone, alice)
    newest = trends.rows[0]
    assert (newest["first_questions"], newest["first_interruptions"]) == ("—", "—")
    assert "None" not in str(trends.charts["questions"]) + " ".join(trends.note)
    page = client_for(alice).get(reverse("oneonones:detail", args=[meeting.oneonone_id]))
    assert page.status_code == 200
