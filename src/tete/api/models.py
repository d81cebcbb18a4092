"""Personal access tokens for the REST API, and each person's secret calendar feed.

Both hold a secret that works without a password, so neither is stored: only its SHA-256
(the secrets are 256 random bits, so a plain hash cannot be reversed by guessing). A token
is shown once, when it is made; the feed's address once, when it is made or reset.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A personal access token: named, read-only or read-write, optionally expiring."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The first characters of the token, to tell tokens apart in the list (not a secret:
    # they are far too few to guess the rest from).
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    can_write = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"API token #{self.pk}"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > (now or timezone.now())

    @property
    def access_label(self) -> str:
        return "Read and write" if self.can_write else "Read only"


class CalendarFeed(models.Model):
    """A person's secret calendar subscription address (one at a time)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed #{self.pk}"
