"""Read queries shared by pages. Each is one query (or a fixed few), whatever the history."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tete.oneonones.access import oneonones_of, unshown_person_fields
from tete.oneonones.cadence import next_occurrence
from tete.oneonones.models import (
    PAST_STATUSES,
    STALE_AFTER,
    UPCOMING_STATUSES,
    ActionItem,
    Cadence,
    Meeting,
    MeetingStatus,
    OneOnOne,
    TalkingPoint,
)
from tete.prepared import Param, PreparedQuery, any_of, ids_of

if TYPE_CHECKING:
    from tete.accounts.models import Person

_LONG_AGO = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def visible_point_count(person: Person | Expression) -> Subquery:
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


def count_per_oneonone(rows: QuerySet[Any]) -> Coalesce:
    """How many of `rows` belong to the outer one-on-one, as a subquery: two counts over
    joins in one query would multiply each other (every held meeting once per item)."""
    counted = (
        rows.filter(oneonone=OuterRef("pk"))
        .order_by()
        .values("oneonone")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def lacking_next_meeting(now: dt.datetime | None = None) -> Q:
    """One-on-ones that go on with a cadence but have no meeting ahead (yet): a meeting left
    "scheduled" for more than ``STALE_AFTER`` after it began does not count as ahead."""
    return _lacking_next_meeting_since((now or timezone.now()) - STALE_AFTER)


def _lacking_next_meeting_since(since: dt.datetime | Expression) -> Q:
    upcoming = Meeting.objects.filter(
        oneonone=OuterRef("pk"), status__in=UPCOMING_STATUSES, scheduled_at__gt=since
    )
    return Q(ended_at__isnull=True) & ~Q(cadence=Cadence.NONE) & Q(~Exists(upcoming))


# Read on every page that shows a planned meeting: compiled once (tete/prepared.py).
_LAST_SLOT = PreparedQuery(
    lambda: (
        Meeting.objects.filter(oneonone_id=Param("oneonone", BigIntegerField()), extra=False)
        .order_by()
        .values("oneonone")
        .annotate(last_scheduled=Max("scheduled_at"), last_original=Max("original_scheduled_at"))
        .values_list("last_scheduled", "last_original")
    )
)
# Home's one-on-ones with both people, and which lack a meeting row ahead: one query.
_MINE_FOR_HOME = PreparedQuery(
    lambda: (
        OneOnOne.objects.filter(
            Q(first_id=Param("me", BigIntegerField())) | Q(second_id=Param("me", BigIntegerField()))
        )
        .select_related("first", "second")
        .defer(*unshown_person_fields("first", "second"))
        .annotate(
            lacks_next_meeting=ExpressionWrapper(
                _lacking_next_meeting_since(Param("since", DateTimeField())),
                output_field=BooleanField(),
            )
        )
    )
)


def oneonones_for_home(person: Person) -> list[OneOnOne]:
    """`person`'s one-on-ones with both people joined (their shown fields only), each with
    `lacks_next_meeting` (see lacking_next_meeting and planned_meetings_of)."""
    if not person.is_authenticated or not person.is_active:
        return []  # as oneonones_of: no one-on-ones
    return _MINE_FOR_HOME.run(me=person.pk, since=timezone.now() - STALE_AFTER)


def next_cadence_slot(oneonone: OneOnOne, now: dt.datetime) -> dt.datetime | None:
    """When the cadence's next meeting falls: its first occurrence after `now` and after every
    cadence slot already used (a moved meeting keeps the slot it came from)."""
    last_slot = next(iter(_LAST_SLOT.run(oneonone=oneonone.pk)), ())
    after = max([now] + [moment for moment in last_slot if moment is not None])
    return next_occurrence(oneonone, after)


def planned_next_meeting(oneonone: OneOnOne, now: dt.datetime | None = None) -> Meeting | None:
    """The meeting the cadence has next when no meeting row is ahead yet, unsaved (no pk).

    Pages show it without writing; `actions.ensure_next_meeting` makes the same meeting when
    something changes the schedule, or the hourly reminders job runs. None when the
    one-on-one has ended or has no cadence.
    """
    if oneonone.is_ended:
        return None
    when = next_cadence_slot(oneonone, now or timezone.now())
    if when is None:
        return None
    return Meeting(oneonone=oneonone, scheduled_at=when, duration_minutes=oneonone.duration_minutes)


def planned_meetings_of(oneonones: list[OneOnOne]) -> list[Meeting]:
    """The planned next meeting (see above) of each of `oneonones` (from oneonones_for_home)
    that lacks a row."""
    now = timezone.now()
    lacking = [oneonone for oneonone in oneonones if oneonone.lacks_next_meeting]  # type: ignore[attr-defined]
    planned = [planned_next_meeting(oneonone, now) for oneonone in lacking]
    return [meeting for meeting in planned if meeting is not None]


def _waiting(person: Person | Expression) -> Q:
    """Undiscussed points of held and cancelled meetings that `person` sees: what the next
    meeting gets when it is made (see actions.carry_over_undiscussed)."""
    return Q(meeting__status__in=PAST_STATUSES, discussed=False) & (
        Q(private=False) | Q(author=person)
    )


def waiting_talking_points(oneonone: OneOnOne, person: Person) -> list[TalkingPoint]:
    """The agenda of a planned next meeting: the points that will carry over to it."""
    return list(
        TalkingPoint.objects.filter(_waiting(person), meeting__oneonone=oneonone)
        .select_related("author")
        .defer(*unshown_person_fields("author"))
        .order_by("meeting__scheduled_at", "position", "id")
    )


def with_waiting_point_counts(planned: list[Meeting], person: Person) -> list[Meeting]:
    """Give planned meetings the `point_count` that upcoming_meetings_for annotates rows with:
    the points waiting to carry over to them (one query for them all)."""
    if not planned:
        return planned
    ids = sorted({meeting.oneonone_id for meeting in planned})
    counts = dict(_waiting_counts_of(len(ids)).run(me=person.pk, **ids_of("oneonone", ids)))
    for meeting in planned:
        meeting.point_count = counts.get(meeting.oneonone_id, 0)  # type: ignore[attr-defined]
    return planned


# On every home page that shows a planned meeting: compiled once per number of one-on-ones.
@functools.lru_cache(maxsize=64)
def _waiting_counts_of(count: int) -> PreparedQuery:
    return PreparedQuery(
        lambda: (
            TalkingPoint.objects.filter(
                _waiting(Param("me", BigIntegerField())),
                any_of("meeting__oneonone_id", "oneonone", count),
            )
            .order_by()
            .values_list("meeting__oneonone")
            .annotate(n=Count("pk"))
            .values_list("meeting__oneonone", "n")
        )
    )


@dataclass(frozen=True)
class HomeStamp:
    """What the home page's cache key needs, from one query (see home_stamp)."""

    key: tuple[object, ...]
    #: How many of the person's one-on-ones go on with a cadence but no meeting row ahead.
    lacking: int


def home_stamp(person: Person) -> HomeStamp:
    """A stamp of everything `person`'s home page shows from their one-on-ones, in one query.

    The key is (how many one-on-ones, the sum of their content versions, the highest id):
    versions only grow, so any bump raises the sum; starting a one-on-one changes the count
    and the highest id; ending one bumps its version. One-on-ones lacking a meeting row
    ahead show a planned one, whose time the caller adds to the key.
    """
    if not person.is_active:
        return HomeStamp((0, 0, 0), 0)
    count, versions, last, lacking = _home_stamp(person)
    return HomeStamp((count, versions, last), lacking)


def _home_stamp(person: Person) -> tuple[int, int, int, int]:
    # Plain SQL: it runs on every home page, cached or not, and the ORM takes longer to build
    # this aggregate than the database takes to answer it. The same as
    # oneonones_of(person).aggregate(Count, Sum("content_version"), Max("pk"),
    # Count(filter=lacking_next_meeting())). Table names come from the models; every value
    # is a parameter.
    oneonones = OneOnOne._meta.db_table
    meetings = Meeting._meta.db_table
    upcoming = ", ".join(["%s"] * len(UPCOMING_STATUSES))
    sql = f"""
        SELECT COUNT(*), COALESCE(SUM(o.content_version), 0), COALESCE(MAX(o.id), 0),
            COALESCE(SUM(CASE WHEN o.ended_at IS NULL AND o.cadence <> %s AND NOT EXISTS (
                SELECT 1 FROM {meetings} m WHERE m.oneonone_id = o.id AND m.status IN ({upcoming})
                    AND m.scheduled_at > %s
            ) THEN 1 ELSE 0 END), 0)
        FROM {oneonones} o
        WHERE o.first_id = %s OR o.second_id = %s
    """
    params: list[str | int | dt.datetime] = [
        str(Cadence.NONE),
        *(str(status) for status in UPCOMING_STATUSES),
        timezone.now() - STALE_AFTER,
        person.pk,
        person.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def upcoming_meetings_for(
    person: Person, oneonones: dict[int, OneOnOne], limit: int
) -> list[Meeting]:
    """The first `limit` meeting rows ahead across `person`'s running one-on-ones, soonest
    first, with their agenda size as `point_count`.

    `oneonones` are `person`'s one-on-ones by id (from `oneonones_of`, people joined): each
    meeting gets its own from there. One-on-ones without a row ahead yet are not here: see
    planned_meetings_of. A meeting left "scheduled" long after its day is not ahead: its
    one-on-one flags it.

    Plain SQL, as home runs it on every view: the ORM took twice as long to build this query
    as the database takes to answer it.
    """
    running = [pk for pk, oneonone in oneonones.items() if oneonone.ended_at is None]
    if not running:
        return []
    ops = connection.ops
    meetings = Meeting._meta.db_table
    points = TalkingPoint._meta.db_table
    columns = ", ".join(f"m.{field.column}" for field in Meeting._meta.concrete_fields)
    # The statuses are written into the SQL, not sent as values: PostgreSQL then plans the
    # prepared statement once for every view. With them as parameters its generic plan looked
    # dearer than planning anew, which it did on every view (0.3 ms of the database's time).
    upcoming = ", ".join(_status_literal(status) for status in UPCOMING_STATUSES)
    ids = ", ".join(["%s"] * len(running))
    # The count is a correlated subquery rather than a join and GROUP BY over every column:
    # the same figure, and far less for the database to plan.
    sql = f"""
        SELECT {columns}, (
            SELECT COUNT(*) FROM {points} p
            WHERE p.meeting_id = m.id AND (p.private = %s OR p.author_id = %s)
        ) AS point_count
        FROM {meetings} m
        WHERE m.oneonone_id IN ({ids}) AND m.status IN ({upcoming})
            AND NOT (m.status = {_status_literal(MeetingStatus.SCHEDULED)} AND m.scheduled_at <= %s)
        ORDER BY m.scheduled_at, m.id
        LIMIT %s
    """
    params = [
        False,
        person.pk,
        *running,
        ops.adapt_datetimefield_value(timezone.now() - STALE_AFTER),
        limit,
    ]
    rows = list(Meeting.objects.raw(sql, params))
    for meeting in rows:
        meeting.oneonone = oneonones[meeting.oneonone_id]
    return rows


def _status_literal(status: str) -> str:
    """A meeting status as an SQL literal: one of the model's own choices, never a value
    from a request."""
    if status not in MeetingStatus.values:
        raise ValueError(f"Not a meeting status: {status!r}")
    return f"'{status}'"


def my_open_action_items(
    person: Person, oneonones: dict[int, OneOnOne], limit: int
) -> tuple[list[ActionItem], int]:
    """The first `limit` of `person`'s open action items, and how many are open in all:
    overdue first, then by due date (undated last). Each gets its one-on-one from
    `oneonones` (as for upcoming_meetings_for, and in plain SQL for the same reason).

    Overdue items are those with the earliest due dates, so ordering by due date with undated
    items last puts them first without computing an urgency per row.
    """
    if not oneonones:
        return [], 0
    items = ActionItem._meta.db_table
    columns = ", ".join(f"i.{field.column}" for field in ActionItem._meta.concrete_fields)
    mine = "i.owner_id = %s AND i.done_at IS NULL AND i.oneonone_id IN ({})".format(
        ", ".join(["%s"] * len(oneonones))
    )
    params = [person.pk, *oneonones]
    rows = list(
        ActionItem.objects.raw(
            f"""SELECT {columns} FROM {items} i WHERE {mine}
            ORDER BY CASE WHEN i.due_date IS NULL THEN 1 ELSE 0 END, i.due_date, i.created_at, i.id
            LIMIT %s""",
            [*params, limit],
        )
    )
    for item in rows:
        item.oneonone = oneonones[item.oneonone_id]
    if len(rows) < limit:
        # A list shorter than its limit holds every open item.
        return rows, len(rows)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {items} i WHERE {mine}", params)
        return rows, int(cursor.fetchone()[0])


def partners_of(person: Person) -> list[Person]:
    """The people `person` has one-on-ones with (ended ones included), by name."""
    from tete.accounts.models import Person

    mine = oneonones_of(person)
    return list(
        Person.objects.filter(Q(pk__in=mine.values("first")) | Q(pk__in=mine.values("second")))
        .exclude(pk=person.pk)
        .only("id", "name")
        .order_by("name", "id")
    )


def action_items_for(
    person: Person, *, theirs: bool = False, done: bool = False, partner: Person | None = None
) -> QuerySet[ActionItem]:
    """Action items of `person`'s one-on-ones (never of others'): their own, or with `theirs`
    those the other participant owns; open ones overdue first (by due date, undated last),
    done ones latest first. `partner` keeps the one-on-ones with that person."""
    oneonones = oneonones_of(person)
    if partner is not None:
        oneonones = oneonones.filter(Q(first=partner) | Q(second=partner))
    items = ActionItem.objects.filter(oneonone__in=oneonones, done_at__isnull=not done)
    items = items.exclude(owner=person) if theirs else items.filter(owner=person)
    items = items.select_related("oneonone__first", "oneonone__second", "created_in", "owner")
    items = items.defer(*unshown_person_fields("oneonone__first", "oneonone__second", "owner"))
    if done:
        return items.order_by("-done_at", "-id")
    return items.order_by(F("due_date").asc(nulls_last=True), "created_at", "id")


def _open_action_items_for_meeting() -> QuerySet[ActionItem]:
    oneonone = Param("oneonone", BigIntegerField())
    scheduled_at = Param("scheduled_at", DateTimeField())
    # When the previous held meeting was held, as a subquery: one round trip, not two. With no
    # previous meeting every item done so far counts as recently done.
    previous_held_at = Subquery(
        Meeting.objects.filter(
            oneonone_id=oneonone,
            status=MeetingStatus.HELD,
            scheduled_at__lt=scheduled_at,
        )
        .order_by("-scheduled_at")
        .values("held_at")[:1]
    )
    earlier = Q(created_in__isnull=True) | Q(created_in__scheduled_at__lt=scheduled_at)
    recently_done = Q(done_at__gte=Coalesce(previous_held_at, Value(_LONG_AGO)))
    return (
        ActionItem.objects.filter(oneonone_id=oneonone)
        .filter(
            Q(created_in_id=Param("meeting", BigIntegerField()))
            | (earlier & (Q(done_at__isnull=True) | recently_done))
        )
        .select_related("owner", "created_in")
        .defer(*unshown_person_fields("owner"))
        .order_by(
            F("done_at").asc(nulls_first=True),
            F("due_date").asc(nulls_last=True),
            "created_at",
            "id",
        )
    )


_OPEN_ACTION_ITEMS_FOR_MEETING = PreparedQuery(_open_action_items_for_meeting)


def open_action_items_for_meeting(meeting: Meeting) -> list[ActionItem]:
    """The action items to go through in a meeting.

    Those created in it, those still open from earlier meetings (they appear in every later
    meeting until done), and those done since the previous meeting, so that ticking one off
    does not make it vanish mid-conversation.
    """
    return _OPEN_ACTION_ITEMS_FOR_MEETING.run(
        oneonone=meeting.oneonone_id, scheduled_at=meeting.scheduled_at, meeting=meeting.pk
    )
