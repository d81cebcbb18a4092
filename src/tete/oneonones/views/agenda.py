"""A meeting's agenda: talking points added, moved, edited, discussed, from a template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from tete.access import access
from tete.oneonones import actions
from tete.oneonones.access import (
    get_meeting_for,
    get_talking_point_for,
    get_template_for,
    templates_for,
)
from tete.oneonones.forms import (
    FromTemplateForm,
    TalkingPointForm,
    TalkingPointTextForm,
)
from tete.oneonones.views.helpers import _is_htmx, _me
from tete.oneonones.views.meeting import _after_meeting_change, _read_only, _render_meeting


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
        return render(request, "oneonones/meeting/_agenda_point.html", context)
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
