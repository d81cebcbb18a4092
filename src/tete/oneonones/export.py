"""A one-on-one's history as one Markdown file, for one of its two people to keep.

It holds what that person can read on the pages, and nothing more: every meeting with its
agenda (shared points and their own private ones), shared notes, their own private note and
the action items agreed, oldest first. A one-on-one that has ended can still be exported.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, Q
from django.utils import timezone

from tete.accounts.models import Person
from tete.oneonones.models import ActionItem, OneOnOne, PrivateNote, SharedNote, TalkingPoint


def export_markdown(oneonone: OneOnOne, person: Person) -> str:
    """The history ``person`` can read, as Markdown (a fixed number of queries)."""
    tz = person.tzinfo
    meetings = list(
        oneonone.meetings.order_by("scheduled_at").prefetch_related(
            Prefetch(
                "talking_points",
                queryset=TalkingPoint.objects.filter(Q(private=False) | Q(author=person))
                .select_related("author")
                .order_by("position", "id"),
            ),
            Prefetch(
                "private_notes",
                queryset=PrivateNote.objects.filter(author=person),
                to_attr="own_private_notes",
            ),
        )
    )
    notes = dict(
        SharedNote.objects.filter(meeting__oneonone=oneonone).values_list("meeting_id", "text")
    )
    items_by_meeting: dict[int | None, list[ActionItem]] = defaultdict(list)
    for item in oneonone.action_items.select_related("owner").order_by("created_at", "id"):
        items_by_meeting[item.created_in_id].append(item)

    def who(someone: Person) -> str:
        return "you" if someone.pk == person.pk else someone.name

    def item_line(item: ActionItem) -> str:
        due = f", due {item.due_date:%-d %b %Y}" if item.due_date else ""
        done = f" (done {timezone.localtime(item.done_at, tz):%-d %b %Y})" if item.done_at else ""
        return f"- [{'x' if item.done_at else ' '}] {item.text} — {who(item.owner)}{due}{done}"

    first, second = oneonone.participants
    lines = [
        f"# One-on-one: {first.name} & {second.name}",
        "",
        f"{oneonone.get_kind_display()} · {oneonone.cadence_summary()}",
        f"Exported {timezone.localtime(timezone.now(), tz):%-d %B %Y, %H:%M} by {person.name}. "
        "Private points and notes are yours alone; the other person's are not in this file.",
    ]
    if oneonone.ended_at:
        lines.append(f"Ended {timezone.localtime(oneonone.ended_at, tz):%-d %B %Y}.")
    for meeting in meetings:
        when = timezone.localtime(meeting.scheduled_at, tz)
        lines += ["", f"## {when:%A %-d %B %Y, %H:%M} · {meeting.get_status_display()}"]
        if meeting.reason:
            lines.append(f"Reason: {meeting.reason}")
        points = list(meeting.talking_points.all())
        if points:
            lines += ["", "### Agenda"]
            lines += [
                f"- [{'x' if p.discussed else ' '}] {p.text} — {who(p.author)}"
                + (" (private)" if p.private else "")
                for p in points
            ]
        if notes.get(meeting.pk, "").strip():
            lines += ["", "### Shared notes", "", _quoted(notes[meeting.pk])]
        own = meeting.own_private_notes
        if own and own[0].text.strip():
            lines += ["", "### My private note", "", _quoted(own[0].text)]
        if items_by_meeting.get(meeting.pk):
            lines += ["", "### Action items agreed"]
            lines += [item_line(item) for item in items_by_meeting[meeting.pk]]
    if items_by_meeting.get(None):
        lines += ["", "## Action items agreed outside a meeting"]
        lines += [item_line(item) for item in items_by_meeting[None]]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """Notes as a Markdown quote: their own headings and lists stay inside the meeting's."""
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())
