"""The one-on-one page's read queries, compiled once (tete/prepared.py): the page runs them on
every view with only the one-on-one, the viewer and the day changing."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from django.db.models import BigIntegerField, Count, DateTimeField, Exists, OuterRef, Q
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


def _ahead(count: int) -> PreparedQuery:
    return PreparedQuery(
        lambda: (
            Meeting.objects.filter(oneonone_id=_oneonone(), status__in=UPCOMING_STATUSES)
            .exclude(_stale())
            .order_by("scheduled_at", "id")[:count]
        )
    )


def _cancelled_ahead(count: int) -> PreparedQuery:
    return PreparedQuery(
        lambda: Meeting.objects.filter(
            oneonone_id=_oneonone(),
            status=MeetingStatus.CANCELLED,
            scheduled_at__gte=Param("today_starts", DateTimeField()),
        ).order_by("scheduled_at", "id")[:count]
    )


ahead = functools.cache(_ahead)
cancelled_ahead = functools.cache(_cancelled_ahead)

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
    return PreparedQuery(
        lambda: (
            Meeting.objects.filter(_past(), oneonone_id=_oneonone())
            .annotate(
                point_count=Coalesce(visible_point_count(Param("me", BigIntegerField())), 0),
                has_notes=Exists(
                    SharedNote.objects.filter(meeting=OuterRef("pk")).exclude(text="")
                ),
            )
            .order_by("-scheduled_at", "-id")[start:stop]
        )
    )


class History:
    """A one-on-one's past meetings for a Paginator: newest first, each with the talking points
    the viewer sees (`point_count`) and whether it has shared notes (`has_notes`)."""

    def __init__(
        self, oneonone: OneOnOne, me: Person, today_starts: dt.datetime, stale_before: dt.datetime
    ) -> None:
        self._oneonone = oneonone
        self._values: dict[str, Any] = {
            "oneonone": oneonone.pk,
            "me": me.pk,
            "today_starts": today_starts,
            "stale_before": stale_before,
        }

    def count(self) -> int:
        values = {k: v for k, v in self._values.items() if k != "me"}
        found = _HISTORY_COUNT.run(**values)
        return int(found[0]) if found else 0

    def __getitem__(self, window: slice) -> list[Meeting]:
        if window.stop <= window.start:
            return []  # an empty page (LIMIT 0 is no query at all)
        meetings = _history_slice(window.start, window.stop).run(**self._values)
        for meeting in meetings:
            meeting.oneonone = self._oneonone
        return meetings


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
