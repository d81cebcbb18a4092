"""Sections other apps' pages include: `{% load reports %}{% meeting_report_section meeting user %}`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.db.models import BigIntegerField

from tete.prepared import Param, PreparedQuery
from tete.reports.models import Transcript

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.oneonones.models import Meeting

register = template.Library()

# Read on every meeting page: compiled once (tete/prepared.py).
_TRANSCRIPTS = PreparedQuery(
    lambda: (
        Transcript.objects.filter(meeting_id=Param("meeting", BigIntegerField()))
        .select_related("uploaded_by")
        .defer("content")
    )
)


@register.inclusion_tag("reports/_meeting_section.html", takes_context=True)
def meeting_report_section(context: Any, meeting: Meeting, user: Person) -> dict[str, Any]:
    """The meeting's transcripts with their analysis status, and the upload form.

    The including page has already checked that ``user`` is a participant.
    """
    return {
        "meeting": meeting,
        "transcripts": _TRANSCRIPTS.run(meeting=meeting.pk),
        "csrf_token": context.get("csrf_token"),
    }
