"""Conversation reports: an uploaded transcript, what analysing it says, and who is who.

All of it is one-on-one content (DESIGN.md access rule 1): views reach these objects only
through reports/access.py, and nothing here is registered in Django's admin.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from tete.oneonones.models import ActionItem, Meeting, OneOnOne


class TranscriptStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Analysing"
    FAILED = "failed", "Failed"
    DONE = "done", "Done"


#: States in which a transcript's analysis is still to finish (the page keeps polling).
PENDING_STATUSES = (TranscriptStatus.QUEUED, TranscriptStatus.RUNNING)


class Transcript(models.Model):
    """A transcript file uploaded for a meeting, kept in the database with its status.

    ``content`` is emptied after TETE_TRANSCRIPT_RETENTION_DAYS (``content_purged_at`` says
    when); the report's figures stay.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transcripts")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    # The format the analysis recognised (webvtt, srt, text, json); empty until read.
    format = models.CharField(max_length=20, blank=True)
    size_bytes = models.PositiveIntegerField(default=0)
    # Recognises the same file uploaded twice to the same one-on-one.
    sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField(null=True, blank=True)
    content_purged_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=TranscriptStatus.choices, default=TranscriptStatus.QUEUED
    )
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # Renewed every few seconds while an analysis runs; one that stops being renewed was
    # abandoned by its worker (actions.requeue_stuck_transcripts).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["status", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "sha256"], name="transcript_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"Transcript #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def has_content(self) -> bool:
        return self.content_purged_at is None and self.content is not None


class ConversationReport(models.Model):
    """What the analysis says about one transcript, with speakers named as people.

    ``data`` is the analysis library's JSON contract (Report.to_dict()), computed after
    renaming the file's speakers to the participants they map to, so every figure —
    talk time, interruptions each way — is about the two people. The per-participant
    columns repeat the figures the one-on-one's trends chart, so the trends never load
    ``data``. ``first``/``second`` are the one-on-one's ``first`` and ``second``.
    """

    transcript = models.OneToOneField(Transcript, on_delete=models.CASCADE, related_name="report")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="conversation_reports"
    )
    oneonone = models.ForeignKey(
        OneOnOne, on_delete=models.CASCADE, related_name="conversation_reports"
    )
    data = models.JSONField(default=dict)
    # Report speaker name → person id, or None for anyone else ("other").
    speaker_people = models.JSONField(default=dict)
    # Whether a participant confirmed who is who (else the mapping is a suggestion).
    mapping_confirmed = models.BooleanField(default=False)
    balance_status = models.CharField(max_length=12, blank=True)
    duration_s = models.FloatField(default=0.0)
    first_share = models.FloatField(null=True, blank=True)
    second_share = models.FloatField(null=True, blank=True)
    first_interruptions = models.PositiveIntegerField(default=0)
    second_interruptions = models.PositiveIntegerField(default=0)
    first_questions = models.PositiveIntegerField(default=0)
    second_questions = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Conversation report #{self.pk}"

    def share_of(self, person_id: int) -> float | None:
        if person_id == self.oneonone.first_id:
            return self.first_share
        return self.second_share

    @property
    def speakers(self) -> list[dict[str, Any]]:
        return list(self.data.get("speakers", []))


class SpeakerAlias(models.Model):
    """How a speaker label in this one-on-one's transcripts maps to a participant.

    Remembered so the next transcript from the same tool maps itself. ``person`` is None
    for anyone else who spoke ("other").
    """

    oneonone = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="speaker_aliases")
    label = models.CharField(max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["oneonone", "label"], name="one_alias_per_label")
        ]

    def __str__(self) -> str:
        return f"Speaker alias #{self.pk}"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class SuggestedActionItem(models.Model):
    """A commitment heard in the transcript, which either participant accepts or dismisses."""

    report = models.ForeignKey(
        ConversationReport, on_delete=models.CASCADE, related_name="suggestions"
    )
    text = models.CharField(max_length=500)
    # The sentence it was heard in; emptied with the transcript text after retention.
    quote = models.TextField(blank=True)
    said_at_s = models.FloatField(default=0.0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_phrase = models.CharField(max_length=100, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    action_item = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["said_at_s", "id"]

    def __str__(self) -> str:
        return f"Suggested action item #{self.pk}"
