"""Me, one-on-ones and their meetings (read only: schedules change on the pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import BaseModel, Field

from tete.api.endpoints.common import caller, link, links, rendered, responses, token_of
from tete.api.pagination import Page, after_id, next_cursor, page_size, paginate, parse_datetime
from tete.api.schemas import MeetingOut, MeOut, OneOnOneOut
from tete.oneonones.access import (
    ListedOneOnOne,
    get_meeting_only_for,
    get_oneonone_for,
    oneonones_page_of,
)
from tete.oneonones.models import Meeting, OneOnOne, cadence_in_words

router = Router(tags=["one-on-ones"])


class PageQuery(BaseModel):
    cursor: str | None = Field(default=None, max_length=500)
    limit: int | None = Field(default=None, ge=1, le=200)


def oneonone_row(o: OneOnOne | ListedOneOnOne, people: list[dict[str, Any]], url: str) -> dict:
    """A one-on-one as OneOnOneOut writes it, field for field and in its order."""
    return {
        "id": o.id,
        "kind": o.kind,
        "people": people,
        "focus_person_id": o.focus_person_id,
        "cadence": o.cadence,
        "cadence_summary": cadence_in_words(
            o.cadence, o.weekday, o.time_of_day, o.starts_on, o.timezone, o.duration_minutes
        ),
        "timezone": o.timezone,
        "duration_minutes": o.duration_minutes,
        "ended_at": o.ended_at,
        "created_at": o.created_at,
        "url": url,
    }


def oneonone_out(request: HttpRequest, o: OneOnOne) -> dict[str, Any]:
    people = [{"id": p.pk, "name": p.name} for p in o.participants]
    return oneonone_row(o, people, link(request, "oneonones:detail", o.pk))


def meeting_out(
    request: HttpRequest, m: Meeting, *, url: Callable[[int], str] | None = None
) -> MeetingOut:
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
        url=url(m.pk) if url else link(request, "oneonones:meeting", m.pk),
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


# Written straight from the rows: validating a page against Page[OneOnOneOut] and dumping it
# again cost as much as the rest of the request (benchmarks/api.py). The one-on-one's own
# endpoint writes the same rows through the schema; tests/api/test_oneonone_list.py holds
# the two to each other, and the list to its bytes.
@router.get("/oneonones", response=responses(Page[OneOnOneOut]), summary="Your one-on-ones")
def list_oneonones(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    size = page_size(page.limit)
    found = oneonones_page_of(
        caller(request), after_id=after_id(page.cursor, "oneonones"), limit=size + 1
    )
    rows = found[:size]
    url = links(request, "oneonones:detail")
    results = []
    for o in rows:
        people = [
            {"id": o.first_id, "name": o.first_person_name},
            {"id": o.second_id, "name": o.second_person_name},
        ]
        results.append(oneonone_row(o, people, url(o.id)))
    last = rows[-1].id if len(found) > size else None
    cursor = None if last is None else next_cursor("oneonones", last, last)
    return rendered(request, {"results": results, "next": cursor})


@router.get("/oneonones/{oneonone_id}", response=responses(OneOnOneOut), summary="A one-on-one")
def get_oneonone(request: HttpRequest, oneonone_id: int) -> dict[str, Any]:
    return oneonone_out(request, get_oneonone_for(caller(request), oneonone_id))


@router.get(
    "/oneonones/{oneonone_id}/meetings",
    response=responses(Page[MeetingOut]),
    summary="A one-on-one's meetings, oldest first",
)
def list_meetings(request: HttpRequest, oneonone_id: int, page: Query[PageQuery]) -> dict:
    oneonone = get_oneonone_for(caller(request), oneonone_id)
    url = links(request, "oneonones:meeting")
    return paginate(
        oneonone.meetings.all(),
        cursor=page.cursor,
        limit=page.limit,
        kind=f"meetings:{oneonone.pk}",
        key="scheduled_at",
        parse=parse_datetime,
        present=lambda found: [meeting_out(request, m, url=url) for m in found],
    )


@router.get("/meetings/{meeting_id}", response=responses(MeetingOut), summary="A meeting")
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingOut:
    return meeting_out(request, get_meeting_only_for(caller(request), meeting_id))
