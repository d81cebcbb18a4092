"""Read queries shared by pages. Each is one query (or a fixed few), whatever the history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import connection
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
    OneOnOne,
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


def _lacking_next_meeting() -> Q:
    """One-on-ones that go on with a cadence but have no meeting ahead (yet)."""
    upcoming = Meeting.objects.filter(oneonone=OuterRef("pk"), status__in=UPCOMING_STATUSES)
    return Q(ended_at__isnull=True) & ~Q(cadence=Cadence.NONE) & Q(~Exists(upcoming))


def home_version(person: Person) -> tuple[int, int, int]:
    """A stamp of everything `person`'s home page shows from their one-on-ones, in one query.

    First gives one-on-ones with a cadence but no meeting ahead their next one (lazily, so
    that nothing needs to run on a schedule); normally there is none to create.

    The stamp is (how many one-on-ones, the sum of their content versions, the highest id):
    versions only grow, so any bump raises the sum; starting a one-on-one changes the count
    and the highest id; ending one bumps its version.
    """
    if not person.is_active:
        return (0, 0, 0)
    count, versions, last, lacking = _home_stamp(person)
    if lacking:
        for oneonone in oneonones_of(person).filter(_lacking_next_meeting()):
            actions.ensure_next_meeting(oneonone)
        # Creating a meeting bumped its one-on-one's version.
        count, versions, last, _ = _home_stamp(person)
    return (count, versions, last)


def _home_stamp(person: Person) -> tuple[int, int, int, int]:
    # Plain SQL: it runs on every home page, cached or not, and the ORM takes longer to build
    # this aggregate than the database takes to answer it. The same as
    # oneonones_of(person).aggregate(Count, Sum("content_version"), Max("pk"),
    # Count(filter=_lacking_next_meeting())). Table names come from the models; every value
    # is a parameter.
    oneonones = OneOnOne._meta.db_table
    meetings = Meeting._meta.db_table
    upcoming = ", ".join(["%s"] * len(UPCOMING_STATUSES))
    sql = f"""
        SELECT COUNT(*), COALESCE(SUM(o.content_version), 0), COALESCE(MAX(o.id), 0),
            COALESCE(SUM(CASE WHEN o.ended_at IS NULL AND o.cadence <> %s AND NOT EXISTS (
                SELECT 1 FROM {meetings} m WHERE m.oneonone_id = o.id AND m.status IN ({upcoming})
            ) THEN 1 ELSE 0 END), 0)
        FROM {oneonones} o
        WHERE o.first_id = %s OR o.second_id = %s
    """
    params: list[str | int] = [
        str(Cadence.NONE),
        *(str(status) for status in UPCOMING_STATUSES),
        person.pk,
        person.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def upcoming_meetings_for(person: Person) -> QuerySet[Meeting]:
    """Meetings ahead across `person`'s one-on-ones, soonest first, with their agenda size.

    Call home_version() first: it creates the next meeting of one-on-ones lacking one.
    """
    mine = oneonones_of(person).filter(ended_at__isnull=True)
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
