"""Sections other apps' pages include (`{% load recordings %}`): the meeting page's
recordings, and what a report or "who is who" page says about a recording."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.db.models import BigIntegerField

from tete.prepared import Param, PreparedQuery
from tete.recordings.models import (
    Continuation,
    Recording,
    RecordingKind,
    RecordingState,
    VoiceSample,
)

if TYPE_CHECKING:
    from tete.oneonones.models import Meeting
    from tete.reports.models import ConversationReport, Transcript

register = template.Library()

# Read on every meeting page: compiled once (tete/prepared.py).
_UNFINISHED = PreparedQuery(
    lambda: (
        Recording.objects.filter(
            meeting_id=Param("meeting", BigIntegerField()), state=RecordingState.RECORDING
        )
        .select_related("created_by")
        .defer("speech")
    )
)


@register.inclusion_tag("recordings/_meeting_section.html", takes_context=True)
def meeting_recordings_section(context: Any, meeting: Meeting) -> dict[str, Any]:
    """Unfinished browser recordings and the link to record or upload.

    The including page has already checked that the viewer is a participant; only who
    started an unfinished recording is offered to continue it.
    """
    request = context.get("request")
    return {
        "meeting": meeting,
        "viewer": getattr(request, "user", None),
        "unfinished": _UNFINISHED.run(meeting=meeting.pk),
        "csrf_token": context.get("csrf_token"),
    }


def _recording_of(transcript: Transcript) -> Recording | None:
    return (
        Recording.objects.filter(transcript=transcript)
        .select_related("created_by")
        .defer("speech")
        .first()
    )


@register.inclusion_tag("recordings/_report_note.html")
def recording_note(transcript: Transcript, report: ConversationReport | None) -> dict[str, Any]:
    """On a report from a recording: an estimate or not, how, and who recorded it."""
    recording = _recording_of(transcript) if transcript.format == "audio" else None
    data = report.data if report is not None else {}
    continuations = (
        list(Continuation.objects.filter(recording=recording).select_related("continued_by"))
        if recording is not None and recording.kind == RecordingKind.BROWSER
        else []
    )
    return {
        "recording": recording,
        "continuations": continuations,
        "estimate": bool(data.get("estimate")),
        "method": data.get("method") or "",
        "show": recording is not None,
    }


@register.inclusion_tag("recordings/_voice_samples.html")
def voice_samples(transcript: Transcript) -> dict[str, Any]:
    """A few seconds of each voice of a one-microphone recording, while they are kept."""
    recording = _recording_of(transcript) if transcript.format == "audio" else None
    samples = (
        list(VoiceSample.objects.filter(recording=recording).defer("data"))
        if recording is not None
        else []
    )
    return {"recording": recording, "samples": samples}
