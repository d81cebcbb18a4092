"""A large generated organisation for load tests: thousands of people, 100,000 meetings.

Rows are written with bulk_create rather than through the actions: the actions do one
meeting at a time, which would take hours at this size, and the generated history is
already in its final state (held meetings, carried-over points, done action items).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tete.accounts.models import Person, Team
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
BATCH = 5000

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
NOTE = (
    "## Highlights\n- {topic}\n- Agreed to revisit **{project}** next time\n\n"
    "## Decisions\n1. Keep the current scope\n2. Pair on the tricky parts\n"
)


@dataclass
class GeneratedCounts:
    people: int = 0
    oneonones: int = 0
    meetings: int = 0
    talking_points: int = 0
    action_items: int = 0


def _batched(rows: Iterator, create: Callable[[list], list]) -> int:
    batch: list = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            count += len(create(batch))
            batch = []
    if batch:
        count += len(create(batch))
    return count


@transaction.atomic
def generate_organisation(
    people: int = 2000,
    meetings: int = 100_000,
    seed: int = 1,
    progress: Callable[[str], None] = lambda message: None,
) -> GeneratedCounts:
    """Generate `people` people in a manager hierarchy and about `meetings` meetings."""
    rng = random.Random(seed)
    counts = GeneratedCounts()
    password = make_password(GENERATED_PASSWORD)
    teams = Team.objects.bulk_create(
        [Team(name=f"Generated team {i + 1}") for i in range(max(1, people // 50))]
    )

    # Managers first: person i reports to person (i - 1) // 7, a tree seven wide.
    created: list[Person] = []
    for i in range(people):
        created.append(
            Person(
                email=f"person{i:05d}@{GENERATED_DOMAIN}",
                name=f"Generated Person {i:05d}",
                title="Manager" if i * 7 + 1 < people else "Engineer",
                team=teams[(i // 50) % len(teams)],
                timezone=rng.choice(["Europe/Paris", "America/New_York", "UTC", "Asia/Tokyo"]),
                password=password,
            )
        )
    created = Person.objects.bulk_create(created, batch_size=BATCH)
    for i, person in enumerate(created[1:], start=1):
        person.manager = created[(i - 1) // 7]
    Person.objects.bulk_update(created[1:], ["manager"], batch_size=BATCH)
    counts.people = len(created)
    progress(f"{counts.people} people")

    # Every manager–report pair meets; peers pair up to reach the meeting count.
    pairs = [(created[(i - 1) // 7], created[i], Kind.MANAGER_REPORT) for i in range(1, people)]
    now = timezone.now()
    oneonones = OneOnOne.objects.bulk_create(
        [
            OneOnOne(
                first=a,
                second=b,
                kind=kind,
                focus_person=b,
                weekday=rng.randrange(5),
                time_of_day=dt.time(rng.choice([9, 10, 11, 14, 15, 16])),
                timezone=a.timezone,
                starts_on=(now - dt.timedelta(days=800)).date(),
                created_by=a,
                created_at=now - dt.timedelta(days=800),
            )
            for a, b, kind in pairs
        ],
        batch_size=BATCH,
    )
    counts.oneonones = len(oneonones)
    per_pair = max(1, meetings // len(oneonones))

    def meeting_rows() -> Iterator[Meeting]:
        for oneonone in oneonones:
            for week in range(per_pair, 0, -1):
                scheduled_at = now - dt.timedelta(weeks=week, hours=rng.randrange(48))
                held = rng.random() > 0.08
                yield Meeting(
                    oneonone=oneonone,
                    scheduled_at=scheduled_at,
                    status=MeetingStatus.HELD if held else MeetingStatus.CANCELLED,
                    held_at=scheduled_at + dt.timedelta(minutes=30) if held else None,
                )
            yield Meeting(
                oneonone=oneonone, scheduled_at=now + dt.timedelta(days=rng.randrange(1, 8))
            )

    all_meetings = Meeting.objects.bulk_create(list(meeting_rows()), batch_size=BATCH)
    counts.meetings = len(all_meetings)
    progress(f"{counts.meetings} meetings")

    by_pk = {o.pk: o for o in oneonones}

    def point_rows() -> Iterator[TalkingPoint]:
        for meeting in all_meetings:
            oneonone = by_pk[meeting.oneonone_id]
            held = meeting.status == MeetingStatus.HELD
            for position in range(rng.randint(1, 4)):
                words = {"project": rng.choice(PROJECTS), "team": "the team"}
                yield TalkingPoint(
                    meeting=meeting,
                    author=rng.choice([oneonone.first, oneonone.second]),
                    text=rng.choice(TOPICS).format(**words),
                    position=position,
                    discussed=held and rng.random() > 0.15,
                    private=rng.random() < 0.1,
                )

    counts.talking_points = _batched(point_rows(), TalkingPoint.objects.bulk_create)
    progress(f"{counts.talking_points} talking points")

    held = [m for m in all_meetings if m.status == MeetingStatus.HELD]
    # Stored with its HTML, as saving does (pages never write it). The notes repeat a few
    # texts, so each is rendered once.
    html_of = functools.cache(render_markdown)

    def note(meeting: Meeting) -> SharedNote:
        text = NOTE.format(
            topic=rng.choice(TOPICS).format(project=rng.choice(PROJECTS), team="the team"),
            project=rng.choice(PROJECTS),
        )
        return SharedNote(
            meeting=meeting,
            text=text,
            html=html_of(text),
            version=1,
            updated_by=by_pk[meeting.oneonone_id].first,
            updated_at=meeting.scheduled_at,
        )

    _batched((note(m) for m in held), SharedNote.objects.bulk_create)
    _batched(
        (
            PrivateNote(meeting=m, author=by_pk[m.oneonone_id].first, text="Remember to follow up.")
            for m in held
            if rng.random() < 0.3
        ),
        PrivateNote.objects.bulk_create,
    )

    def action_rows() -> Iterator[ActionItem]:
        for meeting in held:
            oneonone = by_pk[meeting.oneonone_id]
            due = (meeting.scheduled_at + dt.timedelta(days=7)).date()
            old = meeting.scheduled_at < now - dt.timedelta(weeks=3)
            yield ActionItem(
                oneonone=oneonone,
                created_in=meeting,
                text=rng.choice(ACTIONS).format(project=rng.choice(PROJECTS), team="platform"),
                owner=rng.choice([oneonone.first, oneonone.second]),
                due_date=due,
                done_at=meeting.scheduled_at + dt.timedelta(days=5)
                if old or rng.random() < 0.5
                else None,
                created_by=oneonone.first,
                created_at=meeting.scheduled_at,
            )

    counts.action_items = _batched(action_rows(), ActionItem.objects.bulk_create)
    progress(f"{counts.action_items} action items")
    return counts
