"""What each pair's one-on-ones did in each month: the facts the aggregates are made of.

A *pair* is a person and the manager they had at the month's end; its *unit* is that pair's
month. The facts stay inside this app: only aggregates over many units leave it (plan.py).
Preparation means what it means on a one-on-one's own page (oneonones/health.py): each of
the two people added a talking point for the meeting (not one carried over) or answered its
check-in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tete.leaders.periods import Month
from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne, TalkingPoint

#: "Had a one-on-one with their manager in the last 30 days" of the period.
COVERAGE_DAYS = 30
#: How far before a month a previous held meeting is looked for, to measure the first gap.
GAP_LOOKBACK = dt.timedelta(days=183)


@dataclass
class UnitFacts:
    """One pair's month."""

    #: A held meeting in the month's last 30 days.
    covered: bool = False
    #: Days between each held meeting of the month and the held meeting before it.
    gaps: list[float] = field(default_factory=list)
    held: int = 0
    cancelled: int = 0
    #: Held meetings both people prepared for.
    prepared: int = 0
    #: The report's talk share in each analysed held meeting (its latest report).
    shares: list[float] = field(default_factory=list)
    #: Check-ins of held meetings asked of either person, and those answered.
    checkins_asked: int = 0
    checkins_answered: int = 0


Unit = tuple[Month, int]  # (month, the report's person id)


def unit_facts(units: Iterable[tuple[Month, int, int]]) -> dict[Unit, UnitFacts]:
    """The facts of each (month, person, manager) unit, in five queries."""
    units = list(units)
    facts: dict[Unit, UnitFacts] = {(month, person): UnitFacts() for month, person, _ in units}
    if not units:
        return facts
    people = {p for _, person, manager in units for p in (person, manager)}
    oneonones: dict[frozenset[int], list[int]] = defaultdict(list)
    for pk, first, second in OneOnOne.objects.filter(
        first_id__in=people, second_id__in=people
    ).values_list("pk", "first_id", "second_id"):
        oneonones[frozenset((first, second))].append(pk)
    pair_of = {
        pk: (person, manager)
        for _, person, manager in units
        for pk in oneonones.get(frozenset((person, manager)), [])
    }
    if not pair_of:
        return facts
    start = min(month.start for month, _, _ in units)
    end = max(month.end for month, _, _ in units)
    meetings = list(
        Meeting.objects.filter(
            oneonone_id__in=list(pair_of),
            scheduled_at__gte=start - GAP_LOOKBACK,
            scheduled_at__lt=end,
            status__in=(MeetingStatus.HELD, MeetingStatus.CANCELLED),
        )
        .order_by("scheduled_at")
        .values_list("pk", "oneonone_id", "scheduled_at", "status")
    )
    in_window = [m for m in meetings if m[2] >= start and m[3] == MeetingStatus.HELD]
    held_ids = [pk for pk, *_ in in_window]
    preparers = _preparers(held_ids)
    shares = _latest_shares(held_ids)
    checkins = _checkins(held_ids)
    wanted = {(month, person) for month, person, _ in units}
    last_held: dict[tuple[int, int], dt.datetime] = {}
    for pk, oneonone_id, when, status in meetings:
        person, manager = pair_of[oneonone_id]
        month = _month_of(when)
        unit = facts.get((month, person)) if (month, person) in wanted else None
        if status == MeetingStatus.CANCELLED:
            if unit is not None:
                unit.cancelled += 1
            continue
        previous = last_held.get((person, manager))
        last_held[(person, manager)] = when
        if unit is None:
            continue
        unit.held += 1
        if previous is not None:
            unit.gaps.append((when - previous).total_seconds() / 86400)
        if when >= month.end - dt.timedelta(days=COVERAGE_DAYS):
            unit.covered = True
        if {person, manager} <= preparers.get(pk, set()):
            unit.prepared += 1
        share = shares.get(pk, {}).get(person)
        if share is not None:
            unit.shares.append(share)
        asked, answered = checkins.get(pk, (0, 0))
        unit.checkins_asked += asked
        unit.checkins_answered += answered
    return facts


def _month_of(when: dt.datetime) -> Month:
    when = when.astimezone(dt.UTC)
    return Month(when.year, when.month)


def _preparers(meeting_ids: list[int]) -> dict[int, set[int]]:
    from tete.surveys.models import Participation

    preparers: dict[int, set[int]] = defaultdict(set)
    # A carried point was written for an earlier meeting: it shows no preparation for this one.
    points = TalkingPoint.objects.filter(meeting_id__in=meeting_ids, carried_over_count=0)
    for meeting_id, author_id in points.values_list("meeting_id", "author_id").distinct():
        preparers[meeting_id].add(author_id)
    answered = Participation.objects.filter(
        round__meeting_id__in=meeting_ids, responded_on__isnull=False
    )
    for meeting_id, person_id in answered.values_list("round__meeting_id", "person_id"):
        preparers[meeting_id].add(person_id)
    return preparers


def _latest_shares(meeting_ids: list[int]) -> dict[int, dict[int, float | None]]:
    """Each analysed meeting's latest report: each participant's talk share."""
    from tete.reports.models import ConversationReport

    rows = (
        ConversationReport.objects.filter(meeting_id__in=meeting_ids, transcript__status="done")
        .order_by("meeting_id", "-created_at")
        .values_list(
            "meeting_id",
            "oneonone__first_id",
            "first_share",
            "oneonone__second_id",
            "second_share",
        )
    )
    latest: dict[int, dict[int, float | None]] = {}
    for meeting_id, first_id, first_share, second_id, second_share in rows:
        latest.setdefault(meeting_id, {first_id: first_share, second_id: second_share})
    return latest


def _checkins(meeting_ids: list[int]) -> dict[int, tuple[int, int]]:
    from tete.surveys.models import Participation

    counts: dict[int, tuple[int, int]] = {}
    rows = Participation.objects.filter(round__meeting_id__in=meeting_ids).values_list(
        "round__meeting_id", "responded_on"
    )
    for meeting_id, responded_on in rows:
        asked, answered = counts.get(meeting_id, (0, 0))
        counts[meeting_id] = (asked + 1, answered + (responded_on is not None))
    return counts
