"""Home, the list of one's one-on-ones, search, and starting a one-on-one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from tete import limits
from tete.access import access
from tete.accounts.models import Person
from tete.oneonones import actions, health, page_cache
from tete.oneonones import search as search_module
from tete.oneonones.access import (
    get_oneonone_for,
    oneonones_of,
)
from tete.oneonones.forms import StartOneOnOneForm
from tete.oneonones.models import (
    ActionItem,
    Meeting,
    MeetingStatus,
    OneOnOne,
)
from tete.oneonones.queries import (
    count_per_oneonone,
    home_stamp,
    my_open_action_items,
    oneonones_for_home,
    planned_meetings_of,
    upcoming_meetings_for,
    with_waiting_point_counts,
)
from tete.oneonones.views.helpers import HOME_LIST_SIZE, _me


@access("signed_in")
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    # One-on-ones without a meeting row ahead show the one their cadence plans (nothing is
    # written on a page view).
    if not page_cache.usable(request):
        # No key to make, so no stamp to read.
        oneonones = oneonones_for_home(me)
        response = _render_home(request, me, oneonones, planned_meetings_of(oneonones))
        response.page_cache = "skip"  # type: ignore[attr-defined]
        return response
    stamp = home_stamp(me)
    read = oneonones_for_home(me) if stamp.lacking else None
    planned = planned_meetings_of(read) if read else []
    # The planned meetings' times move on with the clock, so they are part of the key.
    key = [*stamp.key, *(meeting.scheduled_at.isoformat() for meeting in planned)]
    return page_cache.serve(
        request,
        "home",
        me.pk,
        key,
        lambda: _render_home(
            request, me, oneonones_for_home(me) if read is None else read, planned
        ),
    )


def _render_home(
    request: HttpRequest, me: Person, oneonones: list[OneOnOne], planned: list[Meeting]
) -> HttpResponse:
    today = timezone.localdate()
    mine = {oneonone.pk: oneonone for oneonone in oneonones}
    rows = upcoming_meetings_for(me, mine, HOME_LIST_SIZE)
    upcoming = sorted(rows + with_waiting_point_counts(planned, me), key=_by_time)
    upcoming = upcoming[:HOME_LIST_SIZE]
    items, open_item_count = my_open_action_items(me, mine, HOME_LIST_SIZE)
    running = [oneonone for oneonone in mine.values() if oneonone.ended_at is None]
    context = {
        "nav": "home",
        "flags": health.flags_for(me, running),
        "upcoming": upcoming,
        "action_items": items,
        "open_item_count": open_item_count,
        "overdue_count": sum(1 for item in items if item.is_overdue(today)),
        "today": today,
    }
    return render(request, "oneonones/home.html", context)


def _by_time(meeting: Meeting) -> tuple[Any, int]:
    return (meeting.scheduled_at, meeting.pk or 0)


@access("signed_in")
@require_safe
def oneonone_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    # Counted by subqueries: two counts over joins multiply each other (every held meeting
    # once per action item).
    oneonones = (
        oneonones_of(me)
        .select_related("first", "second")
        .annotate(
            held_count=count_per_oneonone(Meeting.objects.filter(status=MeetingStatus.HELD)),
            open_item_count=count_per_oneonone(ActionItem.objects.filter(done_at__isnull=True)),
        )
        .order_by("ended_at", "-created_at")
    )
    active = [o for o in oneonones if o.ended_at is None]
    ended = [o for o in oneonones if o.ended_at is not None]
    return render(
        request,
        "oneonones/list.html",
        {"nav": "oneonones", "active": active, "ended": ended},
    )


SEARCH_PAGE_SIZE = 20


@access("signed_in")
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search one's own one-on-ones (or one of them, ``?in=<pk>``)."""
    me = _me(request)
    query = request.GET.get("q", "").strip()[:200]
    within = request.GET.get("in", "")
    oneonone = get_oneonone_for(me, int(within)) if within.isdigit() else None
    if len(query) >= search_module.MIN_QUERY and (
        refusal := limits.check("searches", limits.person_key(request))
    ):
        return limits.too_many_requests(request, refusal)
    hits = search_module.search(me, query, oneonone)
    page = Paginator(hits, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    results = [
        {
            "hit": hit,
            "other": hit.oneonone.other(me),
            "snippet": search_module.snippet(hit.text, query),
        }
        for hit in page.object_list
    ]
    context = {
        "nav": "oneonones",
        "query": query,
        "oneonone": oneonone,
        "page": page,
        "results": results,
        "too_short": 0 < len(query) < search_module.MIN_QUERY,
        "min_query": search_module.MIN_QUERY,
    }
    return render(request, "oneonones/search.html", context)


@access("signed_in")
@require_http_methods(["GET", "POST"])
def start_oneonone(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = StartOneOnOneForm(request.POST or None, person=me)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            oneonone = actions.start_oneonone(
                by=me,
                other=data["other"],
                kind=data["kind"],
                focus_person=form.focus_person(),
                cadence=data["cadence"],
                weekday=data["weekday"],
                time_of_day=data["time_of_day"],
                duration_minutes=data["duration_minutes"],
                tz=data["timezone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Your one-on-one with {data['other'].name} has started.")
            return redirect("oneonones:detail", pk=oneonone.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "oneonones/start.html", {"nav": "oneonones", "form": form}, status=status
    )
