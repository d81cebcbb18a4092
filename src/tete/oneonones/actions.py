"""Every write to one-on-one content goes through these functions.

Views, tests, the demo builder and management commands call the same actions, so that
carry-over, cadence and conflict rules hold whoever makes the change. Callers are expected to
have fetched objects through oneonones/access.py; actions re-check what they must (authorship,
participation) because they are also called from code that has no request.

An ended one-on-one is read-only: every write to it, its meetings, agendas, notes and action
items raises `OneOnOneEnded` before it changes anything. The one exception is marking an action
item done or reopening it: follow-through does not end with the one-on-one.

Every action that changes what a one-on-one's pages show ends with `versions.bump()` in the
same transaction (see versions.py): that is what keeps the page cache correct.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, DateTimeField, Max, Min, Q
from django.utils import timezone

from tete.oneonones import versions
from tete.oneonones.cadence import next_occurrence
from tete.oneonones.markdown import render_markdown
from tete.oneonones.models import (
    PAST_STATUSES,
    STALE_AFTER,
    UPCOMING_STATUSES,
    ActionItem,
    Cadence,
    FlagDismissal,
    Kind,
    Meeting,
    MeetingStatus,
    OneOnOne,
    PrivateNote,
    SharedNote,
    TalkingPoint,
    TalkingPointOrigin,
    Template,
    TemplateCategory,
    TemplateQuestion,
)
from tete.oneonones.queries import next_cadence_slot
from tete.prepared import Param, PreparedQuery

if TYPE_CHECKING:
    from tete.accounts.models import Person


class OneOnOneEnded(ValidationError):
    """A write to an ended one-on-one: its history is read-only, so nothing was changed.

    A ValidationError, so that callers which report those to the person (forms) keep working;
    views catch this one by name to answer with the section or page that says so.
    """


def _require_participant(oneonone: OneOnOne, person: Person) -> None:
    if not oneonone.is_participant(person):
        raise PermissionDenied("Only the one-on-one's two participants can change it.")


def _require_open(oneonone: OneOnOne) -> None:
    if oneonone.is_ended:
        raise OneOnOneEnded("This one-on-one has ended; its history is read-only.")


# --- One-on-ones and their meetings -------------------------------------------------------


@transaction.atomic
def start_oneonone(
    *,
    by: Person,
    other: Person,
    kind: str = Kind.PEER,
    focus_person: Person | None = None,
    cadence: str = Cadence.WEEKLY,
    weekday: int = 0,
    time_of_day: dt.time = dt.time(10, 0),
    duration_minutes: int = 30,
    tz: str = "UTC",
    starts_on: dt.date | None = None,
) -> OneOnOne:
    """Start a one-on-one between `by` and `other`; its first meeting follows the cadence."""
    if other.pk == by.pk:
        raise ValidationError("A one-on-one needs two different people.")
    if not other.is_active:
        raise ValidationError("That person's account is deactivated.")
    if focus_person is not None and focus_person.pk not in (by.pk, other.pk):
        raise ValidationError("The report, mentee or client must be one of the two people.")
    oneonone = OneOnOne.objects.create(
        first=by,
        second=other,
        kind=kind,
        focus_person=focus_person,
        cadence=cadence,
        weekday=weekday,
        time_of_day=time_of_day,
        duration_minutes=duration_minutes,
        timezone=tz,
        starts_on=starts_on or timezone.localdate(),
        created_by=by,
    )
    ensure_next_meeting(oneonone)
    return oneonone


@transaction.atomic
def update_oneonone_settings(
    oneonone: OneOnOne,
    *,
    by: Person,
    kind: str,
    focus_person: Person | None,
    cadence: str,
    weekday: int,
    time_of_day: dt.time,
    duration_minutes: int,
    tz: str,
) -> OneOnOne:
    """Change kind and cadence. The upcoming cadence meeting moves to the new schedule."""
    _require_participant(oneonone, by)
    _require_open(oneonone)
    oneonone.kind = kind
    oneonone.focus_person = focus_person
    cadence_changed = (
        oneonone.cadence,
        oneonone.weekday,
        oneonone.time_of_day,
        oneonone.timezone,
    ) != (
        cadence,
        weekday,
        time_of_day,
        tz,
    )
    oneonone.cadence = cadence
    oneonone.weekday = weekday
    oneonone.time_of_day = time_of_day
    oneonone.duration_minutes = duration_minutes
    oneonone.timezone = tz
    if cadence_changed:
        # Anchor the new cadence at today, so a new fortnight starts from now.
        oneonone.starts_on = timezone.localdate(timezone=oneonone.tzinfo)
    oneonone.save()
    if cadence_changed:
        upcoming = (
            oneonone.meetings.filter(
                status=MeetingStatus.SCHEDULED, extra=False, scheduled_at__gte=timezone.now()
            )
            .order_by("scheduled_at")
            .first()
        )
        when = next_occurrence(oneonone, timezone.now())
        if upcoming is not None and when is not None:
            upcoming.scheduled_at = when
            upcoming.duration_minutes = duration_minutes
            upcoming.save(update_fields=["scheduled_at", "duration_minutes"])
        ensure_next_meeting(oneonone)
    versions.bump(oneonone.pk)
    return oneonone


# Read by every held meeting's page: compiled once (tete/prepared.py).
_NEXT_MEETING = PreparedQuery(
    lambda: Meeting.objects.filter(
        oneonone_id=Param("oneonone", BigIntegerField()),
        status__in=UPCOMING_STATUSES,
        scheduled_at__gt=Param("since", DateTimeField()),
    ).order_by("scheduled_at", "id")[:1]
)


def next_meeting(oneonone: OneOnOne, now: dt.datetime | None = None) -> Meeting | None:
    """The earliest meeting still ahead (scheduled or rescheduled, begun less than
    ``STALE_AFTER`` ago), without creating one."""
    now = now or timezone.now()
    found = _NEXT_MEETING.run(oneonone=oneonone.pk, since=now - STALE_AFTER)
    if not found:
        return None
    found[0].oneonone = oneonone
    return found[0]


def ensure_next_meeting(oneonone: OneOnOne, now: dt.datetime | None = None) -> Meeting | None:
    """The next meeting, created from the cadence when none is ahead (None when ended/no cadence).

    Meetings are materialised one at a time, by the actions that change the schedule (start,
    hold, cancel, cadence change, end) and by the hourly reminders job; never by a page view,
    which shows `queries.planned_next_meeting` instead. There is no calendar of future rows
    to keep in sync when the cadence changes.
    """
    if oneonone.is_ended:
        return None
    now = now or timezone.now()
    existing = next_meeting(oneonone, now)
    if existing is not None:
        return existing
    when = next_cadence_slot(oneonone, now)
    if when is None:
        return None
    return _create_meeting(oneonone, scheduled_at=when, extra=False)


def _create_meeting(oneonone: OneOnOne, *, scheduled_at: dt.datetime, extra: bool) -> Meeting:
    # Atomic on its own: the reminders job creates next meetings outside any other transaction.
    with transaction.atomic():
        meeting = Meeting.objects.create(
            oneonone=oneonone,
            scheduled_at=scheduled_at,
            duration_minutes=oneonone.duration_minutes,
            extra=extra,
        )
        # Points left behind when there was no next meeting to carry them to come along now.
        carry_over_undiscussed(oneonone, into=meeting)
        versions.bump(oneonone.pk)
    return meeting


def carry_over_undiscussed(oneonone: OneOnOne, *, into: Meeting) -> int:
    """Move undiscussed talking points of held and cancelled meetings to `into`.

    Private points move too (they stay private). Carried points go first on the agenda, in
    their previous order, and count how many times they have moved.
    """
    carried = list(
        TalkingPoint.objects.filter(
            meeting__oneonone=oneonone,
            meeting__status__in=PAST_STATUSES,
            discussed=False,
        )
        .exclude(meeting=into)
        .order_by("meeting__scheduled_at", "position", "id")
    )
    if not carried:
        return 0
    lowest = into.talking_points.order_by().aggregate(low=Min("position"))["low"]
    start = (lowest if lowest is not None else 0) - len(carried)
    for offset, point in enumerate(carried):
        point.meeting = into
        point.position = start + offset
        point.carried_over_count += 1
    TalkingPoint.objects.bulk_update(carried, ["meeting", "position", "carried_over_count"])
    return len(carried)


@transaction.atomic
def mark_meeting_held(
    meeting: Meeting, *, by: Person, now: dt.datetime | None = None
) -> Meeting | None:
    """Mark a meeting held; its undiscussed points move to the next meeting (created if due).

    Returns the next meeting, or None when there is none yet (no cadence): the points then
    wait and join the next meeting someone adds.
    """
    oneonone = meeting.oneonone
    _require_participant(oneonone, by)
    _require_open(oneonone)
    if meeting.status == MeetingStatus.HELD:
        return next_meeting(oneonone)
    meeting.status = MeetingStatus.HELD
    meeting.held_at = now or timezone.now()
    meeting.save(update_fields=["status", "held_at"])
    following = ensure_next_meeting(oneonone, now=now)
    if following is not None:
        carry_over_undiscussed(oneonone, into=following)
    versions.bump(oneonone.pk)
    return following


@transaction.atomic
def reschedule_meeting(
    meeting: Meeting, *, by: Person, scheduled_at: dt.datetime, reason: str = ""
) -> Meeting:
    """Move one meeting. The cadence goes on from the slot it came from."""
    _require_participant(meeting.oneonone, by)
    _require_open(meeting.oneonone)
    if not meeting.is_upcoming:
        raise ValidationError("Only a meeting that is still ahead can be rescheduled.")
    if meeting.original_scheduled_at is None:
        meeting.original_scheduled_at = meeting.scheduled_at
    meeting.scheduled_at = scheduled_at
    meeting.status = MeetingStatus.RESCHEDULED
    meeting.reason = reason
    meeting.save(update_fields=["original_scheduled_at", "scheduled_at", "status", "reason"])
    versions.bump(meeting.oneonone_id)
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by: Person, reason: str = "") -> Meeting | None:
    """Cancel one meeting; its undiscussed points move on. Returns the next meeting."""
    oneonone = meeting.oneonone
    _require_participant(oneonone, by)
    _require_open(oneonone)
    if not meeting.is_upcoming:
        raise ValidationError("Only a meeting that is still ahead can be cancelled.")
    meeting.status = MeetingStatus.CANCELLED
    meeting.reason = reason
    meeting.save(update_fields=["status", "reason"])
    following = ensure_next_meeting(oneonone)
    if following is not None:
        carry_over_undiscussed(oneonone, into=following)
    versions.bump(oneonone.pk)
    return following


@transaction.atomic
def add_extra_meeting(
    oneonone: OneOnOne,
    *,
    by: Person,
    scheduled_at: dt.datetime,
    duration_minutes: int | None = None,
) -> Meeting:
    """A meeting on top of the cadence (or the only way to meet without one)."""
    _require_participant(oneonone, by)
    _require_open(oneonone)
    meeting = _create_meeting(oneonone, scheduled_at=scheduled_at, extra=True)
    if duration_minutes:
        meeting.duration_minutes = duration_minutes
        meeting.save(update_fields=["duration_minutes"])
        versions.bump(oneonone.pk)
    return meeting


@transaction.atomic
def end_oneonone(oneonone: OneOnOne, *, by: Person) -> OneOnOne:
    """End it: no new meetings; upcoming ones are cancelled; history stays readable by both."""
    _require_participant(oneonone, by)
    if oneonone.is_ended:
        return oneonone
    oneonone.ended_at = timezone.now()
    oneonone.save(update_fields=["ended_at"])
    oneonone.meetings.filter(status__in=UPCOMING_STATUSES).update(
        status=MeetingStatus.CANCELLED, reason="The one-on-one ended."
    )
    versions.bump(oneonone.pk)
    return oneonone


# --- Agenda ---------------------------------------------------------------------------------


def _require_editable_agenda(meeting: Meeting, person: Person) -> None:
    _require_participant(meeting.oneonone, person)
    _require_open(meeting.oneonone)


@transaction.atomic
def add_talking_point(
    meeting: Meeting,
    *,
    by: Person,
    text: str,
    private: bool = False,
    origin: str = TalkingPointOrigin.WRITTEN,
) -> TalkingPoint:
    _require_editable_agenda(meeting, by)
    text = text.strip()
    if not text:
        raise ValidationError("A talking point needs some text.")
    last = meeting.talking_points.order_by().aggregate(last=Max("position"))["last"]
    point = TalkingPoint.objects.create(
        meeting=meeting,
        author=by,
        text=text,
        private=private,
        origin=origin,
        position=(last if last is not None else -1) + 1,
    )
    versions.bump(meeting.oneonone_id)
    return point


_VISIBLE_POINTS = PreparedQuery(
    lambda: TalkingPoint.objects.filter(
        Q(private=False) | Q(author_id=Param("me", BigIntegerField())),
        meeting_id=Param("meeting", BigIntegerField()),
    ).select_related("author")
)


def visible_talking_points(meeting: Meeting, person: Person) -> list[TalkingPoint]:
    """A meeting's agenda as `person` sees it: private points are their author's."""
    points = _VISIBLE_POINTS.run(meeting=meeting.pk, me=person.pk)
    for point in points:
        point.meeting = meeting
    return points


@transaction.atomic
def reorder_talking_points(meeting: Meeting, *, by: Person, ordered_ids: list[int]) -> None:
    """Put the points `by` can see in the given order; others' private points keep their slots.

    `ordered_ids` must list every point `by` can see exactly once (else ValidationError: the
    agenda changed since it was shown). A point `by` cannot see keeps its place in the agenda,
    counted from the top, so its author finds it where they left it; the visible points fill
    the other places in the new order.
    """
    _require_editable_agenda(meeting, by)
    points = list(meeting.talking_points.select_for_update().order_by("position", "id"))
    visible = [p for p in points if not p.private or p.author_id == by.pk]
    by_id = {p.pk: p for p in visible}
    if sorted(ordered_ids) != sorted(by_id):
        raise ValidationError("The new order must list every talking point once.")
    slots = iter(ordered_ids)
    reordered = [
        by_id[next(slots)] if (not p.private or p.author_id == by.pk) else p for p in points
    ]
    for position, point in enumerate(reordered):
        point.position = position
    TalkingPoint.objects.bulk_update(reordered, ["position"])
    versions.bump(meeting.oneonone_id)


def move_talking_point(point: TalkingPoint, *, by: Person, direction: str) -> None:
    """Move a point one place up or down among the points `by` can see."""
    # Checked here too: moving the first point up changes nothing, but is refused all the same.
    _require_editable_agenda(point.meeting, by)
    ids = [p.pk for p in visible_talking_points(point.meeting, by)]
    index = ids.index(point.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        reorder_talking_points(point.meeting, by=by, ordered_ids=ids)


@transaction.atomic
def mark_discussed(point: TalkingPoint, *, by: Person, discussed: bool = True) -> TalkingPoint:
    _require_editable_agenda(point.meeting, by)
    point.discussed = discussed
    point.save(update_fields=["discussed"])
    versions.bump(point.meeting.oneonone_id)
    return point


@transaction.atomic
def edit_talking_point(point: TalkingPoint, *, by: Person, text: str) -> TalkingPoint:
    """Only its author rewrites a talking point (the other person may be reading it)."""
    _require_editable_agenda(point.meeting, by)
    if point.author_id != by.pk:
        raise PermissionDenied("Only the author can edit a talking point.")
    text = text.strip()
    if not text:
        raise ValidationError("A talking point needs some text.")
    if text != point.text:
        point.text = text
        point.save(update_fields=["text"])
        versions.bump(point.meeting.oneonone_id)
    return point


@transaction.atomic
def delete_talking_point(point: TalkingPoint, *, by: Person) -> None:
    """Only its author removes a talking point."""
    _require_editable_agenda(point.meeting, by)
    if point.author_id != by.pk:
        raise PermissionDenied("Only the author can remove a talking point.")
    oneonone_id = point.meeting.oneonone_id
    point.delete()
    versions.bump(oneonone_id)


@transaction.atomic
def add_from_template(
    meeting: Meeting, *, by: Person, template: Template, private: bool = False
) -> list[TalkingPoint]:
    """Add a template's questions as talking points (skipping ones already on the agenda)."""
    _require_editable_agenda(meeting, by)
    present = {p.text for p in visible_talking_points(meeting, by)}
    return [
        add_talking_point(
            meeting, by=by, text=q.text, private=private, origin=TalkingPointOrigin.TEMPLATE
        )
        for q in template.questions.all()
        if q.text not in present
    ]


# --- Notes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteSaveResult:
    """What saving shared notes did. On conflict nothing was written: both texts are here."""

    note: SharedNote
    saved: bool
    # On conflict: the text `by` tried to save; note.text is what the other person saved.
    my_text: str = ""

    @property
    def conflict(self) -> bool:
        return not self.saved


def shared_note_for(meeting: Meeting) -> SharedNote:
    note, _ = SharedNote.objects.get_or_create(meeting=meeting)
    return note


@transaction.atomic
def save_shared_note(
    meeting: Meeting, *, text: str, base_version: int, by: Person
) -> NoteSaveResult:
    """Save shared notes unless someone saved since `base_version` (then report a conflict).

    The compare-and-set runs as one UPDATE ... WHERE version = base_version, so two browsers
    saving at once cannot both win: the loser gets the winner's text back next to their own.
    """
    _require_participant(meeting.oneonone, by)
    _require_open(meeting.oneonone)
    note = shared_note_for(meeting)
    if note.text == text:
        return NoteSaveResult(note=note, saved=True)
    updated = SharedNote.objects.filter(pk=note.pk, version=base_version).update(
        text=text,
        html=render_markdown(text),
        version=base_version + 1,
        updated_by=by,
        updated_at=timezone.now(),
    )
    if updated:
        versions.bump(meeting.oneonone_id)
    note.refresh_from_db()
    if updated:
        return NoteSaveResult(note=note, saved=True)
    return NoteSaveResult(note=note, saved=False, my_text=text)


def shared_note_html(note: SharedNote) -> str:
    """The note's sanitised HTML: as stored when it was saved, or rendered now for a note
    written in bulk without it. Never stored here: pages call this, and a page view does not
    write."""
    if note.html or not note.text:
        return note.html
    return render_markdown(note.text)


@transaction.atomic
def save_private_note(meeting: Meeting, *, by: Person, text: str) -> PrivateNote:
    _require_participant(meeting.oneonone, by)
    _require_open(meeting.oneonone)
    note, _ = PrivateNote.objects.update_or_create(
        meeting=meeting, author=by, defaults={"text": text, "updated_at": timezone.now()}
    )
    versions.bump(meeting.oneonone_id)
    return note


# --- Action items ------------------------------------------------------------------------------


@transaction.atomic
def add_action_item(
    meeting: Meeting, *, by: Person, text: str, owner: Person, due_date: dt.date | None = None
) -> ActionItem:
    oneonone = meeting.oneonone
    _require_participant(oneonone, by)
    _require_open(oneonone)
    if not oneonone.is_participant(owner):
        raise ValidationError("The owner must be one of the two people.")
    item = ActionItem.objects.create(
        oneonone=oneonone,
        created_in=meeting,
        text=text.strip(),
        owner=owner,
        due_date=due_date,
        created_by=by,
    )
    versions.bump(oneonone.pk)
    return item


@transaction.atomic
def update_action_item(
    item: ActionItem, *, by: Person, text: str, owner: Person, due_date: dt.date | None
) -> ActionItem:
    """Reword, reassign or reschedule an action item; either participant may, while the
    one-on-one is open."""
    oneonone = item.oneonone
    _require_participant(oneonone, by)
    _require_open(oneonone)
    if not oneonone.is_participant(owner):
        raise ValidationError("The owner must be one of the two people.")
    item.text, item.owner, item.due_date = text.strip(), owner, due_date
    item.save(update_fields=["text", "owner", "due_date"])
    versions.bump(oneonone.pk)
    return item


@transaction.atomic
def delete_action_item(item: ActionItem, *, by: Person) -> None:
    """Remove an action item (said by mistake, or twice); either participant may, while the
    one-on-one is open."""
    _require_participant(item.oneonone, by)
    _require_open(item.oneonone)
    oneonone_id = item.oneonone_id
    item.delete()
    versions.bump(oneonone_id)


@transaction.atomic
def complete_action_item(item: ActionItem, *, by: Person) -> ActionItem:
    """Mark an item done; either participant may, also after the one-on-one has ended.

    An ended one-on-one's open items still show in their owner's "My action items" and on the
    home page, so they must stay closable there (and reopenable, to undo a slip).
    """
    _require_participant(item.oneonone, by)
    if item.done_at is None:
        item.done_at = timezone.now()
        item.save(update_fields=["done_at"])
        versions.bump(item.oneonone_id)
    return item


@transaction.atomic
def reopen_action_item(item: ActionItem, *, by: Person) -> ActionItem:
    """Mark a done item open again; like completing, allowed after the one-on-one has ended."""
    _require_participant(item.oneonone, by)
    item.done_at = None
    item.save(update_fields=["done_at"])
    versions.bump(item.oneonone_id)
    return item


# --- Templates -------------------------------------------------------------------------------


@transaction.atomic
def create_template(
    *,
    owner: Person,
    name: str,
    questions: list[str],
    category: str = TemplateCategory.OTHER,
    description: str = "",
) -> Template:
    questions = [q.strip() for q in questions if q.strip()]
    if not questions:
        raise ValidationError("A template needs at least one question.")
    template = Template.objects.create(
        owner=owner, name=name.strip(), category=category, description=description.strip()
    )
    TemplateQuestion.objects.bulk_create(
        TemplateQuestion(template=template, text=text, position=i)
        for i, text in enumerate(questions)
    )
    # Meeting pages list their viewer's templates.
    versions.bump_for_person(owner.pk)
    return template


@transaction.atomic
def update_template(
    template: Template,
    *,
    by: Person,
    name: str,
    questions: list[str],
    category: str,
    description: str = "",
) -> Template:
    """Rename a template and replace its questions. Talking points already added from it
    keep their text: they were copied."""
    if template.owner_id != by.pk:
        raise PermissionDenied("Only its author can change a template.")
    questions = [q.strip() for q in questions if q.strip()]
    if not questions:
        raise ValidationError("A template needs at least one question.")
    template.name, template.category = name.strip(), category
    template.description = description.strip()
    template.save(update_fields=["name", "category", "description"])
    template.questions.all().delete()
    TemplateQuestion.objects.bulk_create(
        TemplateQuestion(template=template, text=text, position=i)
        for i, text in enumerate(questions)
    )
    versions.bump_for_person(by.pk)
    return template


@transaction.atomic
def delete_template(template: Template, *, by: Person) -> None:
    if template.owner_id != by.pk:
        raise PermissionDenied("Only its author can delete a template.")
    template.delete()
    versions.bump_for_person(by.pk)


@transaction.atomic
def dismiss_flag(
    oneonone: OneOnOne, *, by: Person, key: str, now: dt.datetime | None = None
) -> None:
    """Put one of the one-on-one's health flags away for ``by`` (the other person still sees
    it) for ``health.DISMISS_FOR``; it comes back after, if it still holds."""
    from tete.oneonones.health import DISMISS_FOR

    _require_participant(oneonone, by)
    FlagDismissal.objects.update_or_create(
        oneonone=oneonone,
        person=by,
        key=key[:40],
        defaults={"until": (now or timezone.now()) + DISMISS_FOR},
    )
    versions.bump(oneonone.pk)
