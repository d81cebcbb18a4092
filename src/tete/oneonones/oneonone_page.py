"""The one-on-one page's read queries, compiled once (tete/prepared.py): the page runs them on
every view with only the one-on-one, the viewer and the day changing."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BigIntegerField, Count, DateTimeField, Exists, OuterRef, Q, Window
from django.db.models.functions import Coalesce

from tete.oneonones.access import unshown_person_fields
from tete.oneonones.models import (
    UPCOMING_STATUSES,
    ActionItem,
    Meeting,
    MeetingStatus,
    OneOnOne,
    SharedNote,
)
from tete.oneonones.queries import visible_point_count
from tete.prepared import Param, PreparedQuery

if TYPE_CHECKING:
    from tete.accounts.models import Person


def _oneonone() -> Param:
    return Param("oneonone", BigIntegerField())


def _stale() -> Q:
    """A meeting left "scheduled" long after its day (see models.STALE_AFTER)."""
    return Q(
        status=MeetingStatus.SCHEDULED, scheduled_at__lte=Param("stale_before", DateTimeField())
    )


def _past() -> Q:
    """Held meetings, cancelled ones whose day has come, and stale ones."""
    return (
        Q(status=MeetingStatus.HELD)
        | Q(status=MeetingStatus.CANCELLED, scheduled_at__lt=Param("today_starts", DateTimeField()))
        | _stale()
    )


def ahead(
    oneonone: OneOnOne,
    count: int,
    cancelled_count: int,
    stale_before: dt.datetime,
    today_starts: dt.datetime,
) -> tuple[list[Meeting], list[Meeting]]:
    """The first `count` meetings ahead (scheduled or moved, not left scheduled long after
    their day), and the first `cancelled_count` cancelled ones whose day has not come, both
    soonest first, in one statement.

    Plain SQL: a UNION of the two, each with its own limit (neither may crowd the other out),
    which the ORM writes only where the database allows a limit in a UNION's branches.
    """
    meetings = Meeting._meta.db_table
    columns = ", ".join(f"m.{field.column}" for field in Meeting._meta.concrete_fields)
    upcoming = ", ".join(["%s"] * len(UPCOMING_STATUSES))
    ops = connection.ops
    sql = f"""
        SELECT * FROM (
            SELECT {columns}, 0 AS part FROM {meetings} m
            WHERE m.oneonone_id = %s AND m.status IN ({upcoming})
                AND NOT (m.status = %s AND m.scheduled_at <= %s)
            ORDER BY m.scheduled_at, m.id LIMIT %s
        ) upcoming
        UNION ALL
        SELECT * FROM (
            SELECT {columns}, 1 AS part FROM {meetings} m
            WHERE m.oneonone_id = %s AND m.status = %s AND m.scheduled_at >= %s
            ORDER BY m.scheduled_at, m.id LIMIT %s
        ) cancelled
        ORDER BY part, scheduled_at, id
    """
    params = [
        oneonone.pk,
        *(str(status) for status in UPCOMING_STATUSES),
        str(MeetingStatus.SCHEDULED),
        ops.adapt_datetimefield_value(stale_before),
        count,
        oneonone.pk,
        str(MeetingStatus.CANCELLED),
        ops.adapt_datetimefield_value(today_starts),
        cancelled_count,
    ]
    found: tuple[list[Meeting], list[Meeting]] = ([], [])
    for meeting in Meeting.objects.raw(sql, params):
        meeting.oneonone = oneonone
        found[meeting.part].append(meeting)  # type: ignore[attr-defined]
    return found


_HISTORY_COUNT = PreparedQuery(
    lambda: (
        Meeting.objects.filter(_past(), oneonone_id=_oneonone())
        .order_by()
        .values("oneonone")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
)


@functools.lru_cache(maxsize=64)
def _history_slice(start: int, stop: int) -> PreparedQuery:
    # Annotations by subquery, not join and GROUP BY, so that the count above is a plain
    # count of past meetings. LIMIT and OFFSET are part of the SQL: one query per page.
    # `total` counts every past meeting, before the limit: the paginator's count comes with
    # the page it will ask for. The database computes the subqueries of the rows it returns
    # only, as the limit stops it reading on.
    return PreparedQuery(
        lambda: (
            Meeting.objects.filter(_past(), oneonone_id=_oneonone())
            .annotate(
                point_count=Coalesce(visible_point_count(Param("me", BigIntegerField())), 0),
                has_notes=Exists(
                    SharedNote.objects.filter(meeting=OuterRef("pk")).exclude(text="")
                ),
                total=Window(Count("pk")),
            )
            .order_by("-scheduled_at", "-id")[start:stop]
        )
    )


class History:
    """A one-on-one's past meetings for a Paginator: newest first, each with the talking points
    the viewer sees (`point_count`) and whether it has shared notes (`has_notes`).

    `expected` is the slice the paginator will most likely ask for (the page the address
    names): the paginator asks for the count first, and that page's query gives the count
    too. Another slice, or an empty page, costs a query of its own, as it always did.
    """

    def __init__(
        self,
        oneonone: OneOnOne,
        me: Person,
        today_starts: dt.datetime,
        stale_before: dt.datetime,
        expected: slice | None = None,
    ) -> None:
        self._oneonone = oneonone
        self._values: dict[str, Any] = {
            "oneonone": oneonone.pk,
            "me": me.pk,
            "today_starts": today_starts,
            "stale_before": stale_before,
        }
        self._expected = expected
        self._read: list[Meeting] | None = None

    def count(self) -> int:
        if self._expected is not None:
            self._read = self[self._expected]
            if self._read:
                return int(self._read[0].total)  # type: ignore[attr-defined]
        values = {k: v for k, v in self._values.items() if k != "me"}
        found = _HISTORY_COUNT.run(**values)
        return int(found[0]) if found else 0

    def __getitem__(self, window: slice) -> list[Meeting]:
        expected = self._expected
        # The last page is cut short at the count: the same rows, fewer of them.
        if (
            self._read is not None
            and expected is not None
            and window.start == expected.start
            and window.stop <= expected.stop
        ):
            return self._read[: window.stop - window.start]
        if window.stop <= window.start:
            return []  # an empty page (LIMIT 0 is no query at all)
        meetings = _history_slice(window.start, window.stop).run(**self._values)
        for meeting in meetings:
            meeting.oneonone = self._oneonone
        return meetings


def page_slice(number: str | None, size: int) -> slice:
    """The slice of the page the address names, as the paginator will cut it when that page
    exists (the first page for anything but a whole number)."""
    try:
        page = max(1, int(number or 1))
    except ValueError:
        page = 1
    return slice((page - 1) * size, page * size)


_OPEN_ITEMS = PreparedQuery(
    lambda: (
        ActionItem.objects.filter(oneonone_id=_oneonone(), done_at__isnull=True)
        .select_related("owner", "created_in")
        .defer(*unshown_person_fields("owner"))
    )
)


def open_items(oneonone: OneOnOne) -> list[ActionItem]:
    items = _OPEN_ITEMS.run(oneonone=oneonone.pk)
    for item in items:
        item.oneonone = oneonone
    return items
