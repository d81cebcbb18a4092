"""Read queries shared by pages. Each is one query (or a fixed few), whatever the history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from tete.oneonones import actions
from tete.oneonones.access import oneonones_of, unshown_person_fields
from tete.oneonones.models import (
    UPCOMING_STATUSES,
    ActionItem,
    Cadence,
    Meeting,
    MeetingStatus,
    TalkingPoint,
)

if TYPE_CHECKING:
    from tete.accounts.models import Person

_LONG_AGO = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def visible_point_count(person: Person) -> Subquery:
    """Talking points of the outer meeting that `person` sees (private ones are their author's)."""
    return Subquery(
        TalkingPoint.objects.filter(meeting=OuterRef("pk"))
        .filter(Q(private=False) | Q(author=person))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


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
    # The count is a correlated subquery rather than a join and GROUP BY over every column:
    # the same figure, and far less for PostgreSQL to plan.
    return (
        Meeting.objects.filter(oneonone__in=mine, status__in=UPCOMING_STATUSES)
        .select_related("oneonone__first", "oneonone__second")
        .defer(*unshown_person_fields("oneonone__first", "oneonone__second"))
        .annotate(point_count=Coalesce(visible_point_count(person), 0))
        .order_by("scheduled_at", "id")
    )


def my_open_action_items(person: Person) -> QuerySet[ActionItem]:
    """`person`'s open action items: overdue first, then by due date (undated last).

    Overdue items are those with the earliest due dates, so ordering by due date with undated
    items last puts them first without computing an urgency per row.
    """
    return (
        ActionItem.objects.filter(
            owner=person, done_at__isnull=True, oneonone__in=oneonones_of(person)
        )
        .select_related("oneonone__first", "oneonone__second", "created_in")
        .defer(*unshown_person_fields("oneonone__first", "oneonone__second"))
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "id")
    )


def open_action_items_for_meeting(meeting: Meeting) -> list[ActionItem]:
    """The action items to go through in a meeting.

    Those created in it, those still open from earlier meetings (they appear in every later
    meeting until done), and those done since the previous meeting, so that ticking one off
    does not make it vanish mid-conversation.
    """
    # When the previous held meeting was held, as a subquery: one round trip, not two. With no
    # previous meeting every item done so far counts as recently done.
    previous_held_at = Subquery(
        Meeting.objects.filter(
            oneonone_id=meeting.oneonone_id,
            status=MeetingStatus.HELD,
            scheduled_at__lt=meeting.scheduled_at,
        )
        .order_by("-scheduled_at")
        .values("held_at")[:1]
    )
    earlier = Q(created_in__isnull=True) | Q(created_in__scheduled_at__lt=meeting.scheduled_at)
    recently_done = Q(done_at__gte=Coalesce(previous_held_at, Value(_LONG_AGO)))
    return list(
        ActionItem.objects.filter(oneonone_id=meeting.oneonone_id)
        .filter(Q(created_in=meeting) | (earlier & (Q(done_at__isnull=True) | recently_done)))
        .select_related("owner", "created_in")
        .defer(*unshown_person_fields("owner"))
        .order_by(
            F("done_at").asc(nulls_first=True),
            F("due_date").asc(nulls_last=True),
            "created_at",
            "id",
        )
    )
