"""Me, one-on-ones and their meetings (read only: schedules change on the pages)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, Field

from tete.accounts.models import Person
from tete.api.endpoints.common import caller, link, links, responses, token_of
from tete.api.pagination import Page, paginate, parse_datetime
from tete.api.schemas import MeetingOut, MeOut, OneOnOneOut, PersonOut
from tete.oneonones.access import get_meeting_only_for, get_oneonone_for, oneonones_of
from tete.oneonones.models import Meeting, OneOnOne

router = Router(tags=["one-on-ones"])


class PageQuery(BaseModel):
    cursor: str | None = Field(default=None, max_length=500)
    limit: int | None = Field(default=None, ge=1, le=200)


def oneonone_out(
    request: HttpRequest,
    o: OneOnOne,
    *,
    names: dict[int, str] | None = None,
    url: Callable[[int], str] | None = None,
) -> OneOnOneOut:
    """A one-on-one; ``names`` (of its two people) and ``url`` when a list has them at hand."""
    if names is None:
        people = [PersonOut(id=p.pk, name=p.name) for p in o.participants]
    else:
        people = [PersonOut(id=pk, name=names[pk]) for pk in (o.first_id, o.second_id)]
    return OneOnOneOut(
        id=o.pk,
        kind=o.kind,
        people=people,
        focus_person_id=o.focus_person_id,
        cadence=o.cadence,
        cadence_summary=o.cadence_summary(),
        timezone=o.timezone,
        duration_minutes=o.duration_minutes,
        ended_at=o.ended_at,
        created_at=o.created_at,
        url=url(o.pk) if url else link(request, "oneonones:detail", o.pk),
    )


def oneonones_out(request: HttpRequest, found: Sequence[OneOnOne]) -> list[OneOnOneOut]:
    """A page of one-on-ones, with their people's names read in one small query (joining
    every column of both people to each row cost more than the rest of the page)."""
    ids = {pk for o in found for pk in (o.first_id, o.second_id)}
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    url = links(request, "oneonones:detail")
    return [oneonone_out(request, o, names=names, url=url) for o in found]


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


@router.get("/oneonones", response=responses(Page[OneOnOneOut]), summary="Your one-on-ones")
def list_oneonones(request: HttpRequest, page: Query[PageQuery]) -> dict:
    return paginate(
        oneonones_of(caller(request)),
        cursor=page.cursor,
        limit=page.limit,
        kind="oneonones",
        present=lambda found: oneonones_out(request, found),
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
