"""Read queries shared by pages. Each is one query (or a fixed few), whatever the history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from tete.oneonones import actions
from tete.oneonones.access import oneonones_of
from tete.oneonones.models import (
    UPCOMING_STATUSES,
    ActionItem,
    Cadence,
    Meeting,
    MeetingStatus,
)

if TYPE_CHECKING:
    from tete.accounts.models import Person


def upcoming_meetings_for(person: Person) -> QuerySet[Meeting]:
    """Meetings ahead across `person`'s one-on-ones, soonest first, with their agenda size.

    One-on-ones with a cadence but no meeting ahead get their next one first (lazily, so that
    nothing needs to run on a schedule); normally that finds none and costs one query.
    """
    mine = oneonones_of(person).filter(ended_at__isnull=True)
    lacking = mine.exclude(cadence=Cadence.NONE).exclude(
        Exists(Meeting.objects.filter(oneonone=OuterRef("pk"), status__in=UPCOMING_STATUSES))
    )
    for oneonone in lacking:
        actions.ensure_next_meeting(oneonone)
    return (
        Meeting.objects.filter(oneonone__in=mine, status__in=UPCOMING_STATUSES)
        .select_related("oneonone__first", "oneonone__second")
        .annotate(
            point_count=Count(
                "talking_points",
                filter=Q(talking_points__private=False) | Q(talking_points__author=person),
            )
        )
        .order_by("scheduled_at", "id")
    )


def my_open_action_items(person: Person, today: dt.date | None = None) -> QuerySet[ActionItem]:
    """`person`'s open action items: overdue first, then by due date (undated last)."""
    today = today or timezone.localdate()
    return (
        ActionItem.objects.filter(
            owner=person, done_at__isnull=True, oneonone__in=oneonones_of(person)
        )
        .select_related("oneonone__first", "oneonone__second", "created_in")
        .annotate(
            urgency=Case(
                When(due_date__lt=today, then=Value(0)),
                When(due_date__isnull=False, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "due_date", "created_at", "id")
    )


def open_action_items_for_meeting(meeting: Meeting) -> list[ActionItem]:
    """The action items to go through in a meeting.

    Those created in it, those still open from earlier meetings (they appear in every later
    meeting until done), and those done since the previous meeting, so that ticking one off
    does not make it vanish mid-conversation.
    """
    previous = (
        Meeting.objects.filter(
            oneonone_id=meeting.oneonone_id,
            status=MeetingStatus.HELD,
            scheduled_at__lt=meeting.scheduled_at,
        )
        .order_by("-scheduled_at")
        .values_list("held_at", flat=True)
        .first()
    )
    earlier = Q(created_in__isnull=True) | Q(created_in__scheduled_at__lt=meeting.scheduled_at)
    recently_done = Q(done_at__gte=previous) if previous else Q(done_at__isnull=False)
    return list(
        ActionItem.objects.filter(oneonone_id=meeting.oneonone_id)
        .filter(Q(created_in=meeting) | (earlier & (Q(done_at__isnull=True) | recently_done)))
        .select_related("owner", "created_in")
        .order_by(
            F("done_at").asc(nulls_first=True),
            F("due_date").asc(nulls_last=True),
            "created_at",
            "id",
        )
    )
