"""The report on a recording says what it is: an estimate, who recorded, when both agreed,
and what was not measured; "who is who" plays each voice while its sample is kept."""

from __future__ import annotations

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
