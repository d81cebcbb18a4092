"""Recordings of a meeting: their sound, held only until it is analysed, and who consented.

A recording becomes a conversation report through the same analysis as a transcript: its
report hangs off a ``reports.Transcript`` row of format "audio" (status, lease, retries,
report and speaker mapping are the transcript's). What is here is what only a recording has:

* the sound itself, as numbered chunks in the database (so every app server and worker
  reaches it without a shared disk), deleted as soon as the analysis succeeds;
* who spoke when by label ("voice 1", "left", "alice.m4a"), kept without any sound, so that
  saying who is who recomputes the report after the sound is gone;
* a few seconds of each voice of a one-microphone recording, kept for
  TETE_VOICE_SAMPLE_HOURS so that the two people can tell who is who;
* for a recording made in the browser, who recorded and when both agreed to it.

All of it is one-on-one content (DESIGN.md access rule 1): views reach it only through
recordings/access.py, and nothing here is registered in Django's admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tete.oneonones.models import Meeting
from tete.reports.models import Transcript


class RecordingKind(models.TextChoices):
    TRACKS = "tracks", "One file per person"
    CHANNELS = "channels", "One file, one person per channel"
    ONE_MICROPHONE = "one_microphone", "One file, one microphone (an estimate)"
    BROWSER = "browser", "Recorded in the browser"


class RecordingState(models.TextChoices):
    #: Recording in the browser: chunks are still arriving.
    RECORDING = "recording", "Recording"
    #: All the sound is here; the analysis (the transcript row) takes over.
    COMPLETE = "complete", "Complete"


class Recording(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recordings")
    # Set once the sound is complete and its analysis queued.
    transcript = models.OneToOneField(
        Transcript, null=True, blank=True, on_delete=models.CASCADE, related_name="recording"
    )
    kind = models.CharField(max_length=20, choices=RecordingKind.choices)
    state = models.CharField(
        max_length=10, choices=RecordingState.choices, default=RecordingState.COMPLETE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A browser recording: when the recorder confirmed that both people agreed to it.
    consent_given_at = models.DateTimeField(null=True, blank=True)
    # The last chunk's arrival: a recording that stops getting chunks was left (closed tab).
    last_chunk_at = models.DateTimeField(null=True, blank=True)
    # Who spoke when by label, no sound: {"recording": {...}, "segments": [[label, start,
    # end], ...], "warnings": [...]}. Filled by the first successful analysis.
    speech = models.JSONField(null=True, blank=True)
    # When the sound was deleted (after the analysis, or when abandoned).
    sound_deleted_at = models.DateTimeField(null=True, blank=True)
    # Voice samples are deleted at this time.
    samples_expire_at = models.DateTimeField(null=True, blank=True)
    # Analysis progress, 0–100, while it runs.
    progress = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "last_chunk_at"])]

    def __str__(self) -> str:
        return f"Recording #{self.pk}"


class AudioFile(models.Model):
    """One file of a recording: a track, the whole file, or the browser's stream."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(default=0)
    # Shown in the report and used to suggest who it is (a track named after a person).
    filename = models.CharField(max_length=255)
    # When this track starts in the conversation, in seconds (tracks only).
    offset_s = models.FloatField(default=0.0)
    # The person a track or channel was said to be when uploading (optional).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    size_bytes = models.BigIntegerField(default=0)
    # The browser's container type (audio/webm;codecs=opus, audio/mp4).
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recording", "position"], name="one_file_per_position")
        ]

    def __str__(self) -> str:
        return f"Audio file #{self.pk}"


class AudioChunk(models.Model):
    """A piece of a file's bytes, in order of ``index``. A browser numbers its chunks, so a
    chunk sent twice (a retry after a lost answer) is stored once."""

    file = models.ForeignKey(AudioFile, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["file", "index"], name="one_chunk_per_index")
        ]

    def __str__(self) -> str:
        return f"Audio chunk #{self.pk}"


class Continuation(models.Model):
    """A browser recording taken up again after its page was reloaded or closed.

    Its chunks are numbered on from ``first_index``: they are a stream of their own (a new
    MediaRecorder, with its own header), joined after the part before it for the analysis,
    the time between left out of the timeline as a pause is. Consent stays the one given
    when the recording started; this says who continued it and when.
    """

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="continuations")
    first_index = models.PositiveIntegerField()
    continued_at = models.DateTimeField(default=timezone.now)
    continued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["first_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "first_index"], name="one_continuation_per_index"
            )
        ]

    def __str__(self) -> str:
        return f"Continuation #{self.pk}"


class VoiceSample(models.Model):
    """A few seconds of one voice of a one-microphone recording (16 kHz mono WAV)."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="samples")
    # The voice's label in the recording ("voice 1").
    label = models.CharField(max_length=200)
    data = models.BinaryField()

    class Meta:
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return f"Voice sample #{self.pk}"
