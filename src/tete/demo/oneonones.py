"""Demo one-on-ones: six months of meetings, agendas, notes and action items.

Built row by row in memory and written with bulk_create, replaying what the actions would
have done (undiscussed points carried from meeting to meeting, action items ticked off),
so the demo builds in a second or two.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from tete.oneonones.cadence import next_occurrence, occurrences_between
from tete.oneonones.markdown import render_markdown
from tete.oneonones.models import (
    ActionItem,
    Cadence,
    Kind,
    Meeting,
    MeetingStatus,
    OneOnOne,
    PrivateNote,
    SharedNote,
    TalkingPoint,
    TalkingPointOrigin,
)

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.demo.people import DemoOrg

HISTORY_DAYS = 182

# (first, second, kind, focus (report/mentee/client), cadence, weekday, time, timezone)
# A pair whose meetings keep falling through lately: its one-on-one page and both people's
# home show the health flag ("3 of the last 5 were cancelled").
STRAINED = {("alice", "jon")}

PAIRS = [
    ("alice", "bob", Kind.MANAGER_REPORT, "bob", Cadence.WEEKLY, 0, "10:00", "Europe/Paris"),
    ("alice", "chloe", Kind.MANAGER_REPORT, "chloe", Cadence.WEEKLY, 1, "11:00", "Europe/Paris"),
    ("alice", "dev", Kind.MANAGER_REPORT, "dev", Cadence.BIWEEKLY, 2, "09:30", "Europe/Paris"),
    ("alice", "emma", Kind.MANAGER_REPORT, "emma", Cadence.WEEKLY, 3, "14:00", "Europe/Paris"),
    ("alice", "jon", Kind.MANAGER_REPORT, "jon", Cadence.BIWEEKLY, 4, "10:00", "Europe/Paris"),
    ("maya", "alice", Kind.MANAGER_REPORT, "alice", Cadence.BIWEEKLY, 0, "15:00", "Europe/London"),
    ("maya", "frank", Kind.MANAGER_REPORT, "frank", Cadence.BIWEEKLY, 1, "16:00", "Europe/London"),
    (
        "frank",
        "grace",
        Kind.MANAGER_REPORT,
        "grace",
        Cadence.WEEKLY,
        2,
        "10:00",
        "America/New_York",
    ),
    (
        "frank",
        "hugo",
        Kind.MANAGER_REPORT,
        "hugo",
        Cadence.BIWEEKLY,
        3,
        "09:00",
        "America/New_York",
    ),
    ("frank", "ines", Kind.MANAGER_REPORT, "ines", Cadence.WEEKLY, 0, "11:00", "America/New_York"),
    ("kofi", "alice", Kind.COACHING, "alice", Cadence.MONTHLY, 3, "13:00", "Africa/Accra"),
    ("kofi", "frank", Kind.COACHING, "frank", Cadence.MONTHLY, 1, "15:00", "Africa/Accra"),
    ("chloe", "emma", Kind.MENTORING, "emma", Cadence.BIWEEKLY, 4, "15:30", "Europe/Paris"),
    ("bob", "grace", Kind.PEER, None, Cadence.MONTHLY, 2, "16:00", "Europe/Paris"),
    ("chloe", "ines", Kind.PERSONAL, None, Cadence.NONE, 4, "12:30", "Europe/Paris"),
]

# Talking points, by who tends to raise them.
REPORT_TOPICS = [
    "Feeling stretched between the migration and on-call",
    "Can I lead the design review for the search rewrite?",
    "Feedback on my RFC for the event pipeline",
    "Career: what does the step to senior look like here?",
    "Conference talk proposal — worth the time?",
    "Pairing more with the data team",
    "Unclear ownership of the billing alerts",
    "Time off in August",
    "Our sprint planning runs too long",
    "I'd like more context on the Q3 roadmap",
    "Code review turnaround is slowing me down",
    "Onboarding the new joiner: how much should I take on?",
    "Interested in the platform guild",
    "Working hours across timezones are tiring",
    "Would like feedback on how the incident retro went",
    "Training budget: the Kubernetes course",
    "How am I doing against my goals?",
    "Frustrated with flaky end-to-end tests",
]
LEAD_TOPICS = [
    "Team reorg: what changes for you",
    "Promotion cycle timeline",
    "Feedback from the customer demo",
    "Priorities for the next two sprints",
    "How is the workload feeling?",
    "Recognition: great work on the release",
    "Hiring: can you join the interview loop?",
    "Goals for next quarter",
    "Follow-up on last week's incident",
    "Budget for the offsite",
]
COACHING_TOPICS = [
    "Goal: delegate more without losing quality",
    "Reality check: where my week actually goes",
    "Options for handling the difficult stakeholder",
    "Way forward: one habit to try before next session",
    "Preparing for the leadership offsite",
    "Giving critical feedback without avoiding it",
    "Saying no to low-value meetings",
    "Energy: what drains me, what restores me",
]
MENTORING_TOPICS = [
    "How you structure a design doc",
    "Reading list on distributed systems",
    "Navigating my first on-call rotation",
    "How to ask for help earlier",
    "Building visibility without self-promotion",
    "Side project: worth showing at the demo day?",
]
PEER_TOPICS = [
    "Design handoff for the settings page",
    "Aligning the component library with engineering",
    "Lessons from the usability sessions",
    "Shared backlog for accessibility fixes",
    "What worked in your last retro?",
]
PERSONAL_TOPICS = [
    "Book club pick for next month",
    "Half-marathon training plan",
    "Moving flats: tips welcome",
    "Weekend trip ideas",
    "Learning Italian: progress check",
]
TOPICS_BY_KIND = {
    Kind.MANAGER_REPORT: None,
    Kind.COACHING: COACHING_TOPICS,
    Kind.MENTORING: MENTORING_TOPICS,
    Kind.PEER: PEER_TOPICS,
    Kind.PERSONAL: PERSONAL_TOPICS,
}

NOTE_REMARKS = [
    "Agreed to revisit in two weeks.",
    "Good progress; no blockers for now.",
    "Needs a decision from product first.",
    "We'll try a lighter process for one sprint and compare.",
    "Shared the doc afterwards; comments by Friday.",
    "Context: the deadline moved to the end of the month.",
    "Both of us want fewer meetings on Wednesdays.",
    "Will ask the data team for a pairing slot.",
    "Nothing urgent; parked for now.",
    "Clear next step, see action items.",
]
ACTION_TEXTS = [
    "Draft the RFC outline and share it",
    "Book a pairing session with the data team",
    "Send the conference proposal for review",
    "Write up the incident timeline",
    "Ask HR about the training budget",
    "Update the on-call runbook",
    "Collect feedback from the last two design reviews",
    "Block focus time on the calendar",
    "Introduce them to the platform guild lead",
    "Review the promotion criteria together",
    "Try the 'no meeting Wednesday' experiment",
    "Share the reading list",
    "Prepare three options for the stakeholder conversation",
    "Post the recap in the team channel",
]
PRIVATE_REMARKS = [
    "Seemed more energetic than last time. Keep an eye on the on-call load.",
    "Remember to follow up on the promotion question without promising anything yet.",
    "I talked too much today; next time, ask more and wait longer.",
    "They hesitated when I mentioned the reorg. Ask gently next week.",
    "Good session. Note to self: bring the examples, not the abstractions.",
    "Mentioned family stuff; don't bring it up unless they do.",
]
CANCEL_REASONS = [
    "Public holiday",
    "Out sick",
    "Travelling for the offsite",
    "Clashed with the incident review",
    "On holiday",
]


@dataclass
class _Pending:
    text: str
    author: Person
    count: int
    private: bool = False
    #: When it was written: before the meeting it was first meant for, however often it has
    #: been carried over since.
    written_at: dt.datetime | None = None


@dataclass
class _Rows:
    points: list[TalkingPoint] = field(default_factory=list)
    notes: list[SharedNote] = field(default_factory=list)
    private_notes: list[PrivateNote] = field(default_factory=list)
    items: list[ActionItem] = field(default_factory=list)


def build(org: DemoOrg, rng: random.Random) -> None:
    now = timezone.now()
    start = now - dt.timedelta(days=HISTORY_DAYS)
    rows = _Rows()
    for spec in PAIRS:
        _build_pair(org, rng, spec, start, now, rows)
    TalkingPoint.objects.bulk_create(rows.points, batch_size=500)
    SharedNote.objects.bulk_create(rows.notes, batch_size=500)
    PrivateNote.objects.bulk_create(rows.private_notes, batch_size=500)
    ActionItem.objects.bulk_create(rows.items, batch_size=500)


def _build_pair(
    org: DemoOrg,
    rng: random.Random,
    spec: tuple,
    start: dt.datetime,
    now: dt.datetime,
    rows: _Rows,
) -> None:
    first_key, second_key, kind, focus_key, cadence, weekday, hhmm, tz = spec
    first, second = org.people[first_key], org.people[second_key]
    hour, minute = (int(part) for part in hhmm.split(":"))
    oneonone = OneOnOne.objects.create(
        first=first,
        second=second,
        kind=kind,
        focus_person=org.people[focus_key] if focus_key else None,
        cadence=cadence,
        weekday=weekday,
        time_of_day=dt.time(hour, minute),
        duration_minutes=45 if kind == Kind.COACHING else 30,
        timezone=tz,
        starts_on=start.date(),
        created_by=first,
        created_at=start - dt.timedelta(days=1),
    )
    if cadence == Cadence.NONE:
        # Friends meet when they feel like it: roughly every three to five weeks.
        moments, moment = [], start + dt.timedelta(days=rng.randint(3, 10))
        while moment < now:
            moments.append(moment.replace(hour=11, minute=30, second=0, microsecond=0))
            moment += dt.timedelta(days=rng.randint(21, 35))
    else:
        moments = list(occurrences_between(oneonone, start, now))
    meetings = [
        _past_meeting(oneonone, moment, rng, extra=cadence == Cadence.NONE) for moment in moments
    ]
    if (first_key, second_key) in STRAINED:
        for pattern, meeting in zip("CCHCH", reversed(meetings), strict=False):
            _set_cancelled(meeting, rng, pattern == "C")
    past = Meeting.objects.bulk_create(meetings)
    upcoming_at = next_occurrence(oneonone, now) or (now + dt.timedelta(days=9)).replace(
        hour=11, minute=30, second=0, microsecond=0
    )
    upcoming = Meeting.objects.create(
        oneonone=oneonone,
        scheduled_at=upcoming_at,
        duration_minutes=oneonone.duration_minutes,
        extra=cadence == Cadence.NONE,
    )
    topics = TOPICS_BY_KIND[Kind(kind)]
    focus = oneonone.focus_person or second
    lead = first if focus == second else second
    pending: list[_Pending] = []
    for meeting in past:
        pending = _fill_meeting(meeting, oneonone, focus, lead, topics, pending, rng, rows, now)
    # What was left undiscussed waits on the next meeting's agenda, plus some fresh preparation
    # (left empty for some pairs, so the home page shows meetings to prepare for).
    position = 0
    for p in pending:
        rows.points.append(
            _point(
                upcoming, p.author, p.text, position, p.count, p.private, written_at=p.written_at
            )
        )
        position += 1
    if rng.random() < 0.7:
        for author in rng.sample([focus, lead], k=rng.randint(1, 2)):
            pool = topics or (REPORT_TOPICS if author == focus else LEAD_TOPICS)
            rows.points.append(_point(upcoming, author, rng.choice(pool), position, 0))
            position += 1


def _past_meeting(
    oneonone: OneOnOne, moment: dt.datetime, rng: random.Random, extra: bool
) -> Meeting:
    cancelled = rng.random() < 0.09
    return Meeting(
        oneonone=oneonone,
        scheduled_at=moment,
        duration_minutes=oneonone.duration_minutes,
        status=MeetingStatus.CANCELLED if cancelled else MeetingStatus.HELD,
        reason=rng.choice(CANCEL_REASONS) if cancelled else "",
        held_at=None if cancelled else moment + dt.timedelta(minutes=oneonone.duration_minutes),
        extra=extra,
        created_at=moment - dt.timedelta(days=7),
    )


def _set_cancelled(meeting: Meeting, rng: random.Random, cancelled: bool) -> None:
    meeting.status = MeetingStatus.CANCELLED if cancelled else MeetingStatus.HELD
    meeting.reason = rng.choice(CANCEL_REASONS) if cancelled else ""
    meeting.held_at = (
        None if cancelled else meeting.scheduled_at + dt.timedelta(minutes=meeting.duration_minutes)
    )


def _point(
    meeting: Meeting,
    author: Person,
    text: str,
    position: int,
    count: int,
    private: bool = False,
    discussed: bool = False,
    written_at: dt.datetime | None = None,
) -> TalkingPoint:
    # Written two days before the meeting it was first meant for, and never in the future
    # (a fresh point on the meeting ahead was written by now).
    written = min(written_at or meeting.scheduled_at - dt.timedelta(days=2), timezone.now())
    return TalkingPoint(
        meeting=meeting,
        author=author,
        text=text,
        position=position,
        carried_over_count=count,
        private=private,
        discussed=discussed,
        origin=TalkingPointOrigin.WRITTEN,
        created_at=written,
    )


def _fill_meeting(
    meeting: Meeting,
    oneonone: OneOnOne,
    focus: Person,
    lead: Person,
    topics: list[str] | None,
    pending: list[_Pending],
    rng: random.Random,
    rows: _Rows,
    now: dt.datetime,
) -> list[_Pending]:
    """Add this meeting's agenda, notes and action items; return what carries over."""
    fresh = []
    for _ in range(rng.randint(1, 4)):
        author = focus if rng.random() < 0.65 else lead  # the report should own the agenda
        pool = topics or (REPORT_TOPICS if author == focus else LEAD_TOPICS)
        fresh.append(
            _Pending(
                rng.choice(pool),
                author,
                0,
                private=rng.random() < 0.08,
                written_at=meeting.scheduled_at - dt.timedelta(days=2),
            )
        )
    agenda = pending + fresh
    if meeting.status == MeetingStatus.CANCELLED:
        return [_Pending(p.text, p.author, p.count + 1, p.private, p.written_at) for p in agenda]
    carried: list[_Pending] = []
    discussed: list[_Pending] = []
    for p in agenda:
        (carried if rng.random() < 0.12 and p.count < 3 else discussed).append(p)
    for position, p in enumerate(discussed):
        rows.points.append(
            _point(
                meeting,
                p.author,
                p.text,
                position,
                p.count,
                p.private,
                discussed=True,
                written_at=p.written_at,
            )
        )
    shared = [p for p in discussed if not p.private]
    if shared and rng.random() < 0.85:
        rows.notes.append(_shared_note(meeting, shared, rng))
    if rng.random() < 0.3:
        author = rng.choice([focus, lead])
        rows.private_notes.append(
            PrivateNote(
                meeting=meeting,
                author=author,
                text=rng.choice(PRIVATE_REMARKS),
                updated_at=meeting.scheduled_at + dt.timedelta(hours=1),
            )
        )
    for _ in range(rng.choices([0, 1, 2], weights=[4, 5, 2])[0]):
        rows.items.append(_action_item(meeting, oneonone, focus, lead, rng, now))
    return [_Pending(p.text, p.author, p.count + 1, p.private, p.written_at) for p in carried]


def _shared_note(meeting: Meeting, points: list[_Pending], rng: random.Random) -> SharedNote:
    lines = ["### What we discussed", ""]
    for p in points:
        lines.append(f"- **{p.text}** — {rng.choice(NOTE_REMARKS)}")
    if rng.random() < 0.4:
        lines += ["", "> " + rng.choice(["Keep it simple.", "One thing at a time.", "Ask early."])]
    if rng.random() < 0.5:
        lines += ["", "_Next time:_ " + rng.choice(LEAD_TOPICS + REPORT_TOPICS).lower()]
    by = points[0].author
    text = "\n".join(lines)
    return SharedNote(
        meeting=meeting,
        text=text,
        # Stored as saving does: pages show the stored HTML and never write it themselves.
        html=render_markdown(text),
        version=rng.randint(1, 4),
        updated_by=by,
        updated_at=meeting.scheduled_at + dt.timedelta(minutes=meeting.duration_minutes + 5),
    )


def _action_item(
    meeting: Meeting,
    oneonone: OneOnOne,
    focus: Person,
    lead: Person,
    rng: random.Random,
    now: dt.datetime,
) -> ActionItem:
    owner = focus if rng.random() < 0.6 else lead
    due = (meeting.scheduled_at + dt.timedelta(days=rng.choice([3, 7, 10, 14]))).date()
    done_at = None
    age_days = (now - meeting.scheduled_at).days
    # Most get done; recent ones are still open, and a few older ones slip (overdue).
    if age_days > 10 and rng.random() < 0.88:
        done_at = meeting.scheduled_at + dt.timedelta(days=rng.randint(1, min(age_days - 1, 16)))
    return ActionItem(
        oneonone=oneonone,
        created_in=meeting,
        text=rng.choice(ACTION_TEXTS),
        owner=owner,
        due_date=due if rng.random() < 0.8 else None,
        done_at=done_at,
        created_by=rng.choice([focus, lead]),
        created_at=meeting.scheduled_at + dt.timedelta(minutes=20),
    )
