"""People and teams. A person signs in with their email address."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.crypto import salted_hmac

# For forms only: the list depends on the machine's tz database, so model fields validate
# the name instead of storing choices in migrations.
TIMEZONE_CHOICES = sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones())


def validate_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"{name!r} is not a known timezone.")


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Person:
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> Person:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> Person:
        return self.get(email__iexact=username)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone with an account. Staff status grants no access to one-on-one content."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=150, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    location = models.CharField(max_length=100, blank=True)
    meeting_reminders = models.BooleanField(
        default=True, help_text="Email me the day before each of my one-on-ones."
    )
    start_date = models.DateField(null=True, blank=True, help_text="When they joined, for tenure.")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can administer people; sees no one-on-one content."
    )
    date_joined = models.DateTimeField(default=django_timezone.now)
    # Set when staff deactivate the person; tells "deactivated" apart from "invited, not yet
    # joined" (both cannot sign in). Nothing of theirs is deleted (DESIGN.md rule 6).
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # An address the person (or staff) asked to sign in with, until a link sent there is
    # followed (accounts/actions.py): nobody can move an account to an address they do not
    # read without the person hearing of it.
    pending_email = models.EmailField(blank=True, default="")
    pending_email_since = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[PersonManager] = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_session_auth_hash(self) -> str:
        """Ties every session to the password *and* the email address: changing either signs
        the person out everywhere else (the changing request keeps its session with
        `update_session_auth_hash`)."""
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def _session_hash(self, secret: str | bytes | None) -> str:
        key_salt = "tete.accounts.Person.get_session_auth_hash"
        value = f"{self.password}\n{self.email}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def first_name(self) -> str:
        return self.get_short_name()

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or self.email[:1].upper()

    @property
    def status(self) -> str:
        """ "active", "invited" (has not accepted an invitation yet) or "deactivated"."""
        if self.is_active:
            return "active"
        if self.deactivated_at is None and not self.has_usable_password():
            return "invited"
        return "deactivated"

    @property
    def timezone_label(self) -> str:
        return self.timezone.replace("_", " ")

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")
