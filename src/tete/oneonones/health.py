"""How a one-on-one is kept up: figures and plain-worded flags for its two people only.

One-on-ones fail quietly: they are cancelled, postponed, held unprepared, or one side barely
speaks. Each pair sees that about itself here, and no one else does: nothing in this module
is shown beyond the pair (the leaders' view works from aggregates of its own).

* ``health`` — the one-on-one page's figures: the last 90 days beside the 90 before.
* ``flags_for`` — the flags of many one-on-ones at once, for home, in a fixed number of
  queries whatever the number of one-on-ones.

A figure counts only what the viewer may read: the age of the oldest carried-over point
leaves out the other person's private points, whose existence is theirs alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tete.oneonones.models import (
    STALE_AFTER,
    ActionItem,
    Cadence,
    FlagDismissal,
    Meeting,
    MeetingStatus,
    OneOnOne,
    TalkingPoint,
)

if TYPE_CHECKING:
    from tete.accounts.models import Person

#: The span each set of figures covers; the one before it is shown beside it.
WINDOW = dt.timedelta(days=90)
#: The share under which a person is flagged as barely speaking, and in how many analysed
#: meetings in a row: one quiet meeting is a bad day, four are a pattern.
QUIET_SHARE = 0.30
QUIET_MEETINGS = 4
#: "3 of the last 5 were cancelled".
CANCELLED_OF = (3, 5)
#: How long a dismissed flag stays away.
DISMISS_FOR = dt.timedelta(days=14)
#: Days without a held meeting before the pair is told, by cadence: twice the cadence, and
#: at least three weeks when there is none (a standing one-on-one that nobody holds).
NOT_MET_AFTER_DAYS = {
    Cadence.WEEKLY: 14,
    Cadence.BIWEEKLY: 28,
    Cadence.MONTHLY: 62,
    Cadence.NONE: 21,
}


@dataclass(frozen=True)
class Figures:
    """One window's figures. Meetings count by the day they were scheduled for."""

    held: int = 0
    cancelled: int = 0
    rescheduled: int = 0
    #: Held meetings that kept their cadence slot (not moved, not an extra one).
    on_schedule: int = 0
    #: Held meetings both people prepared for: each added a talking point for it or did its
    #: check-in.
    prepared_by_both: int = 0
    #: Action items due in the window (by today), and those done by their due date.
    items_due: int = 0
    items_done_on_time: int = 0
    #: The talk share of the person the conversation is for (report, mentee, client) in the
    #: window's analysed meetings: their mean, or None when none was analysed.
    focus_share: float | None = None
    analysed: int = 0


@dataclass(frozen=True)
class Flag:
    #: Stable per one-on-one, so a dismissal finds it again: "not_met", "cancelled",
    #: "quiet", or "stale:<meeting id>".
    key: str
    oneonone_id: int
    text: str
    url: str = ""
    #: The other person's name, for a list of many one-on-ones' flags (home).
    other: str = ""


@dataclass
class Health:
    days_since_held: int | None
    current: Figures
    previous: Figures
    oldest_carried_days: int | None
    #: Whose share ``focus_share`` is: the person the conversation is for; between peers the
    #: second person (the first's share mirrors it).
    share_of: Person
    flags: list[Flag] = field(default_factory=list)

    def rows(self, viewer: Person) -> list[tuple[str, str, str]]:
        """(figure, last 90 days, the 90 before) as the page shows them."""
        now, before = self.current, self.previous
        rows = [
            ("Held", str(now.held), str(before.held)),
            ("Cancelled", str(now.cancelled), str(before.cancelled)),
            ("Moved", str(now.rescheduled), str(before.rescheduled)),
            (
                "Held on schedule",
                _of(now.on_schedule, now.held),
                _of(before.on_schedule, before.held),
            ),
            (
                "Both prepared",
                _of(now.prepared_by_both, now.held),
                _of(before.prepared_by_both, before.held),
            ),
            (
                "Action items done by their due date",
                _of(now.items_done_on_time, now.items_due),
                _of(before.items_done_on_time, before.items_due),
            ),
        ]
        if now.analysed or before.analysed:
            who = self.share_of
            label = "Your talk share" if who.pk == viewer.pk else f"{who.first_name}’s talk share"
            rows.append((label, _share(now), _share(before)))
        return rows


def _of(part: int, whole: int) -> str:
    return f"{part} of {whole}" if whole else "–"


def _share(figures: Figures) -> str:
    if figures.focus_share is None:
        return "–"
    meetings = "meeting" if figures.analysed == 1 else "meetings"
    return f"{figures.focus_share:.0%} ({figures.analysed} {meetings})"


def is_flag_key(key: str) -> bool:
    """Whether ``key`` names a flag this module raises (what a dismissal may store)."""
    kind, _, meeting = key.partition(":")
    if kind == "stale":
        return meeting.isdigit() and len(key) <= 40
    return kind in ("not_met", "cancelled", "quiet") and not meeting


def health(oneonone: OneOnOne, viewer: Person, now: dt.datetime | None = None) -> Health:
    """The one-on-one page's figures and flags, for one of its two people."""
    now = now or timezone.now()
    (current, previous), latest = _figures(
        oneonone, [(now - WINDOW, now), (now - 2 * WINDOW, now - WINDOW)], viewer
    )
    assert latest is not None
    last_held, oldest_carried = latest.last_held, latest.oldest_carried
    return Health(
        days_since_held=None if last_held is None else max(0, (now - last_held).days),
        current=current,
        previous=previous,
        oldest_carried_days=None if oldest_carried is None else max(0, (now - oldest_carried).days),
        share_of=_focus(oneonone) or oneonone.second,
        flags=flags_for(viewer, [oneonone], now, last_held={oneonone.pk: last_held}),
    )


def window_figures(oneonone: OneOnOne, start: dt.datetime, end: dt.datetime) -> Figures:
    return windows_figures(oneonone, [(start, end)])[0]


def windows_figures(
    oneonone: OneOnOne, windows: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[Figures]:
    """The figures of each (start, end) window, in three queries whatever their number."""
    return _figures(oneonone, windows, None)[0]


@dataclass(frozen=True)
class _Latest:
    last_held: dt.datetime | None
    #: When the oldest talking point still carried over was written, of those the viewer sees.
    oldest_carried: dt.datetime | None


def _figures(
    oneonone: OneOnOne,
    windows: Sequence[tuple[dt.datetime, dt.datetime]],
    viewer: Person | None,
) -> tuple[list[Figures], _Latest | None]:
    """`windows_figures`, and for a viewer the latest moments the page shows beside them
    (read by the same query as the meeting counts)."""
    meetings, latest = _meeting_counts(oneonone, windows, viewer)
    days = _window_days(oneonone, windows)
    due_rows, analysed_rows = _window_rows(oneonone, windows, days)
    items = _item_counts(days, due_rows)
    shares = _focus_shares(windows, analysed_rows)
    figures = []
    for n, window_shares in enumerate(shares):
        held, cancelled, rescheduled, on_schedule, prepared = meetings[n]
        items_due, items_done_on_time = items[n]
        figures.append(
            Figures(
                held=held,
                cancelled=cancelled,
                rescheduled=rescheduled,
                on_schedule=on_schedule,
                prepared_by_both=prepared,
                items_due=items_due,
                items_done_on_time=items_done_on_time,
                focus_share=sum(window_shares) / len(window_shares) if window_shares else None,
                analysed=len(window_shares),
            )
        )
    return figures, latest


def _meeting_counts(
    oneonone: OneOnOne,
    windows: Sequence[tuple[dt.datetime, dt.datetime]],
    viewer: Person | None = None,
) -> tuple[list[tuple[int, int, int, int, int]], _Latest | None]:
    """(held, cancelled, moved, held on schedule, held and prepared by both) per window, and
    for a viewer the `_Latest` moments, as two more columns of the same row.

    Plain SQL: the one-on-one page runs it on every view, and the ORM took several times
    longer to build these filtered counts than the database takes to answer them. Each
    query a page runs costs the app about a tenth of a millisecond whatever it asks, so the
    latest moments ride along rather than take two queries of their own.
    """
    from tete.surveys.models import Participation, Round

    ops = connection.ops
    # Each person added a talking point for the meeting or did its check-in. A carried point
    # was written for an earlier meeting: it shows no preparation for this one.
    prepared_by = f"""(
        EXISTS (SELECT 1 FROM {TalkingPoint._meta.db_table} p
            WHERE p.meeting_id = m.id AND p.author_id = %s AND p.carried_over_count = 0)
        OR EXISTS (SELECT 1 FROM {Participation._meta.db_table} pa
            INNER JOIN {Round._meta.db_table} r ON r.id = pa.round_id
            WHERE r.meeting_id = m.id AND pa.person_id = %s AND pa.responded_on IS NOT NULL)
    )"""
    held = "m.status = %s"
    conditions: list[tuple[str, list[Any]]] = [
        (held, [MeetingStatus.HELD.value]),
        ("m.status = %s", [MeetingStatus.CANCELLED.value]),
        ("m.original_scheduled_at IS NOT NULL", []),
        (
            f"{held} AND m.original_scheduled_at IS NULL AND m.extra = %s",
            [MeetingStatus.HELD.value, False],
        ),
        (
            f"{held} AND {prepared_by} AND {prepared_by}",
            [MeetingStatus.HELD.value, *[oneonone.first_id] * 2, *[oneonone.second_id] * 2],
        ),
    ]
    columns, params = [], []
    for start, end in windows:
        span = [ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)]
        for condition, values in conditions:
            columns.append(
                "COALESCE(SUM(CASE WHEN m.scheduled_at >= %s AND m.scheduled_at < %s"
                f" AND {condition} THEN 1 ELSE 0 END), 0)"
            )
            params += [*span, *values]
    if viewer is not None:
        # Both by index, over this one-on-one's rows only: the meeting (one-on-one, status,
        # scheduled_at) index for the first, the points of its meetings for the second.
        columns.append(
            f"(SELECT MAX(h.scheduled_at) FROM {Meeting._meta.db_table} h"
            " WHERE h.oneonone_id = %s AND h.status = %s)"
        )
        params += [oneonone.pk, MeetingStatus.HELD.value]
        # The other person's private points are theirs alone: not even their age shows.
        columns.append(
            f"(SELECT MIN(p.created_at) FROM {TalkingPoint._meta.db_table} p"
            f" INNER JOIN {Meeting._meta.db_table} c ON c.id = p.meeting_id"
            " WHERE c.oneonone_id = %s AND p.discussed = %s AND p.carried_over_count > 0"
            " AND (p.private = %s OR p.author_id = %s))"
        )
        params += [oneonone.pk, False, False, viewer.pk]
    sql = (
        f"SELECT {', '.join(columns)} FROM {Meeting._meta.db_table} m"
        " WHERE m.oneonone_id = %s AND m.scheduled_at >= %s AND m.scheduled_at < %s"
    )
    params += [
        oneonone.pk,
        ops.adapt_datetimefield_value(min(start for start, _ in windows)),
        ops.adapt_datetimefield_value(max(end for _, end in windows)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    width = len(conditions)
    counts = [int(value) for value in row[: width * len(windows)]]
    per_window = [tuple(counts[n * width : (n + 1) * width]) for n in range(len(windows))]
    latest = None
    if viewer is not None:
        last_held, oldest_carried = row[width * len(windows) :]
        latest = _Latest(_from_db_datetime(last_held), _from_db_datetime(oldest_carried))
    return per_window, latest  # type: ignore[return-value]


def _from_db(value: Any, kind: str) -> Any:
    """A `kind` ("datetime" or "date") column read by plain SQL, as the ORM gives it: SQLite
    returns the text it stores for an aggregate or a UNION (its backend converts it as this
    does); PostgreSQL a datetime or a date."""
    convert = getattr(connection.ops, f"convert_{kind}field_value", None)
    if value is None or convert is None:
        return value
    return convert(value, None, connection)


def _from_db_datetime(value: Any) -> dt.datetime | None:
    return _from_db(value, "datetime")


def _window_rows(
    oneonone: OneOnOne,
    windows: Sequence[tuple[dt.datetime, dt.datetime]],
    days: list[tuple[dt.date, dt.date]],
) -> tuple[list[tuple[dt.date, dt.datetime | None]], list[tuple[dt.datetime, float]]]:
    """The rows the windows' item and talk-share figures are made from, in one statement:
    (due date, done at) of the action items due in them, and (when, the focus person's share)
    of their analysed meetings, from each meeting's latest report.

    Plain SQL, for one query where the ORM would take two: the one-on-one page reads these
    on every view. Each branch's columns: (kind, due date, moment, share, place).
    """
    from tete.reports.models import ConversationReport, Transcript

    column = _share_column(oneonone)
    ops = connection.ops
    sql = f"""
        SELECT 0, i.due_date, i.done_at, CAST(NULL AS DOUBLE PRECISION), 1
        FROM {ActionItem._meta.db_table} i
        WHERE i.oneonone_id = %s AND i.due_date >= %s AND i.due_date < %s
        UNION ALL
        SELECT 1, CAST(NULL AS DATE), a.scheduled_at, a.share, a.place FROM (
            SELECT m.scheduled_at, r.{column} AS share, ROW_NUMBER() OVER (
                PARTITION BY r.meeting_id ORDER BY r.created_at DESC, r.id DESC
            ) AS place
            FROM {ConversationReport._meta.db_table} r
            INNER JOIN {Meeting._meta.db_table} m ON m.id = r.meeting_id
            INNER JOIN {Transcript._meta.db_table} t ON t.id = r.transcript_id
            WHERE r.oneonone_id = %s AND t.status = %s AND r.{column} IS NOT NULL
                AND m.scheduled_at >= %s AND m.scheduled_at < %s
        ) a
        WHERE a.place = 1
    """
    params = [
        oneonone.pk,
        ops.adapt_datefield_value(min(first for first, _ in days)),
        ops.adapt_datefield_value(max(last for _, last in days)),
        oneonone.pk,
        "done",
        ops.adapt_datetimefield_value(min(start for start, _ in windows)),
        ops.adapt_datetimefield_value(max(end for _, end in windows)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    items: list[tuple[dt.date, dt.datetime | None]] = []
    analysed: list[tuple[dt.datetime, float]] = []
    for kind, due_date, moment, share, _ in rows:
        if kind == 0:
            items.append((_from_db(due_date, "date"), _from_db_datetime(moment)))
        else:
            when = _from_db_datetime(moment)
            assert when is not None
            analysed.append((when, share))
    return items, analysed


def _window_days(
    oneonone: OneOnOne, windows: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[tuple[dt.date, dt.date]]:
    return [
        (timezone.localdate(start, oneonone.tzinfo), timezone.localdate(end, oneonone.tzinfo))
        for start, end in windows
    ]


def _item_counts(
    days: list[tuple[dt.date, dt.date]], items: list[tuple[dt.date, dt.datetime | None]]
) -> list[tuple[int, int]]:
    """(due, done by their due date) per window (`days`: its first and last day): action
    items by their due date, up to the window's end (or today) only, as one due later is
    neither late nor on time yet."""
    counts = [[0, 0] for _ in days]
    for due_date, done_at in items:
        # Done on the day as the viewer counts days (what a `__date` lookup would compare).
        on_time = done_at is not None and timezone.localdate(done_at) <= due_date
        for n, (first, last) in enumerate(days):
            if first <= due_date < last:
                counts[n][0] += 1
                counts[n][1] += on_time
    return [(due, on_time) for due, on_time in counts]


def _focus(oneonone: OneOnOne) -> Person | None:
    # The focus person is one of the two, read with the one-on-one: `focus_person` would be
    # read again, once per one-on-one on home.
    if oneonone.focus_person_id == oneonone.first_id:
        return oneonone.first
    if oneonone.focus_person_id == oneonone.second_id:
        return oneonone.second
    return None


def _share_column(oneonone: OneOnOne) -> str:
    focus_id = oneonone.focus_person_id or oneonone.second_id
    return "first_share" if focus_id == oneonone.first_id else "second_share"


def _focus_shares(
    windows: Sequence[tuple[dt.datetime, dt.datetime]], analysed: list[tuple[dt.datetime, float]]
) -> list[list[float]]:
    """The focus person's share in each analysed meeting of each window (its latest report)."""
    return [[share for when, share in analysed if start <= when < end] for start, end in windows]


def flags_for(
    viewer: Person,
    oneonones: Sequence[OneOnOne],
    now: dt.datetime | None = None,
    *,
    last_held: dict[int, dt.datetime | None] | None = None,
) -> list[Flag]:
    """The flags ``viewer`` has not dismissed, for their running one-on-ones among
    ``oneonones`` (whose ``first`` and ``second`` should be selected). ``last_held``, when the
    caller knows it, need not be read. Each kind of flag reads only its latest few rows per
    one-on-one, so the cost does not grow with the history."""
    now = now or timezone.now()
    running = {o.pk: o for o in oneonones if not o.is_ended and o.is_participant(viewer)}
    if not running:
        return []
    ids = list(running)
    rows = _flag_rows(ids, now, read_last_held=last_held is None)
    flags = [
        *_not_met_flags(viewer, running, rows.last_held if last_held is None else last_held, now),
        *_cancelled_flags(rows.past),
        *_quiet_flags(viewer, running, rows.reported),
        *_stale_flags(running, rows.stale),
    ]
    if not flags:
        return []
    dismissed = set(
        FlagDismissal.objects.filter(person=viewer, oneonone_id__in=ids, until__gt=now).values_list(
            "oneonone_id", "key"
        )
    )
    return [
        replace(flag, other=running[flag.oneonone_id].other(viewer).name)
        for flag in flags
        if (flag.oneonone_id, flag.key) not in dismissed
    ]


@dataclass
class _FlagRows:
    """What the flags are made from, per one-on-one."""

    #: The last held meeting's time.
    last_held: dict[int, dt.datetime | None] = field(default_factory=dict)
    #: The latest held or cancelled meetings' statuses, newest first.
    past: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: The latest analysed meetings' reports, newest first: (meeting, first share, second share).
    reported: dict[int, list[tuple[int, float | None, float | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    #: Meetings left scheduled after their day: (meeting, one-on-one, time), oldest first.
    stale: list[tuple[int, int, dt.datetime]] = field(default_factory=list)


_LAST_HELD, _PAST, _REPORTED, _STALE = range(4)
# Typed empty columns: PostgreSQL matches the columns of a UNION two branches at a time, and
# two untyped NULLs would become text, which a later branch's number or time cannot match.
_NO_ID = "CAST(NULL AS BIGINT)"
_NO_STATUS = "CAST(NULL AS VARCHAR(20))"
_NO_TIME = "CAST(NULL AS TIMESTAMP WITH TIME ZONE)"
_NO_SHARE = "CAST(NULL AS DOUBLE PRECISION)"


def _flag_rows(ids: list[int], now: dt.datetime, *, read_last_held: bool) -> _FlagRows:
    """Every row the flags need, for the one-on-ones ``ids``, in one statement: each query a
    page runs costs the app about a tenth of a millisecond whatever it asks, and home and the
    one-on-one page read these on every view.

    Plain SQL: the latest rows of each one-on-one are numbered by a window function, so that
    the database reads them by index, not the whole history. Each branch's columns:
    (kind, one-on-one, meeting, status, time, first share, second share, place).
    """
    from tete.reports.models import ConversationReport, Transcript

    meetings = Meeting._meta.db_table
    within = ", ".join(["%s"] * len(ids))
    branches: list[str] = []
    params: list[Any] = []
    if read_last_held:
        branches.append(
            f"""SELECT {_LAST_HELD}, m.oneonone_id, {_NO_ID}, {_NO_STATUS}, MAX(m.scheduled_at),
                {_NO_SHARE}, {_NO_SHARE}, 0
            FROM {meetings} m WHERE m.oneonone_id IN ({within}) AND m.status = %s
            GROUP BY m.oneonone_id"""
        )
        params += [*ids, MeetingStatus.HELD.value]
    branches.append(
        f"""SELECT {_PAST}, p.oneonone_id, {_NO_ID}, p.status, {_NO_TIME}, {_NO_SHARE},
            {_NO_SHARE}, p.place
        FROM (
            SELECT m.oneonone_id, m.status, ROW_NUMBER() OVER (
                PARTITION BY m.oneonone_id ORDER BY m.scheduled_at DESC, m.id DESC
            ) AS place
            FROM {meetings} m
            WHERE m.oneonone_id IN ({within}) AND m.status IN (%s, %s)
        ) p
        WHERE p.place <= %s"""
    )
    params += [*ids, MeetingStatus.HELD.value, MeetingStatus.CANCELLED.value, CANCELLED_OF[1]]
    # A meeting may have several reports (a file uploaded again): read a few more rows than
    # meetings, and keep each meeting's latest.
    branches.append(
        f"""SELECT {_REPORTED}, r.oneonone_id, r.meeting_id, {_NO_STATUS}, {_NO_TIME},
            r.first_share, r.second_share, r.place
        FROM (
            SELECT c.oneonone_id, c.meeting_id, c.first_share, c.second_share, ROW_NUMBER() OVER (
                PARTITION BY c.oneonone_id ORDER BY m.scheduled_at DESC, c.created_at DESC
            ) AS place
            FROM {ConversationReport._meta.db_table} c
            INNER JOIN {meetings} m ON m.id = c.meeting_id
            INNER JOIN {Transcript._meta.db_table} t ON t.id = c.transcript_id
            WHERE c.oneonone_id IN ({within}) AND t.status = %s
        ) r
        WHERE r.place <= %s"""
    )
    params += [*ids, "done", QUIET_MEETINGS * 3]
    branches.append(
        f"""SELECT {_STALE}, m.oneonone_id, m.id, {_NO_STATUS}, m.scheduled_at, {_NO_SHARE},
            {_NO_SHARE}, 0
        FROM {meetings} m
        WHERE m.oneonone_id IN ({within}) AND m.status = %s AND m.scheduled_at < %s"""
    )
    params += [
        *ids,
        MeetingStatus.SCHEDULED.value,
        connection.ops.adapt_datetimefield_value(now - STALE_AFTER),
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches) + " ORDER BY 1, 2, 8", params)
        rows = cursor.fetchall()
    found = _FlagRows()
    for kind, oneonone_id, meeting_id, status, moment, first_share, second_share, _ in rows:
        if kind == _LAST_HELD:
            found.last_held[oneonone_id] = _from_db_datetime(moment)
        elif kind == _PAST:
            found.past[oneonone_id].append(status)
        elif kind == _REPORTED:
            found.reported[oneonone_id].append((meeting_id, first_share, second_share))
        else:
            when = _from_db_datetime(moment)
            assert when is not None
            found.stale.append((meeting_id, oneonone_id, when))
    found.stale.sort(key=lambda stale: (stale[2], stale[0]))
    return found


def _not_met_flags(
    viewer: Person,
    running: dict[int, OneOnOne],
    last_held: dict[int, dt.datetime | None],
    now: dt.datetime,
) -> list[Flag]:
    flags = []
    for pk, oneonone in running.items():
        # Never held: counted from when it started, so a new pair is not told at once.
        since = last_held.get(pk) or timezone.make_aware(
            dt.datetime.combine(oneonone.starts_on, dt.time()), oneonone.tzinfo
        )
        days = (now - since).days
        if days > NOT_MET_AFTER_DAYS[Cadence(oneonone.cadence)]:
            name = oneonone.other(viewer).first_name
            flags.append(Flag("not_met", pk, f"No one-on-one with {name} for {days} days"))
    return flags


def _cancelled_flags(past: dict[int, list[str]]) -> list[Flag]:
    cancelled, of = CANCELLED_OF
    return [
        Flag("cancelled", pk, f"{count} of the last {of} were cancelled")
        for pk, statuses in past.items()
        if len(statuses) == of and (count := statuses.count(MeetingStatus.CANCELLED)) >= cancelled
    ]


def _quiet_flags(
    viewer: Person,
    running: dict[int, OneOnOne],
    reported: dict[int, list[tuple[int, float | None, float | None]]],
) -> list[Flag]:
    # The latest report of each of the latest analysed meetings, per one-on-one.
    recent: dict[int, dict[int, tuple[float | None, float | None]]] = defaultdict(dict)
    for pk, reports in reported.items():
        meetings = recent[pk]
        for meeting_id, first_share, second_share in reports:
            if meeting_id not in meetings and len(meetings) < QUIET_MEETINGS:
                meetings[meeting_id] = (first_share, second_share)
    flags = []
    for pk, meetings in recent.items():
        if len(meetings) < QUIET_MEETINGS:
            continue
        oneonone = running[pk]
        focus = _focus(oneonone)
        # Between peers either may be the quiet one; otherwise the person it is for.
        people = [focus] if focus is not None else [oneonone.first, oneonone.second]
        for person in people:
            index = 0 if person.pk == oneonone.first_id else 1
            shares = [figures[index] for figures in meetings.values()]
            if all(share is not None and share < QUIET_SHARE for share in shares):
                who = "You have" if person.pk == viewer.pk else f"{person.first_name} has"
                flags.append(
                    Flag(
                        "quiet",
                        pk,
                        f"{who} talked under {QUIET_SHARE:.0%} in the last {QUIET_MEETINGS} "
                        "analysed meetings",
                    )
                )
    return flags


def _stale_flags(
    running: dict[int, OneOnOne], stale: list[tuple[int, int, dt.datetime]]
) -> list[Flag]:
    flags = []
    for pk, oneonone_id, scheduled_at in stale:
        day = timezone.localtime(scheduled_at, running[oneonone_id].tzinfo)
        flags.append(
            Flag(
                f"stale:{pk}",
                oneonone_id,
                f"The meeting of {day:%-d %B} is still marked as scheduled: was it held?",
                reverse("oneonones:meeting", args=[pk]),
            )
        )
    return flags
