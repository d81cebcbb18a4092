"""A meeting's agenda and follow-through: talking points, shared notes, check-in answers and
action items. Writes call the same actions as the pages (oneonones/actions.py)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import BaseModel

from tete.api.endpoints.common import caller, responses
from tete.api.endpoints.oneonones import PageQuery
from tete.api.pagination import Page, paginate
from tete.api.problems import Problem
from tete.api.schemas import (
    ActionItemChange,
    ActionItemIn,
    ActionItemOut,
    CheckinAnswerOut,
    CheckinOut,
    SharedNoteIn,
    SharedNoteOut,
    TalkingPointChange,
    TalkingPointIn,
    TalkingPointOut,
)
from tete.oneonones import actions
from tete.oneonones.access import (
    get_action_item_for,
    get_meeting_for,
    get_meeting_only_for,
    get_oneonone_for,
    get_talking_point_for,
    oneonones_of,
)
from tete.oneonones.models import ActionItem, OneOnOne, SharedNote, TalkingPoint
from tete.surveys import checkins

router = Router(tags=["agenda and action items"])


def point_out(p: TalkingPoint) -> TalkingPointOut:
    return TalkingPointOut(
        id=p.pk,
        meeting_id=p.meeting_id,
        author_id=p.author_id,
        text=p.text,
        private=p.private,
        discussed=p.discussed,
        position=p.position,
        carried_over_count=p.carried_over_count,
        created_at=p.created_at,
    )


def item_out(i: ActionItem) -> ActionItemOut:
    return ActionItemOut(
        id=i.pk,
        oneonone_id=i.oneonone_id,
        meeting_id=i.created_in_id,
        text=i.text,
        owner_id=i.owner_id,
        due_date=i.due_date,
        done_at=i.done_at,
        created_by_id=i.created_by_id,
        created_at=i.created_at,
    )


def items_out(found: Sequence[ActionItem]) -> list[ActionItemOut]:
    return [item_out(i) for i in found]


def note_out(meeting_id: int, note: SharedNote | None) -> SharedNoteOut:
    if note is None:
        return SharedNoteOut(
            meeting_id=meeting_id, text="", version=0, updated_by_id=None, updated_at=None
        )
    return SharedNoteOut(
        meeting_id=meeting_id,
        text=note.text,
        version=note.version,
        updated_by_id=note.updated_by_id,
        updated_at=note.updated_at if note.pk and note.version else None,
    )


# --- Talking points ---------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/talking-points",
    response=responses(Page[TalkingPointOut]),
    summary="A meeting's talking points: the shared ones and your own private ones",
)
def list_talking_points(request: HttpRequest, meeting_id: int, page: Query[PageQuery]) -> dict:
    me = caller(request)
    meeting = get_meeting_only_for(me, meeting_id)
    # Another person's private points are never listed (DESIGN.md access rule 2).
    visible = meeting.talking_points.filter(Q(private=False) | Q(author=me))
    return paginate(
        visible,
        cursor=page.cursor,
        limit=page.limit,
        kind=f"points:{meeting.pk}",
        present=lambda found: [point_out(p) for p in found],
    )


@router.post(
    "/meetings/{meeting_id}/talking-points",
    response=responses(TalkingPointOut, 201, write=True),
    summary="Add a talking point",
)
def add_talking_point(
    request: HttpRequest, meeting_id: int, payload: TalkingPointIn
) -> Status[TalkingPointOut]:
    me = caller(request)
    meeting = get_meeting_for(me, meeting_id)
    point = actions.add_talking_point(meeting, by=me, text=payload.text, private=payload.private)
    return Status(201, point_out(point))


@router.patch(
    "/talking-points/{point_id}",
    response=responses(TalkingPointOut, write=True),
    summary="Mark a talking point discussed, or reword your own",
)
def change_talking_point(
    request: HttpRequest, point_id: int, payload: TalkingPointChange
) -> TalkingPointOut:
    me = caller(request)
    point = get_talking_point_for(me, point_id)
    if payload.text is None and payload.discussed is None:
        raise Problem(422, "Send text, discussed, or both.")
    if payload.text is not None:
        point = actions.edit_talking_point(point, by=me, text=payload.text)
    if payload.discussed is not None:
        point = actions.mark_discussed(point, by=me, discussed=payload.discussed)
    return point_out(point)


@router.delete(
    "/talking-points/{point_id}",
    response=responses(None, 204, write=True),
    summary="Remove one of your talking points",
)
def delete_talking_point(request: HttpRequest, point_id: int) -> Status[None]:
    me = caller(request)
    actions.delete_talking_point(get_talking_point_for(me, point_id), by=me)
    return Status(204, None)


# --- Shared notes -----------------------------------------------------------------------------


class NoteConflictOut(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    #: The notes as they are now, saved by the other person.
    current: SharedNoteOut
    #: What you sent, not saved: merge it into `current.text` and send it with its version.
    your_text: str


@router.get(
    "/meetings/{meeting_id}/notes",
    response=responses(SharedNoteOut),
    summary="A meeting's shared notes and their version",
)
def get_notes(request: HttpRequest, meeting_id: int) -> SharedNoteOut:
    meeting = get_meeting_only_for(caller(request), meeting_id)
    # Read without creating the row: a GET never writes.
    return note_out(meeting.pk, SharedNote.objects.filter(meeting=meeting).first())


@router.put(
    "/meetings/{meeting_id}/notes",
    response={**responses(SharedNoteOut, write=True), 409: NoteConflictOut},
    summary="Save shared notes made on a version (409 if someone saved since)",
)
def save_notes(request: HttpRequest, meeting_id: int, payload: SharedNoteIn) -> SharedNoteOut:
    me = caller(request)
    meeting = get_meeting_for(me, meeting_id)
    result = actions.save_shared_note(
        meeting, text=payload.text, base_version=payload.version, by=me
    )
    if result.conflict:
        raise Problem(
            409,
            "The notes were changed since the version you sent; nothing was saved. "
            "Merge your text into the current notes and send them with the current version.",
            extra={
                "current": note_out(meeting.pk, result.note).model_dump(mode="json"),
                "your_text": result.my_text,
            },
        )
    return note_out(meeting.pk, result.note)


# --- Check-ins --------------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/checkin",
    response=responses(CheckinOut),
    summary="The check-in answers given before a meeting (404 when there are none)",
)
def get_checkin(request: HttpRequest, meeting_id: int) -> CheckinOut:
    meeting = get_meeting_for(caller(request), meeting_id)
    answers = checkins.answers_for_meeting(meeting)
    if answers is None:
        raise Problem(404, "No check-in was filled in for this meeting.")
    return CheckinOut(
        meeting_id=meeting.pk,
        respondent_id=answers.respondent.pk if answers.respondent else None,
        answers=[CheckinAnswerOut(question=q, answer=a) for q, a in answers.items],
    )


# --- Action items -----------------------------------------------------------------------------


class ItemQuery(PageQuery):
    #: true: open items only; false: done ones only; left out: all.
    open: bool | None = None


def _filtered(rows: object, query: ItemQuery) -> object:
    if query.open is None:
        return rows
    return rows.filter(done_at__isnull=query.open)  # type: ignore[attr-defined]


@router.get(
    "/action-items",
    response=responses(Page[ActionItemOut]),
    summary="Action items you own, across your one-on-ones",
)
def my_action_items(request: HttpRequest, query: Query[ItemQuery]) -> dict:
    me = caller(request)
    rows = ActionItem.objects.filter(oneonone__in=oneonones_of(me), owner=me)
    return paginate(
        _filtered(rows, query),  # type: ignore[arg-type]
        cursor=query.cursor,
        limit=query.limit,
        kind="my-items",
        present=items_out,
    )


@router.get(
    "/oneonones/{oneonone_id}/action-items",
    response=responses(Page[ActionItemOut]),
    summary="A one-on-one's action items, both people's",
)
def list_action_items(request: HttpRequest, oneonone_id: int, query: Query[ItemQuery]) -> dict:
    oneonone = get_oneonone_for(caller(request), oneonone_id)
    return paginate(
        _filtered(oneonone.action_items.all(), query),  # type: ignore[arg-type]
        cursor=query.cursor,
        limit=query.limit,
        kind=f"items:{oneonone.pk}",
        present=items_out,
    )


def _owner(oneonone: OneOnOne, owner_id: int) -> object:
    for person in oneonone.participants:
        if person.pk == owner_id:
            return person
    raise Problem(
        422,
        "The owner must be one of the one-on-one's two people.",
        errors=[{"field": "owner_id", "message": "Not one of the two people."}],
    )


@router.post(
    "/meetings/{meeting_id}/action-items",
    response=responses(ActionItemOut, 201, write=True),
    summary="Add an action item",
)
def add_action_item(
    request: HttpRequest, meeting_id: int, payload: ActionItemIn
) -> Status[ActionItemOut]:
    me = caller(request)
    meeting = get_meeting_for(me, meeting_id)
    owner = _owner(meeting.oneonone, payload.owner_id) if payload.owner_id else me
    if not payload.text.strip():
        raise Problem(422, "An action item needs some text.")
    item = actions.add_action_item(
        meeting,
        by=me,
        text=payload.text,
        owner=owner,  # type: ignore[arg-type]
        due_date=payload.due_date,
    )
    return Status(201, item_out(item))


@router.get("/action-items/{item_id}", response=responses(ActionItemOut), summary="An action item")
def get_action_item(request: HttpRequest, item_id: int) -> ActionItemOut:
    return item_out(get_action_item_for(caller(request), item_id))


@router.patch(
    "/action-items/{item_id}",
    response=responses(ActionItemOut, write=True),
    summary="Reword, reassign or reschedule an action item",
)
def change_action_item(
    request: HttpRequest, item_id: int, payload: ActionItemChange
) -> ActionItemOut:
    me = caller(request)
    item = get_action_item_for(me, item_id)
    owner = _owner(item.oneonone, payload.owner_id) if payload.owner_id else item.owner
    text = item.text if payload.text is None else payload.text
    if not text.strip():
        raise Problem(422, "An action item needs some text.")
    due = None if payload.clear_due_date else (payload.due_date or item.due_date)
    item = actions.update_action_item(
        item,
        by=me,
        text=text,
        owner=owner,  # type: ignore[arg-type]
        due_date=due,
    )
    return item_out(item)


@router.post(
    "/action-items/{item_id}/complete",
    response=responses(ActionItemOut, write=True),
    summary="Mark an action item done",
)
def complete_action_item(request: HttpRequest, item_id: int) -> ActionItemOut:
    me = caller(request)
    return item_out(actions.complete_action_item(get_action_item_for(me, item_id), by=me))


@router.post(
    "/action-items/{item_id}/reopen",
    response=responses(ActionItemOut, write=True),
    summary="Mark a done action item open again",
)
def reopen_action_item(request: HttpRequest, item_id: int) -> ActionItemOut:
    me = caller(request)
    return item_out(actions.reopen_action_item(get_action_item_for(me, item_id), by=me))
