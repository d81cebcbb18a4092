"""Searching one's own one-on-ones: what was on an agenda, in the notes, agreed as an action.

Only what the searcher may read is searched: their own one-on-ones, talking points that are
shared or their own, their own private notes. Matching is case-insensitive ``icontains`` on
each text (no index: a person's history is small enough to scan).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import chain

from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tete.accounts.models import Person
from tete.oneonones.access import oneonones_of
from tete.oneonones.models import ActionItem, OneOnOne, PrivateNote, SharedNote, TalkingPoint

#: Shorter queries match nearly everything.
MIN_QUERY = 2
#: Matches kept of each kind, the most recent first: enough pages to read, a bounded query.
MOST_PER_KIND = 300
SNIPPET_CHARS = 160
# Markdown's emphasis, heading and quote marks, left out of a shared note's snippet.
_MARKUP = re.compile(r"[*_`#>]+")


@dataclass(frozen=True)
class Hit:
    kind: str  # what matched, as the page names it
    text: str
    oneonone: OneOnOne
    when: dt.datetime  # the meeting's time, or when an action item was agreed outside one
    url: str
    private: bool = False


def search(person: Person, query: str, oneonone: OneOnOne | None = None) -> list[Hit]:
    """Every match of ``query`` that ``person`` may read, the most recent first."""
    query = query.strip()
    if len(query) < MIN_QUERY:
        return []
    mine = oneonones_of(person) if oneonone is None else oneonones_of(person).filter(pk=oneonone.pk)
    in_meetings = {"meeting__oneonone__in": mine}
    points = (
        TalkingPoint.objects.filter(**in_meetings, text__icontains=query)
        .filter(Q(private=False) | Q(author=person))
        .select_related("meeting__oneonone__first", "meeting__oneonone__second")
        .order_by("-meeting__scheduled_at", "position")[:MOST_PER_KIND]
    )
    notes = (
        SharedNote.objects.filter(**in_meetings, text__icontains=query)
        .select_related("meeting__oneonone__first", "meeting__oneonone__second")
        .order_by("-meeting__scheduled_at")[:MOST_PER_KIND]
    )
    private_notes = (
        PrivateNote.objects.filter(**in_meetings, author=person, text__icontains=query)
        .select_related("meeting__oneonone__first", "meeting__oneonone__second")
        .order_by("-meeting__scheduled_at")[:MOST_PER_KIND]
    )
    items = (
        ActionItem.objects.filter(oneonone__in=mine, text__icontains=query)
        .select_related("oneonone__first", "oneonone__second", "created_in")
        .order_by("-created_at")[:MOST_PER_KIND]
    )
    hits = chain(
        (
            Hit(
                "Private talking point" if p.private else "Talking point",
                p.text,
                p.meeting.oneonone,
                p.meeting.scheduled_at,
                _meeting_url(p.meeting_id, "agenda"),
                p.private,
            )
            for p in points
        ),
        (
            Hit(
                "Shared notes",
                _MARKUP.sub("", n.text),
                n.meeting.oneonone,
                n.meeting.scheduled_at,
                _meeting_url(n.meeting_id, "notes"),
            )
            for n in notes
        ),
        (
            Hit(
                "My private note",
                n.text,
                n.meeting.oneonone,
                n.meeting.scheduled_at,
                _meeting_url(n.meeting_id, "private_note"),
                True,
            )
            for n in private_notes
        ),
        (
            Hit(
                "Action item",
                i.text,
                i.oneonone,
                i.created_in.scheduled_at if i.created_in else i.created_at,
                _meeting_url(i.created_in_id, "action_items")
                if i.created_in_id
                else reverse("oneonones:detail", args=[i.oneonone_id]),
            )
            for i in items
        ),
    )
    return sorted(hits, key=lambda hit: hit.when, reverse=True)


def _meeting_url(meeting_id: int | None, section: str) -> str:
    return reverse("oneonones:meeting", args=[meeting_id]) + f"#{section}"


def snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> SafeString:
    """The part of ``text`` around the first match, escaped, every match in it marked."""
    pattern = re.compile(re.escape(query.strip()), re.IGNORECASE)
    text = " ".join(text.split())
    first = pattern.search(text)
    start = 0 if first is None else max(0, first.start() - width // 3)
    end = min(len(text), start + width)
    window = text[start:end]
    parts: list[str] = []
    position = 0
    for match in pattern.finditer(window):
        parts.append(escape(window[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(window[position:]))
    before = "…" if start > 0 else ""
    after = "…" if end < len(text) else ""
    return mark_safe(before + "".join(parts) + after)  # every piece of text is escaped
