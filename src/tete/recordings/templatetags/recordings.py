"""What a report or "who is who" page says about a recording (`{% load recordings %}`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template

from tete.recordings.models import Continuation, Recording, RecordingKind, VoiceSample

if TYPE_CHECKING:
    from tete.reports.models import ConversationReport, Transcript

register = template.Library()


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
