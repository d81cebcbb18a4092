"""A one-microphone recording already analysed, made without sound (no flite needed): what
its analysis kept, who spoke when by voice, stands in for the sound."""

from __future__ import annotations

import io
import wave

from django.utils import timezone

from tete.recordings.models import AudioFile, Recording, RecordingKind, VoiceSample
from tete.reports import actions as report_actions
from tete.reports.models import Transcript


def speech(seconds: int = 120) -> dict:
    """Two voices taking turns of 6 and 4 seconds with a short pause."""
    segments, at, turn = [], 0.0, 0
    while at < seconds:
        length = 6.0 if turn % 2 == 0 else 4.0
        segments.append([f"voice {turn % 2 + 1}", at, at + length])
        at += length + 0.5
        turn += 1
    return {
        "source": "table.webm",
        "dialect": "one microphone",
        "warnings": [],
        "segments": segments,
        "recording": {
            "kind": "one_microphone",
            "estimate": True,
            "method": "one microphone: webrtc voice activity, voices told apart by MFCC "
            "clustering (an estimate)",
            "duration_s": float(seconds),
            "sample_rate": 48000,
            "channels": 1,
            "voices": [
                {"name": "voice 1", "label": "voice 1", "excerpts": [[0.0, 4.0]]},
                {"name": "voice 2", "label": "voice 2", "excerpts": [[6.5, 9.5]]},
            ],
        },
    }


def silent_wav(seconds: float = 1.0) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * int(16000 * seconds))
    return buffer.getvalue()


def analysed_recording(
    meeting, by, *, consent: bool = True, filename: str = "recording.webm"
) -> Recording:
    """A browser recording of ``meeting`` by ``by``, analysed, with its voice samples."""
    now = timezone.now()
    recording = Recording.objects.create(
        meeting=meeting,
        kind=RecordingKind.BROWSER,
        created_by=by,
        consent_given_at=now if consent else None,
        speech=speech(),
        sound_deleted_at=now,
        samples_expire_at=now + timezone.timedelta(hours=24),
    )
    AudioFile.objects.create(recording=recording, filename=filename)
    for label in ("voice 1", "voice 2"):
        VoiceSample.objects.create(recording=recording, label=label, data=silent_wav())
    transcript = Transcript.objects.create(
        meeting=meeting,
        uploaded_by=by,
        filename=filename,
        format=report_actions.AUDIO_FORMAT,
        sha256=f"recording-{recording.pk}",
    )
    Recording.objects.filter(pk=recording.pk).update(transcript=transcript)
    report_actions.run_analysis(transcript.pk)
    recording.refresh_from_db()
    return recording
