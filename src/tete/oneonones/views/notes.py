"""A meeting's shared notes and the viewer's private note."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from tete.access import access
from tete.oneonones import actions
from tete.oneonones.access import get_meeting_for
from tete.oneonones.forms import (
    PrivateNoteForm,
    SharedNoteForm,
)
from tete.oneonones.views.helpers import _is_htmx, _me
from tete.oneonones.views.meeting import _after_meeting_change, _read_only, _render_meeting


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
