"""One-on-one pages. Thin views: parse input, fetch through access helpers, call an action.

In-page changes use htmx: with `request.htmx` a view renders the named partial of the page
("oneonones/meeting.html#agenda"); without JavaScript the same form posts and redirects.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tete import limits
from tete.access import access
from tete.accounts.models import Person
from tete.oneonones import actions, calendar_file, export, page_cache
from tete.oneonones import search as search_module
from tete.oneonones.access import (
    get_action_item_for,
    get_meeting_for,
    get_oneonone_for,
    get_own_template_for,
    get_talking_point_for,
    get_template_for,
    meeting_stamp_for,
    oneonone_stamp_for,
    oneonones_of,
    templates_for,
    unshown_person_fields,
)
from tete.oneonones.forms import (
    ActionItemFilterForm,
    ActionItemForm,
    CancelForm,
    ExtraMeetingForm,
    FromTemplateForm,
    OneOnOneSettingsForm,
    PrivateNoteForm,
    RescheduleForm,
    SharedNoteForm,
    StartOneOnOneForm,
    TalkingPointForm,
    TalkingPointTextForm,
    TemplateForm,
)
from tete.oneonones.models import (
    UPCOMING_STATUSES,
    ActionItem,
    Meeting,
    MeetingStatus,
    OneOnOne,
    PrivateNote,
    SharedNote,
    Template,
)
from tete.oneonones.queries import (
    action_items_for,
    count_per_oneonone,
    home_stamp,
    my_open_action_items,
    open_action_items_for_meeting,
    partners_of,
    planned_meetings_for,
    planned_next_meeting,
    upcoming_meetings_for,
    visible_point_count,
    waiting_talking_points,
    with_waiting_point_counts,
)

HISTORY_PAGE_SIZE = 10
HOME_LIST_SIZE = 8
LATER_MEETINGS = 5
ACTION_ITEMS_PAGE_SIZE = 25


def _me(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _safe_next(request: HttpRequest) -> str:
    """The page a form or link came from (`next`, posted or in the query), when same-site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page the form was on (a same-site `next`), else to `default`."""
    return redirect(_safe_next(request) or default)


def _start_of_today() -> dt.datetime:
    """Midnight of the viewer's today, in their timezone (pages show their dates)."""
    return dt.datetime.combine(
        timezone.localdate(), dt.time(), tzinfo=timezone.get_current_timezone()
    )


# --- Home and lists --------------------------------------------------------------------------


@access("signed_in")
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    stamp = home_stamp(me)
    # One-on-ones without a meeting row ahead show the one their cadence plans (nothing is
    # written on a page view); its time moves on with the clock, so it is part of the key.
    planned = planned_meetings_for(me) if stamp.lacking else []
    key = [*stamp.key, *(meeting.scheduled_at.isoformat() for meeting in planned)]
    return page_cache.serve(request, "home", me.pk, key, lambda: _render_home(request, me, planned))


def _render_home(request: HttpRequest, me: Person, planned: list[Meeting]) -> HttpResponse:
    today = timezone.localdate()
    rows = list(upcoming_meetings_for(me)[:HOME_LIST_SIZE])
    upcoming = sorted(rows + with_waiting_point_counts(planned, me), key=_by_time)
    upcoming = upcoming[:HOME_LIST_SIZE]
    items = list(my_open_action_items(me)[:HOME_LIST_SIZE])
    # A list shorter than its limit holds every open item: count only when it may not.
    open_item_count = (
        len(items) if len(items) < HOME_LIST_SIZE else my_open_action_items(me).count()
    )
    context = {
        "nav": "home",
        "upcoming": upcoming,
        "action_items": items,
        "open_item_count": open_item_count,
        "overdue_count": sum(1 for item in items if item.is_overdue(today)),
        "today": today,
    }
    return render(request, "oneonones/home.html", context)


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


@access("signed_in")
@require_safe
def my_action_items(request: HttpRequest) -> HttpResponse:
    """The viewer's own action items, or those the people they meet own in their one-on-ones
    (``?whose=theirs``); open or done; with one person (``?person=``) or everyone."""
    me = _me(request)
    form = ActionItemFilterForm(request.GET, partners=partners_of(me))
    theirs, done, partner = form.choice()
    items = action_items_for(me, theirs=theirs, done=done, partner=partner)
    page = Paginator(items, ACTION_ITEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "action_items",
        "page": page,
        "form": form,
        "theirs": theirs,
        "show_done": done,
        "partner": partner,
        "today": timezone.localdate(),
    }
    return render(request, "oneonones/action_items.html", context)


def _by_time(meeting: Meeting) -> tuple[Any, int]:
    return (meeting.scheduled_at, meeting.pk or 0)


# --- One-on-one ------------------------------------------------------------------------------


@access("participant")
@require_safe
def oneonone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    stamp = oneonone_stamp_for(me, pk)
    key: list[Any] = [stamp.content_version]
    planned = None
    if stamp.lacks_next_meeting:
        # No meeting row ahead: the page shows the one the cadence plans, without writing.
        # Its time moves on with the clock, so it is part of the key.
        planned = planned_next_meeting(get_oneonone_for(me, pk))
        key.append(planned.scheduled_at.isoformat() if planned else None)
    return page_cache.serve(
        request,
        "oneonone",
        pk,
        key,
        lambda: _render_oneonone(request, me, get_oneonone_for(me, pk), planned),
    )


def _render_oneonone(
    request: HttpRequest, me: Person, oneonone: OneOnOne, planned: Meeting | None
) -> HttpResponse:
    # The next meeting and the few after it, in one query.
    ahead = list(
        oneonone.meetings.filter(status__in=UPCOMING_STATUSES).order_by("scheduled_at", "id")[
            : LATER_MEETINGS + 1
        ]
    )
    today_starts = _start_of_today()
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
    # Cancelled meetings are past only once their day has come: the key carries the date.
    cancelled_ahead = (
        []
        if oneonone.is_ended
        else list(
            oneonone.meetings.filter(
                status=MeetingStatus.CANCELLED, scheduled_at__gte=today_starts
            ).order_by("scheduled_at", "id")[:LATER_MEETINGS]
        )
    )
    # Annotations by subquery, not join and GROUP BY, so that the paginator's count is a
    # plain count of past meetings.
    history = (
        oneonone.meetings.filter(
            Q(status=MeetingStatus.HELD)
            | Q(status=MeetingStatus.CANCELLED, scheduled_at__lt=today_starts)
        )
        .annotate(
            point_count=Coalesce(visible_point_count(me), 0),
            has_notes=Exists(SharedNote.objects.filter(meeting=OuterRef("pk")).exclude(text="")),
        )
        .order_by("-scheduled_at", "-id")
    )
    page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "oneonones",
        "oneonone": oneonone,
        "other": oneonone.other(me),
        "next_meeting": upcoming,
        "agenda": agenda,
        "later_meetings": later,
        "cancelled_ahead": cancelled_ahead,
        "open_items": list(
            oneonone.action_items.filter(done_at__isnull=True)
            .select_related("owner", "created_in")
            .defer(*unshown_person_fields("owner"))
        ),
        "history": page,
        "point_form": TalkingPointForm(),
        "today": timezone.localdate(),
    }
    return render(request, "oneonones/oneonone.html", context)


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


# --- Meeting ---------------------------------------------------------------------------------


def _meeting_context(request: HttpRequest, meeting: Meeting, **overrides: Any) -> dict[str, Any]:
    me = _me(request)
    oneonone = meeting.oneonone
    note = (
        SharedNote.objects.filter(meeting=meeting)
        .select_related("updated_by")
        .defer(*unshown_person_fields("updated_by"))
        .first()
    )
    private_note = PrivateNote.objects.filter(meeting=meeting, author=me).first()
    context: dict[str, Any] = {
        "nav": "oneonones",
        "meeting": meeting,
        "oneonone": oneonone,
        "other": oneonone.other(me),
        "editable": not oneonone.is_ended,
        "talking_points": actions.visible_talking_points(meeting, me),
        "point_form": TalkingPointForm(),
        "note": note,
        # Stored when the note was saved: sanitised HTML, not rendered again on every view.
        "note_html": mark_safe(actions.shared_note_html(note)) if note else "",
        "note_form": SharedNoteForm(
            initial={"text": note.text if note else "", "base_version": note.version if note else 0}
        ),
        "conflict": None,
        "private_note": private_note,
        "private_form": PrivateNoteForm(
            initial={"text": private_note.text if private_note else ""}
        ),
        "action_items": open_action_items_for_meeting(meeting),
        "item_form": ActionItemForm(oneonone=oneonone, person=me),
        "templates": list(templates_for(me).only("id", "name")),
        "today": timezone.localdate(),
    }
    if meeting.status == MeetingStatus.HELD:
        context["following"] = actions.next_meeting(oneonone)
    context.update(overrides)
    return context


def _render_meeting(
    request: HttpRequest, meeting: Meeting, section: str, status: int = 200, **overrides: Any
) -> HttpResponse:
    """The named partial for htmx, or the whole meeting page (used when a form has errors)."""
    template = "oneonones/meeting.html"
    if _is_htmx(request):
        template += "#" + section
        status = 200  # htmx swaps only successful responses; the errors are in the partial
    return render(request, template, _meeting_context(request, meeting, **overrides), status=status)


def _after_meeting_change(request: HttpRequest, meeting: Meeting, section: str) -> HttpResponse:
    if _is_htmx(request):
        return _render_meeting(request, meeting, section)
    return _redirect_back(request, reverse("oneonones:meeting", args=[meeting.pk]) + f"#{section}")


def _read_only(
    request: HttpRequest, meeting: Meeting, section: str | None, exc: ValidationError
) -> HttpResponse:
    """The answer to a change refused because the one-on-one has ended: nothing was changed.

    With htmx, the section the change came from, as it is, saying why; without JavaScript, the
    whole meeting page (which says it is read-only) with 409, as for an agenda order that
    could not be applied. `section=None` is a change to the meeting itself (mark held).
    """
    message = exc.messages[0]
    if section is None:
        context = _meeting_context(request, meeting, meeting_error=message)
        return render(request, "oneonones/meeting.html", context, status=409)
    return _render_meeting(request, meeting, section, status=409, **{f"{section}_error": message})


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A file to save (``filename`` is ASCII: see _ascii_slug)."""
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _ascii_slug(text: str) -> str:
    return slugify(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())


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
def oneonone_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The history the viewer can read, as a Markdown file to keep."""
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    name = f"one-on-ones-{_ascii_slug(oneonone.other(me).name)}-{timezone.localdate():%Y-%m-%d}"
    return _download(export.export_markdown(oneonone, me), "text/markdown", f"{name}.md")


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


@access("participant")
@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    version = meeting_stamp_for(me, pk)

    def render_page() -> HttpResponse:
        meeting = get_meeting_for(me, pk)
        return render(request, "oneonones/meeting.html", _meeting_context(request, meeting))

    return page_cache.serve(request, "meeting", pk, [version], render_page)


@access("participant")
@require_POST
def add_talking_point(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    form = TalkingPointForm(request.POST)
    if form.is_valid():
        try:
            actions.add_talking_point(
                meeting, by=me, text=form.cleaned_data["text"], private=form.cleaned_data["private"]
            )
        except actions.OneOnOneEnded as exc:
            return _read_only(request, meeting, "agenda", exc)
        except ValidationError as exc:
            form.add_error("text", exc)
    if form.errors:
        return _render_meeting(request, meeting, "agenda", status=400, point_form=form)
    return _after_meeting_change(request, meeting, "agenda")


@access("participant")
@require_POST
def move_talking_point(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    point = get_talking_point_for(me, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        actions.move_talking_point(point, by=me, direction=direction)
    except actions.OneOnOneEnded as exc:
        return _read_only(request, point.meeting, "agenda", exc)
    return _after_meeting_change(request, point.meeting, "agenda")


@access("participant")
@require_POST
def reorder_talking_points(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda in the order it was dragged into: the ids of every point the viewer sees."""
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    visible = {str(point.pk): point.pk for point in actions.visible_talking_points(meeting, me)}
    posted = request.POST.getlist("order")
    if any(value not in visible for value in posted):
        # Another meeting's point, someone else's private one, or one deleted since: all alike.
        raise Http404("No such talking point.")
    try:
        actions.reorder_talking_points(
            meeting, by=me, ordered_ids=[visible[value] for value in posted]
        )
    except actions.OneOnOneEnded as exc:
        return _read_only(request, meeting, "agenda", exc)
    except ValidationError:
        # Mostly a point added since the page was shown: the agenda as it is now, to try again.
        message = "The agenda changed while you were moving points. Here it is now."
        return _render_meeting(request, meeting, "agenda", status=409, agenda_error=message)
    return _after_meeting_change(request, meeting, "agenda")


@access("author")
@require_http_methods(["GET", "POST"])
def edit_talking_point(request: HttpRequest, pk: int) -> HttpResponse:
    """Rewrite a talking point: inline in the agenda with htmx, on a page of its own without."""
    me = _me(request)
    point = get_talking_point_for(me, pk)
    if point.author_id != me.pk:
        # Only the author edits; the other participant learns nothing more than a 404.
        raise Http404("No such talking point.")
    meeting = point.meeting
    form = TalkingPointTextForm(
        request.POST if request.method == "POST" else None, initial={"text": point.text}
    )
    if form.is_bound and form.is_valid():
        try:
            actions.edit_talking_point(point, by=me, text=form.cleaned_data["text"])
        except actions.OneOnOneEnded as exc:
            if _is_htmx(request):
                return _read_only(request, meeting, "agenda", exc)
            # The page of its own says the agenda is read-only, in place of the editor.
            form.add_error("text", exc)
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            return _after_meeting_change(request, meeting, "agenda")
    if _is_htmx(request) and form.is_bound:
        # The whole agenda, this point still in its editor with the errors next to the field.
        return _render_meeting(request, meeting, "agenda", editing=point.pk, edit_form=form)
    context = {
        "nav": "oneonones",
        "meeting": meeting,
        "oneonone": meeting.oneonone,
        "other": meeting.oneonone.other(me),
        "editable": not meeting.oneonone.is_ended,
        "point": point,
        "editing": point.pk,
        "edit_form": form,
    }
    if _is_htmx(request):
        return render(request, "oneonones/meeting.html#agenda_point", context)
    return render(
        request,
        "oneonones/talking_point_edit.html",
        context,
        status=400 if form.is_bound else 200,
    )


@access("participant")
@require_POST
def mark_discussed(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    point = get_talking_point_for(me, pk)
    try:
        actions.mark_discussed(point, by=me, discussed=request.POST.get("discussed") != "0")
    except actions.OneOnOneEnded as exc:
        return _read_only(request, point.meeting, "agenda", exc)
    return _after_meeting_change(request, point.meeting, "agenda")


@access("author")
@require_POST
def delete_talking_point(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    point = get_talking_point_for(me, pk)
    if point.author_id != me.pk:
        # As for editing: only the author removes a point; anyone else gets a 404.
        raise Http404("No such talking point.")
    meeting = point.meeting
    try:
        actions.delete_talking_point(point, by=me)
    except actions.OneOnOneEnded as exc:
        return _read_only(request, meeting, "agenda", exc)
    return _after_meeting_change(request, meeting, "agenda")


@access("participant")
@require_http_methods(["GET", "POST"])
def add_from_template(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    templates = list(templates_for(me).prefetch_related("questions"))
    form = FromTemplateForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        template = get_template_for(me, form.cleaned_data["template"])
        try:
            added = actions.add_from_template(
                meeting, by=me, template=template, private=form.cleaned_data["private"]
            )
        except actions.OneOnOneEnded as exc:
            if _is_htmx(request):
                return _read_only(request, meeting, "agenda", exc)
            # The page says the agenda is read-only, in place of the form.
            form.add_error(None, exc)
        else:
            if not _is_htmx(request):
                messages.success(
                    request, f"Added {len(added)} talking points from “{template.name}”."
                )
            return _after_meeting_change(request, meeting, "agenda")
    return render(
        request,
        "oneonones/from_template.html",
        {
            "nav": "oneonones",
            "meeting": meeting,
            "oneonone": meeting.oneonone,
            "other": meeting.oneonone.other(me),
            "editable": not meeting.oneonone.is_ended,
            "form": form,
            "templates": templates,
        },
        status=400 if form.is_bound else 200,
    )


@access("participant")
@require_POST
def save_shared_note(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    form = SharedNoteForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, "notes", status=400, note_form=form)
    try:
        result = actions.save_shared_note(
            meeting,
            text=form.cleaned_data["text"],
            base_version=form.cleaned_data["base_version"],
            by=me,
        )
    except actions.OneOnOneEnded as exc:
        return _read_only(request, meeting, "notes", exc)
    if result.conflict:
        # Nothing is lost: their text is saved, mine comes back in the editor next to it.
        conflict_form = SharedNoteForm(
            initial={"text": result.my_text, "base_version": result.note.version}
        )
        return _render_meeting(
            request, meeting, "notes", status=409, note_form=conflict_form, conflict=result
        )
    if not _is_htmx(request):
        messages.success(request, "Shared notes saved.")
    return _after_meeting_change(request, meeting, "notes")


@access("participant")
@require_POST
def save_private_note(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    form = PrivateNoteForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, "private_note", status=400, private_form=form)
    try:
        actions.save_private_note(meeting, by=me, text=form.cleaned_data["text"])
    except actions.OneOnOneEnded as exc:
        return _read_only(request, meeting, "private_note", exc)
    if not _is_htmx(request):
        messages.success(request, "Private note saved.")
    return _after_meeting_change(request, meeting, "private_note")


@access("participant")
@require_POST
def add_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    form = ActionItemForm(request.POST, oneonone=meeting.oneonone, person=me)
    if form.is_valid():
        try:
            actions.add_action_item(
                meeting,
                by=me,
                text=form.cleaned_data["text"],
                owner=form.owner_person(),
                due_date=form.cleaned_data["due_date"],
            )
        except actions.OneOnOneEnded as exc:
            return _read_only(request, meeting, "action_items", exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        return _render_meeting(request, meeting, "action_items", status=400, item_form=form)
    return _after_meeting_change(request, meeting, "action_items")


@access("participant")
@require_POST
def toggle_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    item = get_action_item_for(me, pk)
    # The meeting page it was toggled on, if any: htmx answers with its action items.
    meeting_id = request.POST.get("meeting") or ""
    # Works on an ended one-on-one too: an action item stays closable after the end.
    if request.POST.get("done") == "0":
        actions.reopen_action_item(item, by=me)
    else:
        actions.complete_action_item(item, by=me)
    if _is_htmx(request):
        if meeting_id.isdigit():
            meeting = get_meeting_for(me, int(meeting_id))
            return _render_meeting(request, meeting, "action_items")
        return _item_row(request, item)
    return _redirect_back(request, reverse("oneonones:my_action_items"))


def _item_home(item: ActionItem) -> str:
    """Where an action item is shown: the meeting it was agreed in, else its one-on-one."""
    if item.created_in_id:
        return reverse("oneonones:meeting", args=[item.created_in_id])
    return reverse("oneonones:detail", args=[item.oneonone_id])


def _items_close_only(request: HttpRequest, back: str) -> HttpResponseRedirect:
    """An ended one-on-one's action items: back where the person came from, saying why."""
    messages.warning(request, "This one-on-one has ended; its action items can only be closed.")
    return redirect(back)


def _back_to(request: HttpRequest, item: ActionItem) -> str:
    """The same-site page an item's edit or delete page was opened from, else its home."""
    return _safe_next(request) or _item_home(item)


@access("participant")
@require_http_methods(["GET", "POST"])
def edit_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    item = get_action_item_for(me, pk)
    back = _back_to(request, item)
    if item.oneonone.is_ended:
        return _items_close_only(request, back)
    initial = {"text": item.text, "owner": item.owner_id, "due_date": item.due_date}
    form = ActionItemForm(request.POST or None, initial=initial, oneonone=item.oneonone, person=me)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_action_item(
                item,
                by=me,
                text=form.cleaned_data["text"],
                owner=form.owner_person(),
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Action item saved.")
            return redirect(back)
    context = {"nav": "oneonones", "item": item, "form": form, "back": back}
    return render(
        request,
        "oneonones/action_item_form.html",
        context,
        status=400 if form.is_bound else 200,
    )


@access("participant")
@require_http_methods(["GET", "POST"])
def delete_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (a page, so it works without JavaScript); POST deletes."""
    me = _me(request)
    item = get_action_item_for(me, pk)
    back = _back_to(request, item)
    if item.oneonone.is_ended:
        return _items_close_only(request, back)
    if request.method == "GET":
        context = {"nav": "oneonones", "item": item, "back": back}
        return render(request, "oneonones/action_item_delete.html", context)
    actions.delete_action_item(item, by=me)
    messages.success(request, "Action item deleted.")
    return redirect(back)


def _item_row(request: HttpRequest, item: ActionItem) -> HttpResponse:
    """One action item of a list (htmx swaps the row it was toggled in)."""
    context = {"item": item, "today": timezone.localdate(), "user": _me(request)}
    return render(request, "oneonones/action_items.html#item_row", context)


@access("participant")
@require_POST
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    try:
        following = actions.mark_meeting_held(meeting, by=me)
    except actions.OneOnOneEnded as exc:
        return _read_only(request, meeting, None, exc)
    if following is not None:
        messages.success(
            request, "Marked as held. Undiscussed talking points moved to the next meeting."
        )
        return redirect("oneonones:meeting", pk=following.pk)
    messages.success(request, "Marked as held. Add a meeting to carry undiscussed points over.")
    return redirect("oneonones:meeting", pk=meeting.pk)


@access("participant")
@require_http_methods(["GET", "POST"])
def reschedule_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    form = RescheduleForm(
        request.POST or None,
        initial={
            "scheduled_at": timezone.localtime(meeting.scheduled_at),
            "reason": meeting.reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.reschedule_meeting(
                meeting,
                by=me,
                scheduled_at=form.cleaned_data["scheduled_at"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Meeting rescheduled.")
            return redirect("oneonones:meeting", pk=meeting.pk)
    return _meeting_form(request, meeting, form, "Reschedule this meeting", "Reschedule")


@access("participant")
@require_http_methods(["GET", "POST"])
def cancel_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            following = actions.cancel_meeting(meeting, by=me, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Meeting cancelled. Its talking points move to the next one.")
            if following is not None:
                return redirect("oneonones:meeting", pk=following.pk)
            return redirect("oneonones:detail", pk=meeting.oneonone_id)
    return _meeting_form(
        request, meeting, form, "Cancel this meeting", "Cancel meeting", danger=True
    )


def _meeting_form(
    request: HttpRequest, meeting: Meeting, form: Any, title: str, submit: str, danger: bool = False
) -> HttpResponse:
    return render(
        request,
        "oneonones/meeting_form.html",
        {
            "nav": "oneonones",
            "meeting": meeting,
            "oneonone": meeting.oneonone,
            "other": meeting.oneonone.other(_me(request)),
            "form": form,
            "title": title,
            "submit": submit,
            "danger": danger,
            "cancel_url": reverse("oneonones:meeting", args=[meeting.pk]),
        },
        status=400 if form.is_bound else 200,
    )


# --- Templates -------------------------------------------------------------------------------


@access("signed_in")
@require_safe
def template_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    templates = list(templates_for(me).select_related("owner").prefetch_related("questions"))
    return render(
        request,
        "oneonones/templates.html",
        {
            "nav": "oneonones",
            "built_in": [t for t in templates if t.owner_id is None],
            "mine": [t for t in templates if t.owner_id == me.pk],
        },
    )


@access("signed_in")
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    return _template_page(request, None)


@access("author")
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_page(request, get_own_template_for(_me(request), pk))


def _template_page(request: HttpRequest, template: Template | None) -> HttpResponse:
    """Writing a template (``None``) or changing one of the viewer's own."""
    me = _me(request)
    initial = TemplateForm.initial_for(template) if template is not None else None
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if template is None:
            actions.create_template(owner=me, **form.template_fields())
            messages.success(request, "Template saved. Only you can see and use it.")
        else:
            actions.update_template(template, by=me, **form.template_fields())
            messages.success(request, "Template saved.")
        return redirect("oneonones:templates")
    return render(
        request,
        "oneonones/template_form.html",
        {"nav": "oneonones", "form": form, "template": template},
        status=400 if form.is_bound else 200,
    )


@access("author")
@require_http_methods(["GET", "POST"])
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (a page, so it works without JavaScript); POST deletes."""
    me = _me(request)
    template = get_own_template_for(me, pk)
    if request.method == "GET":
        return render(
            request, "oneonones/template_delete.html", {"nav": "oneonones", "template": template}
        )
    actions.delete_template(template, by=me)
    messages.success(request, f"Template “{template.name}” deleted.")
    return redirect("oneonones:templates")
