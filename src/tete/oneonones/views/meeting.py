"""A meeting's page and the changes to the meeting itself: held, rescheduled, cancelled."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tete.access import access
from tete.oneonones import actions, page_cache
from tete.oneonones.access import (
    get_meeting_for,
    get_meeting_page_for,
    meeting_stamp_for,
    unshown_person_fields,
)
from tete.oneonones.forms import (
    ActionItemForm,
    CancelForm,
    PrivateNoteForm,
    RescheduleForm,
    SharedNoteForm,
    TalkingPointForm,
)
from tete.oneonones.models import (
    Meeting,
    MeetingStatus,
    PrivateNote,
    SharedNote,
    Template,
)
from tete.oneonones.queries import open_action_items_for_meeting
from tete.oneonones.views.helpers import _is_htmx, _me, _redirect_back
from tete.prepared import Param, PreparedQuery

# The page's own queries, compiled once (tete/prepared.py).
_SHARED_NOTE = PreparedQuery(
    lambda: (
        SharedNote.objects.filter(meeting_id=Param("meeting", BigIntegerField()))
        .select_related("updated_by")
        .defer(*unshown_person_fields("updated_by"))
        .order_by("pk")[:1]
    )
)
_PRIVATE_NOTE = PreparedQuery(
    lambda: PrivateNote.objects.filter(
        meeting_id=Param("meeting", BigIntegerField()), author_id=Param("me", BigIntegerField())
    ).order_by("pk")[:1]
)
# The built-in templates and the viewer's own (access.templates_for).
_TEMPLATES = PreparedQuery(
    lambda: Template.objects.filter(
        Q(owner__isnull=True) | Q(owner_id=Param("me", BigIntegerField()))
    ).only("id", "name")
)


_UNREAD = object()


def _shared_note_of(meeting: Meeting) -> SharedNote | None:
    # The meeting page reads it with the meeting (get_meeting_page_for); a section rendered
    # after a change reads it here.
    known = Meeting.shared_note.related.get_cached_value(meeting, default=_UNREAD)
    if known is not _UNREAD:
        return cast("SharedNote | None", known)
    return next(iter(_SHARED_NOTE.run(meeting=meeting.pk)), None)


def _meeting_context(request: HttpRequest, meeting: Meeting, **overrides: Any) -> dict[str, Any]:
    me = _me(request)
    oneonone = meeting.oneonone
    note = _shared_note_of(meeting)
    # Read with the meeting by the meeting page's own query (get_meeting_page_for).
    known = getattr(meeting, "viewers_private_note", _UNREAD)
    private_note = (
        next(iter(_PRIVATE_NOTE.run(meeting=meeting.pk, me=me.pk)), None)
        if known is _UNREAD
        else cast("PrivateNote | None", known)
    )
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
        "templates": _TEMPLATES.run(me=me.pk),
        "today": timezone.localdate(),
    }
    if meeting.status == MeetingStatus.HELD:
        context["following"] = actions.next_meeting(oneonone)
    context.update(overrides)
    return context


def _render_meeting(
    request: HttpRequest, meeting: Meeting, section: str, status: int = 200, **overrides: Any
) -> HttpResponse:
    """The named section for htmx (oneonones/meeting/_<section>.html), or the whole meeting page
    (used when a form has errors)."""
    template = "oneonones/meeting.html"
    if _is_htmx(request):
        template = f"oneonones/meeting/_{section}.html"
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


@access("participant")
@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)

    def render_page() -> HttpResponse:
        meeting = get_meeting_page_for(me, pk)
        return render(request, "oneonones/meeting.html", _meeting_context(request, meeting))

    if not page_cache.usable(request):
        # No key to make: get_meeting_for checks access as it reads the meeting.
        response = render_page()
        response.page_cache = "skip"  # type: ignore[attr-defined]
        return response
    version = meeting_stamp_for(me, pk)
    return page_cache.serve(request, "meeting", pk, [version], render_page)


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
