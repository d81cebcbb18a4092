"""The demo has one report from a recording (where flite is installed): a held meeting of
Alice and Bob, recorded in the browser, analysed as one microphone (an estimate)."""

from __future__ import annotations

import logging
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conversation.audio.conftest import need_flite
from tete.demo import people as demo_people
from tete.demo import recordings as demo_recordings
from tete.demo import synth
from tete.demo.oneonones import build as build_oneonones
from tete.oneonones.models import MeetingStatus
from tete.recordings.models import Recording, RecordingKind
from tete.reports.models import TranscriptStatus

pytestmark = pytest.mark.django_db


def _org():
    rng = random.Random(7)
    org = demo_people.build(rng)
    build_oneonones(org, rng)
    return org, rng


def test_the_demo_has_an_audio_report_on_a_held_meeting(client):
    need_flite()
    org, rng = _org()
    state = rng.getstate()
    demo_recordings.build(org, rng)
    # The conversation has a seed of its own: what the other builders drew before it changes
    # with the time of day, and one such draw gave voices the analysis heard as one.
    assert rng.getstate() == state

    recording = Recording.objects.select_related("transcript__report", "meeting").get()
    assert recording.kind == RecordingKind.BROWSER
    assert recording.meeting.status == MeetingStatus.HELD
    assert recording.created_by == org.people["bob"]
    transcript = recording.transcript
    assert transcript.status == TranscriptStatus.DONE, transcript.failure_reason
    data = transcript.report.data
    assert data["source_kind"] == "audio" and data["estimate"] is True
    assert recording.sound_deleted_at is not None and recording.samples.count() == 2
    # Recorded during the meeting, not when the demo was built.
    held = recording.meeting.held_at or recording.meeting.scheduled_at
    assert recording.consent_given_at == held
    assert transcript.filename == f"recording-{timezone.localtime(held):%Y-%m-%d-%H%M}.webm"

    client.force_login(org.people["alice"])
    page = client.get(reverse("reports:report", args=[transcript.pk])).content.decode()
    assert "An estimate." in page
    assert "Recorded in the browser by Bob Jones" in page


def test_without_flite_the_demo_has_no_recording_and_says_so(monkeypatch, caplog):
    org, rng = _org()
    monkeypatch.setattr(synth, "have_flite", lambda: False)
    with caplog.at_level(logging.WARNING, logger="tete.demo.recordings"):
        demo_recordings.build(org, rng)
    assert not Recording.objects.exists()
    assert "flite is not installed" in caplog.text
