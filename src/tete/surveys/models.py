"""Surveys: check-ins before one-on-ones, team pulses and feedback forms.

Anonymity (DESIGN.md access rule 3) shapes these models:

* `Response` holds answers. An anonymous response has no respondent, no timestamp and a random
  UUID key; its rows are rewritten in random order on every submission (see
  `actions.shuffle_round_responses`), so neither keys, insertion order nor the database's row
  ids can be joined with the `Participation` that says who responded.
* `Participation` says who was asked in a round and on which day they responded — for
  reminders and response rates, never for results.
* `Response.groups` keeps coarse attributes (team, manager, location, tenure band, role) that
  were generalised at submission so that at least the minimum number of people in the round's
  audience share them (see `anonymity.py`).
* `Response.release` (public links only) is the step in which results first include an answer:
  steps hold at least the minimum number of responses, so it says no more about when someone
  answered than that they were among those (see `results.release`).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Survey(models.Model):
    class Kind(models.TextChoices):
        PULSE = "pulse", "Team pulse"
        FORM = "form", "Feedback form"
        CHECKIN = "checkin", "Check-in before a one-on-one"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Audience(models.TextChoices):
        PEOPLE = "people", "Chosen people"
        TEAM = "team", "A team"
        REPORTS = "reports", "A manager's reports"
        EVERYONE = "everyone", "Everyone"
        PUBLIC = "public", "Public links (people without an account)"

    class Recurrence(models.TextChoices):
        ONCE = "once", "Once"
        WEEKLY = "weekly", "Every week"
        BIWEEKLY = "biweekly", "Every 2 weeks"
        MONTHLY = "monthly", "Every month"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_surveys"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PULSE)
    anonymous = models.BooleanField(
        default=True, help_text="Answers are stored without the respondent's name."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.TEAM)
    audience_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Check-ins only: the one-on-one they belong to, and the one person who fills them in.
    oneonone = models.OneToOneField(
        "oneonones.OneOnOne",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checkin",
    )
    checkin_respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Survey #{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC

    def is_open_on(self, day: Any) -> bool:
        if self.status != self.Status.OPEN:
            return False
        if self.opens_on and day < self.opens_on:
            return False
        return not (self.closes_on and day > self.closes_on)


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Scale 1–5"
        NPS = "nps", "Scale 0–10"
        SINGLE = "single", "Single choice"
        MULTI = "multi", "Multiple choice"
        YESNO = "yesno", "Yes / no"
        SHORT = "short", "Short text"
        LONG = "long", "Long text"

    CHOICE_KINDS = frozenset({"scale", "nps", "single", "multi", "yesno"})
    NUMERIC_KINDS = frozenset({"scale", "nps"})
    TEXT_KINDS = frozenset({"short", "long"})

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCALE)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=True)
    choices = models.JSONField(default=list, blank=True)
    scale_low_label = models.CharField(max_length=60, blank=True)
    scale_high_label = models.CharField(max_length=60, blank=True)
    # A stable name from the question bank ("mood", "workload", "enps"), for trends.
    key = models.SlugField(max_length=40, blank=True)
    show_if_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    show_if_values = models.JSONField(default=list, blank=True)
    # Answered questions are never changed in place: an edit retires this version and adds
    # a new one, so old answers stay tied to the wording they answered.
    retired = models.BooleanField(default=False)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Question #{self.pk}"

    def options(self) -> list[tuple[str, str]]:
        """(value, label) pairs for choice-like questions, in display order."""
        if self.kind == "scale":
            labels = {1: self.scale_low_label, 5: self.scale_high_label}
            return [(str(n), f"{n} {labels.get(n, '')}".strip()) for n in range(1, 6)]
        if self.kind == "nps":
            labels = {0: self.scale_low_label, 10: self.scale_high_label}
            return [(str(n), f"{n} {labels.get(n, '')}".strip()) for n in range(0, 11)]
        if self.kind == "yesno":
            return [("yes", "Yes"), ("no", "No")]
        if self.kind in {"single", "multi"}:
            return [(c, c) for c in self.choices]
        return []


class Round(models.Model):
    """One occurrence of a survey: a pulse has one per period, a check-in one per meeting."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    # Set when the round closed and its group attributes were coarsened for good.
    finalised = models.BooleanField(default=False)
    # Check-ins only: the meeting this round prepares.
    meeting = models.OneToOneField(
        "oneonones.Meeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checkin_round",
    )

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="unique_round_number")
        ]

    def __str__(self) -> str:
        return f"Round #{self.pk}"

    def is_open_on(self, day: Any) -> bool:
        # A finalised round's results may have been read: an answer added now could be read
        # off by comparing them with the next reading.
        if self.finalised:
            return False
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)


class Participation(models.Model):
    """Who was asked in a round and whether they responded. Never joined with answers."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )
    # A day, not a time: finer would help join it with a response.
    responded_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="unique_participation")
        ]

    def __str__(self) -> str:
        return f"Participation #{self.pk}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A public link for one person without an account; it accepts one response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    label = models.CharField(max_length=150, blank=True, help_text="Who the link is for.")
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Survey link #{self.pk}"


class Response(models.Model):
    """Answers to one round. Anonymous ones carry no respondent, no time and no order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    # Named surveys and check-ins only; always empty for anonymous surveys.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    groups = models.JSONField(default=dict, blank=True)
    # Public links only: the step of at least the minimum number of responses in which results
    # first include this one; empty while it waits for enough others.
    release = models.PositiveIntegerField(null=True, blank=True)
    # {str(question id): "4" | ["a", "b"] | "text"}
    answers = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Response #{self.pk}"
