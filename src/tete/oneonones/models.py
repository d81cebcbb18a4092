"""One-on-ones, their meetings, agendas, notes, action items and templates.

A one-on-one belongs to its two participants (DESIGN.md access rule 1). Nothing here is
registered in Django's admin; views reach these objects only through oneonones/access.py.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as django_timezone

from tete.accounts.models import validate_timezone

if TYPE_CHECKING:
    from tete.accounts.models import Person


class Kind(models.TextChoices):
    MANAGER_REPORT = "manager_report", "Manager and report"
    MENTORING = "mentoring", "Mentoring"
    COACHING = "coaching", "Coaching"
    PEER = "peer", "Peers"
    PERSONAL = "personal", "Personal"


# For these kinds one participant is the person the conversation is for.
FOCUS_ROLE = {
    Kind.MANAGER_REPORT: "report",
    Kind.MENTORING: "mentee",
    Kind.COACHING: "client",
}


class Cadence(models.TextChoices):
    NONE = "none", "No regular cadence"
    WEEKLY = "weekly", "Every week"
    BIWEEKLY = "biweekly", "Every 2 weeks"
    MONTHLY = "monthly", "Every month"


WEEKDAY_CHOICES = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
_WEEKDAY_NAMES = dict(WEEKDAY_CHOICES)


class OneOnOne(models.Model):
    """The standing relationship of two people who meet."""

    first = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oneonones_as_first"
    )
    second = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oneonones_as_second"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PEER)
    # The report, mentee or client, when the kind has one (see FOCUS_ROLE).
    focus_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES, default=0)
    time_of_day = models.TimeField(default=dt.time(10, 0))
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # The cadence counts from this date (it fixes which week a fortnightly cadence uses).
    starts_on = models.DateField(default=dt.date.today)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=django_timezone.now)
    # Bumped by every write that changes what its pages (or its people's home pages) show:
    # the page cache's key carries it, so a change makes the cached pages unreachable.
    # See oneonones/versions.py.
    content_version = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "one-on-one"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first=models.F("second")), name="oneonone_two_different_people"
            )
        ]

    def __str__(self) -> str:
        return f"One-on-one #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # content_version only moves by `F() + 1` (versions.py). A whole-object save would
        # write back the value read earlier and undo bumps made since: leave it out.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "content_version"
            ]
        super().save(*args, **kwargs)

    @property
    def participants(self) -> tuple[Person, Person]:
        return (self.first, self.second)

    def is_participant(self, person: Person) -> bool:
        return person.pk in (self.first_id, self.second_id)

    def other(self, person: Person) -> Person:
        """The participant who is not `person`."""
        return self.second if person.pk == self.first_id else self.first

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def focus_role(self) -> str:
        return FOCUS_ROLE.get(Kind(self.kind), "")

    def cadence_summary(self) -> str:
        """How often they meet, in words: "Weekly on Mondays at 10:00 (Europe/Paris), 30 min"."""
        return cadence_in_words(
            self.cadence,
            self.weekday,
            self.time_of_day,
            self.starts_on,
            self.timezone,
            self.duration_minutes,
        )


def cadence_in_words(
    cadence: str,
    weekday: int,
    time_of_day: dt.time,
    starts_on: dt.date,
    timezone: str,
    duration_minutes: int,
) -> str:
    """OneOnOne.cadence_summary() from the columns alone (for lists read without models)."""
    if cadence == Cadence.NONE:
        return "No regular cadence"
    day = _WEEKDAY_NAMES[weekday]
    where = f"{time_of_day:%H:%M} ({timezone.replace('_', ' ')})"
    if cadence == Cadence.MONTHLY:
        when = f"Monthly on the {nth_label(starts_on)} {day} at {where}"
    elif cadence == Cadence.BIWEEKLY:
        when = f"Every 2 weeks on {day}s at {where}"
    else:
        when = f"Weekly on {day}s at {where}"
    return f"{when}, {duration_minutes} min"


def nth_label(day: dt.date) -> str:
    return ["first", "second", "third", "fourth"][min((day.day - 1) // 7, 3)]


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    RESCHEDULED = "rescheduled", "Rescheduled"


# A rescheduled meeting still lies ahead: it was moved, not dropped.
UPCOMING_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.RESCHEDULED)
PAST_STATUSES = (MeetingStatus.HELD, MeetingStatus.CANCELLED)
# A meeting that began this long ago is no longer ahead, even if nobody marked it held or
# cancelled: the cadence's next meeting is made (and reminded of) without waiting for it,
# and the pair is asked what happened (oneonones/health.py).
STALE_AFTER = dt.timedelta(days=1)


class Meeting(models.Model):
    """One occurrence of a one-on-one."""

    oneonone = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="meetings")
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # Set when a meeting is moved: the cadence slot it came from, so the next one still follows.
    original_scheduled_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    # Added on top of the cadence.
    extra = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=django_timezone.now)
    # When its two people were emailed that it is coming (reminders.py): once per meeting.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["scheduled_at"]
        indexes = [models.Index(fields=["oneonone", "status", "scheduled_at"])]

    def __str__(self) -> str:
        return f"Meeting #{self.pk}"

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES

    @property
    def ends_at(self) -> dt.datetime:
        return self.scheduled_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def cadence_slot(self) -> dt.datetime:
        return self.original_scheduled_at or self.scheduled_at


class FlagDismissal(models.Model):
    """A person put one of a one-on-one's health flags away until ``until`` (health.py)."""

    oneonone = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40)
    until = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["oneonone", "person", "key"], name="unique_flag_dismissal"
            )
        ]

    def __str__(self) -> str:
        return f"Flag dismissal #{self.pk}"


class TalkingPointOrigin(models.TextChoices):
    WRITTEN = "written", "Written"
    TEMPLATE = "template", "From a template"


class TalkingPoint(models.Model):
    """An agenda item either participant adds; discussed, or carried over."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="talking_points")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    position = models.IntegerField(default=0)
    discussed = models.BooleanField(default=False)
    # Visible to its author only (DESIGN.md access rule 2).
    private = models.BooleanField(default=False)
    carried_over_count = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(
        max_length=10, choices=TalkingPointOrigin.choices, default=TalkingPointOrigin.WRITTEN
    )
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Talking point #{self.pk}"


class SharedNote(models.Model):
    """A meeting's shared notes (Markdown). `version` detects concurrent edits."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="shared_note")
    text = models.TextField(blank=True)
    # `text` rendered and sanitised, written with it by actions.save_shared_note so that pages
    # do not render Markdown on every view. The demo and the data generator store it too;
    # should a row lack it, actions.shared_note_html renders it for the page (without storing).
    html = models.TextField(blank=True, default="")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=django_timezone.now)

    def __str__(self) -> str:
        return f"Shared note #{self.pk}"


class PrivateNote(models.Model):
    """A meeting note for its author alone."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="one_private_note_each")
        ]

    def __str__(self) -> str:
        return f"Private note #{self.pk}"


class ActionItem(models.Model):
    """Something one participant commits to; open until done."""

    oneonone = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="action_items")
    created_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "done_at"])]

    def __str__(self) -> str:
        return f"Action item #{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        if self.done_at is not None or self.due_date is None:
            return False
        return self.due_date < (today or django_timezone.localdate())


class TemplateCategory(models.TextChoices):
    FIRST_MEETING = "first_meeting", "First meeting"
    CAREER = "career", "Career"
    WELLBEING = "wellbeing", "Wellbeing"
    FEEDBACK = "feedback", "Feedback both ways"
    BLOCKERS = "blockers", "Blockers"
    GOALS = "goals", "Goals"
    COACHING = "coaching", "Coaching (GROW)"
    OTHER = "other", "Other"


class Template(models.Model):
    """A reusable set of questions. Built-in ones have no owner; people's own are theirs."""

    name = models.CharField(max_length=150)
    category = models.CharField(max_length=20, choices=TemplateCategory.choices)
    description = models.CharField(max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="oneonone_templates",
    )
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return f"Template #{self.pk}"

    @property
    def is_built_in(self) -> bool:
        return self.owner_id is None


class TemplateQuestion(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Template question #{self.pk}"
