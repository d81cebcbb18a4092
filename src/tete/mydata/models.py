"""A person's access log, their data exports, and erasures.

None of these is registered in Django's admin: the access log is for its person alone, an
export holds one-on-one content, and an erasure record is kept apart from the data it erased.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class EventKind(models.TextChoices):
    SIGN_IN_NEW = "sign_in_new", "Signed in from a new device or address"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    EMAIL_CHANGED = "email_changed", "Sign-in address changed"
    HISTORY_DOWNLOADED = "history_downloaded", "Shared history downloaded by the other person"
    DEACTIVATED = "deactivated", "Account deactivated by staff"
    REACTIVATED = "reactivated", "Account reactivated by staff"
    ROLE_CHANGED = "role_changed", "Role changed by staff"
    ERASURE_STARTED = "erasure_started", "Erasure of your data started by staff"
    ERASURE_CANCELLED = "erasure_cancelled", "Erasure of your data cancelled"
    OTHER_ERASED = "other_erased", "The other person's data was erased"
    DATA_EXPORTED = "data_exported", "Your data exported"
    TOKEN_CREATED = "token_created", "API token made"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    FEED_RESET = "feed_reset", "Calendar feed address made"


class AccessEvent(models.Model):
    """One event that touched a person's data. Append-only: never changed once written;
    removed only by the yearly prune (TETE_ACCESS_LOG_DAYS) or with the person's erasure."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_events"
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Who did it, when someone else did (staff, the other participant).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Facts for the person's eyes only: an address, a browser, a name as it was then.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"Access log entry #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("The access log is append-only: an entry is never changed.")
        super().save(*args, **kwargs)


class KnownDevice(models.Model):
    """A browser or an address a person has signed in from, to tell a new one (hashed)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices"
    )
    fingerprint = models.CharField(max_length=64)
    first_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "fingerprint"], name="known_device_once")
        ]

    def __str__(self) -> str:
        return f"Known device #{self.pk}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class DataExport(models.Model):
    """A zip of everything a person can read about themselves, built in the background."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True, editable=False)
    size_bytes = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Data export #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.BUILDING)

    def is_downloadable(self, now: Any = None) -> bool:
        """Ready and its link not expired (pruning drops the content of expired ones)."""
        now = now or timezone.now()
        return (
            self.status == ExportStatus.READY
            and self.expires_at is not None
            and self.expires_at > now
        )


class Erasure(models.Model):
    """An erasure asked for, and when it was carried out. Ids only, no personal data: the
    record outlives what it erased (and says what a restore must erase again)."""

    class Source(models.TextChoices):
        SELF = "self", "Asked by the person"
        STAFF = "staff", "Started by staff"

    person_id_erased = models.PositiveIntegerField(db_index=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    requested_by_id = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    # Staff erasures wait for a second staff person, or until this time (TETE_ERASURE_DELAY_DAYS).
    due_at = models.DateTimeField()
    confirmed_by_id = models.PositiveIntegerField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Erasure #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.erased_at is None and self.cancelled_at is None
