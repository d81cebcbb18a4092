"""Me, one-on-ones and their meetings (read only: schedules change on the pages)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, Field

from tete.api.endpoints.common import caller, link, responses, token_of
from tete.api.pagination import Page, paginate, parse_datetime
from tete.api.schemas import MeetingOut, MeOut, OneOnOneOut, PersonOut
from tete.oneonones.access import get_meeting_only_for, get_oneonone_for, oneonones_of
from tete.oneonones.models import Meeting, OneOnOne

router = Router(tags=["one-on-ones"])


class PageQuery(BaseModel):
    cursor: str | None = Field(default=None, max_length=500)
    limit: int | None = Field(default=None, ge=1, le=200)


def oneonone_out(request: HttpRequest, o: OneOnOne) -> OneOnOneOut:
    return OneOnOneOut(
        id=o.pk,
        kind=o.kind,
        people=[PersonOut(id=p.pk, name=p.name) for p in o.participants],
        focus_person_id=o.focus_person_id,
        cadence=o.cadence,
        cadence_summary=o.cadence_summary(),
        timezone=o.timezone,
        duration_minutes=o.duration_minutes,
        ended_at=o.ended_at,
        created_at=o.created_at,
        url=link(request, "oneonones:detail", o.pk),
    )


def meeting_out(request: HttpRequest, m: Meeting) -> MeetingOut:
    return MeetingOut(
        id=m.pk,
        oneonone_id=m.oneonone_id,
        scheduled_at=m.scheduled_at,
        ends_at=m.ends_at,
        duration_minutes=m.duration_minutes,
        status=m.status,
        original_scheduled_at=m.original_scheduled_at,
        held_at=m.held_at,
        extra=m.extra,
        url=link(request, "oneonones:meeting", m.pk),
    )


@router.get("/me", response=responses(MeOut), summary="The person the token acts as")
def me(request: HttpRequest) -> MeOut:
    person = caller(request)
    return MeOut(
        id=person.pk,
        name=person.name,
        email=person.email,
        timezone=person.timezone,
        token_access="read-write" if token_of(request).can_write else "read",
    )


@router.get("/oneonones", response=responses(Page[OneOnOneOut]), summary="Your one-on-ones")
def list_oneonones(request: HttpRequest, page: Query[PageQuery]) -> dict:
    rows = oneonones_of(caller(request)).select_related("first", "second")
    return paginate(
        rows,
        cursor=page.cursor,
        limit=page.limit,
        kind="oneonones",
        present=lambda found: [oneonone_out(request, o) for o in found],
    )


@router.get("/oneonones/{oneonone_id}", response=responses(OneOnOneOut), summary="A one-on-one")
def get_oneonone(request: HttpRequest, oneonone_id: int) -> OneOnOneOut:
    return oneonone_out(request, get_oneonone_for(caller(request), oneonone_id))


@router.get(
    "/oneonones/{oneonone_id}/meetings",
    response=responses(Page[MeetingOut]),
    summary="A one-on-one's meetings, oldest first",
)
def list_meetings(request: HttpRequest, oneonone_id: int, page: Query[PageQuery]) -> dict:
    oneonone = get_oneonone_for(caller(request), oneonone_id)
    return paginate(
        oneonone.meetings.all(),
        cursor=page.cursor,
        limit=page.limit,
        kind=f"meetings:{oneonone.pk}",
        key="scheduled_at",
        parse=parse_datetime,
        present=lambda found: [meeting_out(request, m) for m in found],
    )


@router.get("/meetings/{meeting_id}", response=responses(MeetingOut), summary="A meeting")
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingOut:
    return meeting_out(request, get_meeting_only_for(caller(request), meeting_id))
