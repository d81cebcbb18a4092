"""A one-on-one's page, its settings, ending it, and adding meetings to it."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tete.access import access
from tete.accounts.models import Person
from tete.oneonones import actions, health, oneonone_page, page_cache
from tete.oneonones.access import (
    get_oneonone_for,
    get_oneonone_page_for,
    oneonone_stamp_for,
)
from tete.oneonones.forms import (
    ExtraMeetingForm,
    OneOnOneSettingsForm,
    TalkingPointForm,
)
from tete.oneonones.models import (
    STALE_AFTER,
    UPCOMING_STATUSES,
    Meeting,
    OneOnOne,
)
from tete.oneonones.queries import (
    planned_next_meeting,
    waiting_talking_points,
)
from tete.oneonones.views.helpers import (
    HISTORY_PAGE_SIZE,
    LATER_MEETINGS,
    _me,
    _redirect_back,
    _start_of_today,
)


@access("participant")
@require_safe
def oneonone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    # No meeting row ahead: the page shows the one the cadence plans, without writing.
    if not page_cache.usable(request):
        # No key to make: the one-on-one is read, access checked, with what the key needs.
        oneonone, lacks_next_meeting = get_oneonone_page_for(me, pk)
        planned = planned_next_meeting(oneonone) if lacks_next_meeting else None
        response = _render_oneonone(request, me, oneonone, planned)
        response.page_cache = "skip"  # type: ignore[attr-defined]
        return response
    stamp = oneonone_stamp_for(me, pk)
    key: list[Any] = [stamp.content_version]
    read: OneOnOne | None = None
    planned = None
    if stamp.lacks_next_meeting:
        read = get_oneonone_page_for(me, pk)[0]
        planned = planned_next_meeting(read)
        # Its time moves on with the clock, so it is part of the key.
        key.append(planned.scheduled_at.isoformat() if planned else None)
    return page_cache.serve(
        request,
        "oneonone",
        pk,
        key,
        lambda: _render_oneonone(request, me, read or get_oneonone_page_for(me, pk)[0], planned),
    )


def _render_oneonone(
    request: HttpRequest, me: Person, oneonone: OneOnOne, planned: Meeting | None
) -> HttpResponse:
    now = timezone.now()
    # The next meeting and the few after it, and the cancelled ones still ahead, in one
    # query. One left "scheduled" long after its day is past, not ahead: it is listed with the
    # past ones, and flagged. Cancelled meetings are past only once their day has come: the
    # page cache's key carries the date.
    stale_before = now - STALE_AFTER
    today_starts = _start_of_today()
    ahead, cancelled_ahead = oneonone_page.ahead(
        oneonone,
        LATER_MEETINGS + 1,
        0 if oneonone.is_ended else LATER_MEETINGS,
        stale_before,
        today_starts,
    )
    if oneonone.is_ended:
        upcoming, later = None, ahead[:LATER_MEETINGS]
    elif ahead:
        upcoming, later = ahead[0], ahead[1:]
    else:
        upcoming, later = planned, []
    if upcoming is None:
        agenda = []
    elif upcoming.pk is None:
        agenda = waiting_talking_points(oneonone, me)
    else:
        agenda = actions.visible_talking_points(upcoming, me)
    number = request.GET.get("page")
    history = oneonone_page.History(
        oneonone,
        me,
        today_starts,
        stale_before,
        expected=oneonone_page.page_slice(number, HISTORY_PAGE_SIZE),
    )
    paginator: Paginator[Meeting] = Paginator(cast(Any, history), HISTORY_PAGE_SIZE)
    page = paginator.get_page(number)
    context = {
        "nav": "oneonones",
        "oneonone": oneonone,
        "other": oneonone.other(me),
        "next_meeting": upcoming,
        "agenda": agenda,
        "later_meetings": later,
        "cancelled_ahead": cancelled_ahead,
        "open_items": oneonone_page.open_items(oneonone),
        "history": page,
        "point_form": TalkingPointForm(),
        "today": timezone.localdate(),
    }
    context["health"] = figures = health.health(oneonone, me, now)
    context["health_rows"] = figures.rows(me)
    return render(request, "oneonones/oneonone.html", context)


@access("participant")
@require_POST
def dismiss_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a health flag away for the one who asks, for a while (the other still sees it)."""
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    key = request.POST.get("key", "")
    if not health.is_flag_key(key):
        return HttpResponseBadRequest("Unknown flag.")
    actions.dismiss_flag(oneonone, by=me, key=key)
    return _redirect_back(request, reverse("oneonones:detail", args=[oneonone.pk]))


@access("participant")
@require_http_methods(["GET", "POST"])
def oneonone_settings(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    form = OneOnOneSettingsForm(request.POST or None, oneonone=oneonone, person=me)
    if request.method == "POST" and not oneonone.is_ended and form.is_valid():
        data = form.cleaned_data
        actions.update_oneonone_settings(
            oneonone,
            by=me,
            kind=data["kind"],
            focus_person=form.focus_person(),
            cadence=data["cadence"],
            weekday=data["weekday"],
            time_of_day=data["time_of_day"],
            duration_minutes=data["duration_minutes"],
            tz=data["timezone"],
        )
        messages.success(request, "Settings saved.")
        return redirect("oneonones:detail", pk=oneonone.pk)
    return render(
        request,
        "oneonones/settings.html",
        {"nav": "oneonones", "oneonone": oneonone, "other": oneonone.other(me), "form": form},
        status=400 if form.is_bound else 200,
    )


@access("participant")
@require_http_methods(["GET", "POST"])
def end_oneonone(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (a page, so it works without JavaScript); POST ends the one-on-one."""
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    if request.method == "GET":
        if oneonone.is_ended:
            return redirect("oneonones:detail", pk=oneonone.pk)
        context = {
            "nav": "oneonones",
            "oneonone": oneonone,
            "other": oneonone.other(me),
            "upcoming_count": oneonone.meetings.filter(status__in=UPCOMING_STATUSES).count(),
        }
        return render(request, "oneonones/end.html", context)
    actions.end_oneonone(oneonone, by=me)
    messages.success(request, "The one-on-one has ended. Its history stays here for you both.")
    return redirect("oneonones:detail", pk=oneonone.pk)


@access("participant")
@require_POST
def prepare_next_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the meeting the cadence has next (pages show it before its row exists) and open
    it; with a talking point posted, add that to its agenda and go back instead."""
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    meeting = actions.ensure_next_meeting(oneonone)
    detail = reverse("oneonones:detail", args=[oneonone.pk])
    if meeting is None:
        messages.warning(request, "This one-on-one has no regular meeting ahead.")
        return redirect(detail)
    if "text" not in request.POST:
        return redirect("oneonones:meeting", pk=meeting.pk)
    form = TalkingPointForm(request.POST)
    if form.is_valid():
        actions.add_talking_point(
            meeting, by=me, text=form.cleaned_data["text"], private=form.cleaned_data["private"]
        )
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("text", [])))
    return _redirect_back(request, detail)


@access("participant")
@require_http_methods(["GET", "POST"])
def add_extra_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    form = ExtraMeetingForm(
        request.POST or None, initial={"duration_minutes": oneonone.duration_minutes}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.add_extra_meeting(
                oneonone,
                by=me,
                scheduled_at=form.cleaned_data["scheduled_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Meeting added.")
            return redirect("oneonones:meeting", pk=meeting.pk)
    return render(
        request,
        "oneonones/meeting_form.html",
        {
            "nav": "oneonones",
            "oneonone": oneonone,
            "other": oneonone.other(me),
            "form": form,
            "title": "Add a meeting",
            "submit": "Add meeting",
            "cancel_url": reverse("oneonones:detail", args=[oneonone.pk]),
        },
        status=400 if form.is_bound else 200,
    )
