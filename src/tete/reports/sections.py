"""The meeting page's conversation report section (reports/_meeting_section.html).

The page's Jinja2 template calls meeting_transcripts (tete/jinja.py); the views that answer
with one row of it (the status poll, Try again) call analysis_progress. Neither checks
access: the page or view has already checked, through its access helper, that the viewer
takes part in the one-on-one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BigIntegerField, Exists, F, OuterRef

from tete.prepared import Param, PreparedQuery, known_none
from tete.reports.actions import AUDIO_FORMAT
from tete.reports.models import Transcript

if TYPE_CHECKING:
    from tete.oneonones.models import Meeting

# Read on every meeting page: compiled once (tete/prepared.py). A recording's progress is
# read with its transcript (a transcript has at most one recording), not row by row.
_TRANSCRIPTS = PreparedQuery(
    lambda: (
        Transcript.objects.filter(meeting_id=Param("meeting", BigIntegerField()))
        .select_related("uploaded_by")
        .defer("content")
        .annotate(progress=F("recording__progress"))
    )
)


def meeting_annotations() -> dict[str, Exists]:
    """For a page's query of a meeting: whether it has a transcript. Without one,
    `meeting_transcripts` reads none (tete.prepared.known_none)."""
    return {"has_transcripts": Exists(Transcript.objects.filter(meeting=OuterRef("pk")))}


def meeting_transcripts(meeting: Meeting) -> list[Transcript]:
    """The meeting's transcripts, newest first, each with `progress`, its recording's
    analysis in percent (None for a transcript file)."""
    if known_none(meeting, "has_transcripts"):
        return []
    return _TRANSCRIPTS.run(meeting=meeting.pk)


def analysis_progress(transcript: Transcript) -> int | None:
    """A recording's analysis in percent, while it runs (None for a transcript file)."""
    if not (transcript.is_pending and transcript.format == AUDIO_FORMAT):
        return None
    return (
        Transcript.objects.filter(pk=transcript.pk)
        .values_list("recording__progress", flat=True)
        .first()
    )
