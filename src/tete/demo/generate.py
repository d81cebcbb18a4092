"""A large generated organisation for load tests: up to 10,000 people and 1,000,000 meetings.

Rows are written in bulk (COPY on PostgreSQL, see bulk_rows.py) rather than through the
actions: the actions do one meeting at a time, which would take hours at this size, and the
generated history is already in its final state (held meetings, done action items).

Every one-on-one's history comes from a random generator of its own, seeded by the seed and
the one-on-one's number: each table's rows are made in a pass over the one-on-ones that
draws the same meetings again, so nothing but the people is held in memory, and the same
seed always gives the same organisation.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tete.accounts.models import Person, Team
from tete.demo.bulk_rows import TableWriter, finish_tables, loading
from tete.oneonones.markdown import render_markdown
from tete.oneonones.models import (
    ActionItem,
    Kind,
    Meeting,
    MeetingStatus,
    OneOnOne,
    PrivateNote,
    SharedNote,
    TalkingPoint,
)

GENERATED_DOMAIN = "generated.example.com"
GENERATED_PASSWORD = "tete-generated"
#: Person i reports to person (i - 1) // TEAM_WIDTH: a tree seven wide.
TEAM_WIDTH = 7
TIMEZONES = ["Europe/Paris", "America/New_York", "UTC", "Asia/Tokyo"]

TOPICS = [
    "Progress on the {project} migration",
    "Feedback on last week's {project} review",
    "Hiring plan for {team}",
    "Career goals for next quarter",
    "Workload and focus time",
    "Blockers on {project}",
    "On-call rotation changes",
    "Conference talk proposal",
    "Learning budget",
    "How the {team} retro went",
]
PROJECTS = ["billing", "search", "onboarding", "mobile", "reporting", "payments", "API"]
ACTIONS = [
    "Send the {project} design doc for review",
    "Book a session with the {team} lead",
    "Draft the promotion case",
    "Share the onboarding checklist",
    "Write up the incident timeline",
]
CANCEL_REASONS = ["", "", "Out sick", "Clashed with the planning session", "On holiday"]
NOTE = (
    "## Highlights\n- {topic}\n- Agreed to revisit **{project}** next time\n\n"
    "## Decisions\n1. Keep the current scope\n2. Pair on the tricky parts\n"
)
PRIVATE_NOTE = "Remember to follow up."
HELD, CANCELLED = MeetingStatus.HELD.value, MeetingStatus.CANCELLED.value
SCHEDULED = MeetingStatus.SCHEDULED.value
#: Pairs whose last meeting nobody marked held or cancelled.
UNMARKED_SHARE = 0.04
#: Pairs whose next meeting has no row yet (the hourly job or the next change makes it).
NOT_YET_MADE_SHARE = 0.05

Row = tuple[object, ...]
#: A table's rows for one one-on-one: (the organisation, the pair, its meetings, the
#: table's next ids).
RowsOf = Callable[["Organisation", "Pair", list["PlannedMeeting"], Iterator[int]], Iterator[Row]]
#: (what is being written, its rows so far, how far: done of total). The tables of the history
#: count their way in meetings gone through.
Advance = Callable[[str, int, int, int], None]


@dataclass
class GeneratedCounts:
    people: int = 0
    oneonones: int = 0
    meetings: int = 0
    talking_points: int = 0
    action_items: int = 0
    shared_notes: int = 0
    private_notes: int = 0


class PlannedMeeting(NamedTuple):
    """A meeting as the generator plans it (a tuple: a million of them are made per pass)."""

    pk: int
    scheduled_at: dt.datetime
    status: str
    held_at: dt.datetime | None
    original_scheduled_at: dt.datetime | None
    reason: str

    @property
    def is_held(self) -> bool:
        return self.status == HELD


@dataclass(frozen=True)
class Pair:
    """A manager–report one-on-one: the report is person ``number + 1``."""

    number: int
    pk: int
    manager_pk: int
    report_pk: int


class Organisation:
    """Who is who, and the meetings of each one-on-one (drawn again for each table)."""

    # Each table's pass draws from its own stream, so that adding a column to one table does
    # not change the others.
    STREAMS = ("meetings", "talking_points", "shared_notes", "private_notes", "action_items")

    def __init__(self, people: int, meetings: int, seed: int, now: dt.datetime):
        self.people = people
        self.seed = seed
        self.now = now
        self.pair_count = people - 1
        #: Past meetings of each one-on-one; each also has one ahead.
        self.past_per_pair = max(1, meetings // self.pair_count)
        #: Meeting ids kept for each pair: the past ones and one ahead (whose row a few lack).
        self.meetings_per_pair = self.past_per_pair + 1
        self.meeting_count = self.pair_count * self.meetings_per_pair
        self.first_person = self.first_oneonone = self.first_meeting = 0

    def rng(self, stream: str, pair: Pair) -> random.Random:
        index = self.STREAMS.index(stream)
        return random.Random((self.seed << 40) + (index << 32) + pair.number)

    def person_pk(self, index: int) -> int:
        return self.first_person + index

    def pairs(self) -> Iterator[Pair]:
        for number in range(self.pair_count):
            report = number + 1
            yield Pair(
                number=number,
                pk=self.first_oneonone + number,
                manager_pk=self.person_pk((report - 1) // TEAM_WIDTH),
                report_pk=self.person_pk(report),
            )

    def meetings_of(self, pair: Pair) -> list[PlannedMeeting]:
        """The pair's past meetings, oldest first, then the one ahead.

        One in twelve was cancelled, one in twenty held a day after its slot. As in life, a
        few pairs never marked their last meeting (it is left "scheduled", and flagged), and
        a few have no meeting row ahead yet (pages show the one their cadence plans)."""
        rng = self.rng("meetings", pair)
        first_pk = self.first_meeting + pair.number * self.meetings_per_pair
        left_unmarked = rng.random() < UNMARKED_SHARE
        planned = []
        for index, week in enumerate(range(self.past_per_pair, 0, -1)):
            slot = self.now - dt.timedelta(weeks=week, hours=rng.randrange(48))
            held = rng.random() > 0.08
            moved = held and rng.random() < 0.05
            scheduled_at = slot + dt.timedelta(days=1) if moved else slot
            status = HELD if held else CANCELLED
            if week == 1 and left_unmarked:
                held, status = False, SCHEDULED
            planned.append(
                PlannedMeeting(
                    pk=first_pk + index,
                    scheduled_at=scheduled_at,
                    status=status,
                    held_at=scheduled_at + dt.timedelta(minutes=30) if held else None,
                    original_scheduled_at=slot if moved else None,
                    reason=rng.choice(CANCEL_REASONS) if status == CANCELLED else "",
                )
            )
        if rng.random() >= NOT_YET_MADE_SHARE:
            ahead = self.now + dt.timedelta(days=rng.randrange(1, 8))
            planned.append(
                PlannedMeeting(
                    pk=first_pk + self.past_per_pair,
                    scheduled_at=ahead,
                    status=SCHEDULED,
                    held_at=None,
                    original_scheduled_at=None,
                    reason="",
                )
            )
        return planned


def generate_organisation(
    people: int = 2000,
    meetings: int = 100_000,
    seed: int = 1,
    progress: Callable[[str], None] = lambda message: None,
    advance: Advance | None = None,
) -> GeneratedCounts:
    """Generate `people` people in a manager hierarchy and about `meetings` meetings.

    ``progress`` gets a line as each table is done; ``advance`` is called as rows are written
    (for a progress bar).
    """
    org = Organisation(people, meetings, seed, timezone.now())
    counts = GeneratedCounts()
    report = advance or _ignore

    def write(writer: TableWriter, first_id: int, label: str, rows_of: RowsOf) -> int:
        """One table's rows, numbered from ``first_id``, in a pass over the one-on-ones."""
        ids = itertools.count(first_id)
        done = 0

        def rows() -> Iterator[Row]:
            nonlocal done
            for pair in org.pairs():
                yield from rows_of(org, pair, org.meetings_of(pair), ids)
                done += org.meetings_per_pair

        count = writer.write(rows(), lambda so_far: report(label, so_far, done, org.meeting_count))
        progress(f"{count} {label}")
        return count

    history = [Meeting, TalkingPoint, SharedNote, PrivateNote, ActionItem]
    with transaction.atomic():
        counts.people, counts.oneonones = _write_people_and_pairs(org, report)
        progress(f"{counts.people} people and {counts.oneonones} one-on-ones")
        with loading(history):
            meetings_writer = TableWriter(Meeting, MEETING_FIELDS)
            # A pair's meetings are numbered in a row from here (Organisation.meetings_of).
            org.first_meeting = meetings_writer.reserve()
            counts.meetings = write(meetings_writer, org.first_meeting, "meetings", _meeting_rows)
            for model, fields, label, rows_of in [
                (TalkingPoint, POINT_FIELDS, "talking points", _point_rows),
                (SharedNote, SHARED_NOTE_FIELDS, "shared notes", _shared_note_rows),
                (PrivateNote, PRIVATE_NOTE_FIELDS, "private notes", _private_note_rows),
                (ActionItem, ACTION_ITEM_FIELDS, "action items", _action_item_rows),
            ]:
                writer = TableWriter(model, fields)
                setattr(
                    counts, label.replace(" ", "_"), write(writer, writer.reserve(), label, rows_of)
                )
        finish_tables([Person, OneOnOne, *history])
    return counts


def _ignore(*args: object) -> None:
    pass


def _write_people_and_pairs(org: Organisation, report: Advance) -> tuple[int, int]:
    """The people, managers first, and a weekly one-on-one of every manager with each report."""
    rng = random.Random(org.seed)
    teams = Team.objects.bulk_create(
        [Team(name=f"Generated team {i + 1}") for i in range(max(1, org.people // 50))]
    )
    people = TableWriter(
        Person, ["id", "email", "name", "title", "team_id", "manager_id", "timezone", "password"]
    )
    org.first_person = people.reserve()
    password = make_password(GENERATED_PASSWORD)
    zones = [rng.choice(TIMEZONES) for _ in range(org.people)]
    person_rows = (
        (
            org.person_pk(i),
            f"person{i:05d}@{GENERATED_DOMAIN}",
            f"Generated Person {i:05d}",
            "Manager" if i * TEAM_WIDTH + 1 < org.people else "Engineer",
            teams[(i // 50) % len(teams)].pk,
            org.person_pk((i - 1) // TEAM_WIDTH) if i else None,
            zones[i],
            password,
        )
        for i in range(org.people)
    )
    person_count = people.write(
        person_rows, lambda so_far: report("people", so_far, so_far, org.people)
    )

    oneonones = TableWriter(OneOnOne, ONEONONE_FIELDS)
    org.first_oneonone = oneonones.reserve()
    # They have met since before the first meeting generated.
    started = org.now - dt.timedelta(weeks=org.past_per_pair + 2)
    oneonone_rows = (
        (
            pair.pk,
            pair.manager_pk,
            pair.report_pk,
            Kind.MANAGER_REPORT.value,
            pair.report_pk,
            rng.randrange(5),
            dt.time(rng.choice([9, 10, 11, 14, 15, 16])),
            zones[pair.number // TEAM_WIDTH],  # the manager's
            started.date(),
            pair.manager_pk,
            started,
        )
        for pair in org.pairs()
    )
    pair_count = oneonones.write(
        oneonone_rows, lambda so_far: report("one-on-ones", so_far, so_far, org.pair_count)
    )
    return person_count, pair_count


ONEONONE_FIELDS = [
    "id",
    "first_id",
    "second_id",
    "kind",
    "focus_person_id",
    "weekday",
    "time_of_day",
    "timezone",
    "starts_on",
    "created_by_id",
    "created_at",
]
MEETING_FIELDS = [
    "id",
    "oneonone_id",
    "scheduled_at",
    "status",
    "held_at",
    "original_scheduled_at",
    "reason",
    "created_at",
]


def _meeting_rows(
    org: Organisation, pair: Pair, planned: list[PlannedMeeting], ids: Iterator[int]
) -> Iterator[Row]:
    for meeting in planned:
        yield (
            meeting.pk,
            pair.pk,
            meeting.scheduled_at,
            meeting.status,
            meeting.held_at,
            meeting.original_scheduled_at,
            meeting.reason,
            (meeting.original_scheduled_at or meeting.scheduled_at) - dt.timedelta(days=7),
        )


POINT_FIELDS = [
    "id",
    "meeting_id",
    "author_id",
    "text",
    "position",
    "discussed",
    "private",
    "created_at",
]


def _point_rows(
    org: Organisation, pair: Pair, planned: list[PlannedMeeting], ids: Iterator[int]
) -> Iterator[Row]:
    """One to four points a meeting; most of a held meeting's were discussed; one in ten is
    private to its author."""
    rng = org.rng("talking_points", pair)
    authors = (pair.manager_pk, pair.report_pk)
    for meeting in planned:
        written_at = meeting.scheduled_at - dt.timedelta(days=1)
        for position in range(rng.randint(1, 4)):
            yield (
                next(ids),
                meeting.pk,
                rng.choice(authors),
                rng.choice(TOPICS).format(project=rng.choice(PROJECTS), team="the team"),
                position,
                meeting.is_held and rng.random() > 0.15,
                rng.random() < 0.1,
                written_at,
            )


SHARED_NOTE_FIELDS = ["id", "meeting_id", "text", "html", "version", "updated_by_id", "updated_at"]


# Stored with its HTML, as saving does (pages never write it). The notes repeat a few hundred
# texts, so each is rendered once.
@functools.cache
def _note_html(text: str) -> str:
    return render_markdown(text)


def _shared_note_rows(
    org: Organisation, pair: Pair, planned: list[PlannedMeeting], ids: Iterator[int]
) -> Iterator[Row]:
    rng = org.rng("shared_notes", pair)
    for meeting in planned:
        if not meeting.is_held:
            continue
        text = NOTE.format(
            topic=rng.choice(TOPICS).format(project=rng.choice(PROJECTS), team="the team"),
            project=rng.choice(PROJECTS),
        )
        yield (next(ids), meeting.pk, text, _note_html(text), 1, pair.manager_pk, meeting.held_at)


PRIVATE_NOTE_FIELDS = ["id", "meeting_id", "author_id", "text", "updated_at"]


def _private_note_rows(
    org: Organisation, pair: Pair, planned: list[PlannedMeeting], ids: Iterator[int]
) -> Iterator[Row]:
    """The manager keeps a private note of about a third of the held meetings."""
    rng = org.rng("private_notes", pair)
    for meeting in planned:
        if meeting.is_held and rng.random() < 0.3:
            yield (next(ids), meeting.pk, pair.manager_pk, PRIVATE_NOTE, meeting.held_at)


ACTION_ITEM_FIELDS = [
    "id",
    "oneonone_id",
    "created_in_id",
    "text",
    "owner_id",
    "due_date",
    "done_at",
    "created_by_id",
    "created_at",
]


def _action_item_rows(
    org: Organisation, pair: Pair, planned: list[PlannedMeeting], ids: Iterator[int]
) -> Iterator[Row]:
    """An action item from each held meeting, due a week later: those older than three weeks
    are done, of the later ones about half."""
    rng = org.rng("action_items", pair)
    owners = (pair.manager_pk, pair.report_pk)
    recent = org.now - dt.timedelta(weeks=3)
    for meeting in planned:
        if not meeting.is_held:
            continue
        done = meeting.scheduled_at < recent or rng.random() < 0.5
        yield (
            next(ids),
            pair.pk,
            meeting.pk,
            rng.choice(ACTIONS).format(project=rng.choice(PROJECTS), team="platform"),
            rng.choice(owners),
            (meeting.scheduled_at + dt.timedelta(days=7)).date(),
            meeting.scheduled_at + dt.timedelta(days=5) if done else None,
            pair.manager_pk,
            meeting.scheduled_at,
        )
