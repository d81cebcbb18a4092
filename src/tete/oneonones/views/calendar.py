"""Calendar files (.ics) for a meeting ahead and for a one-on-one's cadence."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from tete import limits
from tete.access import access
from tete.oneonones import calendar_file
from tete.oneonones.access import (
    get_meeting_for,
    get_oneonone_for,
)
from tete.oneonones.models import Meeting
from tete.oneonones.views.helpers import _ascii_slug, _download, _me


def _meeting_uid(request: HttpRequest, meeting: Meeting) -> str:
    """A meeting's event in calendars: the same in its own file and in the series file."""
    return f"meeting-{meeting.pk}@{request.get_host()}"


@access("participant")
@require_safe
@limits.limited_per_person("downloads")
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """An upcoming meeting as an .ics file, to add to one's own calendar."""
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    if not meeting.is_upcoming or meeting.oneonone.is_ended:
        raise Http404("Only a meeting ahead can go in a calendar.")
    link = request.build_absolute_uri(reverse("oneonones:meeting", args=[meeting.pk]))
    content = calendar_file.meeting_calendar(meeting, uid=_meeting_uid(request, meeting), link=link)
    other = meeting.oneonone.other(me)
    day = meeting.scheduled_at.astimezone(meeting.oneonone.tzinfo).date().isoformat()
    return _download(content, "text/calendar", f"one-on-one-{_ascii_slug(other.name)}-{day}.ics")


@access("participant")
@require_safe
@limits.limited_per_person("downloads")
def oneonone_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """A one-on-one's cadence as a repeating event in an .ics file."""
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    link = request.build_absolute_uri(reverse("oneonones:detail", args=[oneonone.pk]))
    content = (
        None
        if oneonone.is_ended
        else calendar_file.series_calendar(
            oneonone,
            uid=f"oneonone-{oneonone.pk}@{request.get_host()}",
            link=link,
            meeting_uid=lambda meeting: _meeting_uid(request, meeting),
        )
    )
    if content is None:
        raise Http404("This one-on-one has no regular meetings ahead.")
    name = _ascii_slug(oneonone.other(me).name)
    return _download(content, "text/calendar", f"one-on-ones-{name}.ics")
