"""The meeting page's recordings section (recordings/_meeting_section.html).

The page calls this from its Jinja2 template (tete/jinja.py). It checks no access: the meeting
page has already checked, through its access helper, that the viewer takes part in the
one-on-one. Finished recordings are listed with the transcripts (reports/sections.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BigIntegerField, Exists, OuterRef

from tete.prepared import Param, PreparedQuery, known_none
from tete.recordings.models import Recording, RecordingState

if TYPE_CHECKING:
    from tete.oneonones.models import Meeting

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


def meeting_annotations() -> dict[str, Exists]:
    """For a page's query of a meeting: whether a recording of it was left unfinished.
    Without one, `unfinished_recordings` reads none (tete.prepared.known_none)."""
    return {
        "has_unfinished_recordings": Exists(
            Recording.objects.filter(meeting=OuterRef("pk"), state=RecordingState.RECORDING)
        )
    }


def unfinished_recordings(meeting: Meeting) -> list[Recording]:
    """The meeting's recordings left unfinished in the browser, newest first."""
    if known_none(meeting, "has_unfinished_recordings"):
        return []
    return _UNFINISHED.run(meeting=meeting.pk)
