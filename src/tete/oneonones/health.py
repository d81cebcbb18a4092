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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, Max, OuterRef, Q
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


@dataclass
class Health:
    days_since_held: int | None
    current: Figures
    previous: Figures
    oldest_carried_days: int | None
    #: Whose share ``focus_share`` is (None between peers: then the second person's, whose
    #: share mirrors the first's).
    focus: Person | None
    flags: list[Flag] = field(default_factory=list)


def health(oneonone: OneOnOne, viewer: Person, now: dt.datetime | None = None) -> Health:
    """The one-on-one page's figures and flags, for one of its two people."""
    now = now or timezone.now()
    focus = _focus(oneonone)
    return Health(
        days_since_held=_days_since_held(oneonone, now),
        current=window_figures(oneonone, now - WINDOW, now),
        previous=window_figures(oneonone, now - 2 * WINDOW, now - WINDOW),
        oldest_carried_days=_oldest_carried_days(oneonone, viewer, now),
        focus=focus,
        flags=flags_for(viewer, [oneonone], now),
    )


def window_figures(oneonone: OneOnOne, start: dt.datetime, end: dt.datetime) -> Figures:
    meetings = oneonone.meetings.filter(scheduled_at__gte=start, scheduled_at__lt=end)
    held = Q(status=MeetingStatus.HELD)
    counts = meetings.aggregate(
        held=Count("id", filter=held),
        cancelled=Count("id", filter=Q(status=MeetingStatus.CANCELLED)),
        rescheduled=Count("id", filter=Q(original_scheduled_at__isnull=False)),
        on_schedule=Count("id", filter=held & Q(original_scheduled_at__isnull=True, extra=False)),
    )
    prepared = (
        meetings.filter(held)
        .filter(_prepared_by(oneonone.first_id))
        .filter(_prepared_by(oneonone.second_id))
        .count()
    )
    today = timezone.localdate(end, oneonone.tzinfo)
    items = ActionItem.objects.filter(
        oneonone=oneonone,
        due_date__gte=timezone.localdate(start, oneonone.tzinfo),
        due_date__lt=today,
    ).aggregate(
        due=Count("id"),
        on_time=Count("id", filter=Q(done_at__isnull=False, done_at__date__lte=F("due_date"))),
    )
    shares = _focus_shares(oneonone, start, end)
    return Figures(
        **counts,
        prepared_by_both=prepared,
        items_due=items["due"],
        items_done_on_time=items["on_time"],
        focus_share=sum(shares) / len(shares) if shares else None,
        analysed=len(shares),
    )


def _prepared_by(person_id: int) -> Q:
    from tete.surveys.models import Participation

    # A carried point was written for an earlier meeting: it shows no preparation for this one.
    point = TalkingPoint.objects.filter(
        meeting=OuterRef("pk"), author_id=person_id, carried_over_count=0
    )
    checkin = Participation.objects.filter(
        round__meeting=OuterRef("pk"), person_id=person_id, responded_on__isnull=False
    )
    return Q(Exists(point)) | Q(Exists(checkin))


def _focus(oneonone: OneOnOne) -> Person | None:
    if oneonone.focus_person_id in (oneonone.first_id, oneonone.second_id):
        return oneonone.focus_person
    return None


def _share_column(oneonone: OneOnOne) -> str:
    focus_id = oneonone.focus_person_id or oneonone.second_id
    return "first_share" if focus_id == oneonone.first_id else "second_share"


def _focus_shares(oneonone: OneOnOne, start: dt.datetime, end: dt.datetime) -> list[float]:
    """The focus person's share in each analysed meeting of the window (its latest report)."""
    from tete.reports.models import ConversationReport

    column = _share_column(oneonone)
    rows = (
        ConversationReport.objects.filter(
            oneonone=oneonone,
            transcript__status="done",
            meeting__scheduled_at__gte=start,
            meeting__scheduled_at__lt=end,
            **{f"{column}__isnull": False},
        )
        .order_by("meeting_id", "-created_at")
        .values_list("meeting_id", column)
    )
    latest: dict[int, float] = {}
    for meeting_id, share in rows:
        latest.setdefault(meeting_id, share)
    return list(latest.values())


def _days_since_held(oneonone: OneOnOne, now: dt.datetime) -> int | None:
    last = oneonone.meetings.filter(status=MeetingStatus.HELD).aggregate(last=Max("scheduled_at"))[
        "last"
    ]
    return None if last is None else max(0, (now - last).days)


def _oldest_carried_days(oneonone: OneOnOne, viewer: Person, now: dt.datetime) -> int | None:
    oldest = (
        TalkingPoint.objects.filter(
            meeting__oneonone=oneonone, discussed=False, carried_over_count__gt=0
        )
        .filter(Q(private=False) | Q(author=viewer))
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if oldest is None else max(0, (now - oldest).days)


def flags_for(
    viewer: Person, oneonones: Sequence[OneOnOne], now: dt.datetime | None = None
) -> list[Flag]:
    """The flags ``viewer`` has not dismissed, for their running one-on-ones among
    ``oneonones`` (whose ``first`` and ``second`` should be selected)."""
    now = now or timezone.now()
    running = {o.pk: o for o in oneonones if not o.is_ended and o.is_participant(viewer)}
    if not running:
        return []
    ids = list(running)
    flags = [
        *_not_met_flags(viewer, running, now),
        *_cancelled_flags(ids),
        *_quiet_flags(viewer, running),
        *_stale_flags(ids, now),
    ]
    dismissed = set(
        FlagDismissal.objects.filter(person=viewer, oneonone_id__in=ids, until__gt=now).values_list(
            "oneonone_id", "key"
        )
    )
    return [flag for flag in flags if (flag.oneonone_id, flag.key) not in dismissed]


def _not_met_flags(viewer: Person, running: dict[int, OneOnOne], now: dt.datetime) -> list[Flag]:
    last_held = dict(
        Meeting.objects.filter(oneonone_id__in=list(running), status=MeetingStatus.HELD)
        .values("oneonone_id")
        .annotate(last=Max("scheduled_at"))
        .values_list("oneonone_id", "last")
    )
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


def _cancelled_flags(ids: list[int]) -> list[Flag]:
    cancelled, of = CANCELLED_OF
    past = (
        Meeting.objects.filter(
            oneonone_id__in=ids, status__in=(MeetingStatus.HELD, MeetingStatus.CANCELLED)
        )
        .order_by("oneonone_id", "-scheduled_at")
        .values_list("oneonone_id", "status")
    )
    latest: dict[int, list[str]] = defaultdict(list)
    for pk, status in past:
        if len(latest[pk]) < of:
            latest[pk].append(status)
    return [
        Flag("cancelled", pk, f"{count} of the last {of} were cancelled")
        for pk, statuses in latest.items()
        if len(statuses) == of and (count := statuses.count(MeetingStatus.CANCELLED)) >= cancelled
    ]


def _quiet_flags(viewer: Person, running: dict[int, OneOnOne]) -> list[Flag]:
    from tete.reports.models import ConversationReport

    rows = (
        ConversationReport.objects.filter(oneonone_id__in=list(running), transcript__status="done")
        .order_by("oneonone_id", "-meeting__scheduled_at", "-created_at")
        .values_list("oneonone_id", "meeting_id", "first_share", "second_share")
    )
    # The latest report of each of the latest analysed meetings, per one-on-one.
    recent: dict[int, dict[int, tuple[float | None, float | None]]] = defaultdict(dict)
    for pk, meeting_id, first_share, second_share in rows:
        meetings = recent[pk]
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


def _stale_flags(ids: list[int], now: dt.datetime) -> list[Flag]:
    stale = (
        Meeting.objects.filter(
            oneonone_id__in=ids, status=MeetingStatus.SCHEDULED, scheduled_at__lt=now - STALE_AFTER
        )
        .select_related("oneonone")
        .order_by("scheduled_at")
    )
    flags = []
    for meeting in stale:
        day = timezone.localtime(meeting.scheduled_at, meeting.oneonone.tzinfo)
        flags.append(
            Flag(
                f"stale:{meeting.pk}",
                meeting.oneonone_id,
                f"The meeting of {day:%-d %B} is still marked as scheduled: was it held?",
                reverse("oneonones:meeting", args=[meeting.pk]),
            )
        )
    return flags
