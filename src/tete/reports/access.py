"""Access helpers: the only way views fetch transcripts, reports and suggestions.

A transcript and its report are one-on-one content (DESIGN.md access rule 1): each helper
returns the object for one of the one-on-one's two participants and raises Http404 for
anyone else, staff and admins included, so nobody learns that it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from tete.reports.models import SuggestedActionItem, Transcript

if TYPE_CHECKING:
    from tete.accounts.models import Person


def _participant(person: Person, prefix: str) -> Q:
    return Q(**{f"{prefix}first": person}) | Q(**{f"{prefix}second": person})


def get_transcript_for(person: Person, pk: int) -> Transcript:
    if not person.is_authenticated or not person.is_active:
        raise Http404("No such transcript.")
    try:
        return (
            Transcript.objects.filter(_participant(person, "meeting__oneonone__"))
            .select_related(
                "meeting__oneonone__first",
                "meeting__oneonone__second",
                "meeting__oneonone__focus_person",
                "uploaded_by",
            )
            .defer("content")
            .get(pk=pk)
        )
    except Transcript.DoesNotExist:
        raise Http404("No such transcript.") from None


def get_suggestion_for(person: Person, pk: int) -> SuggestedActionItem:
    if not person.is_authenticated or not person.is_active:
        raise Http404("No such suggestion.")
    try:
        return (
            SuggestedActionItem.objects.filter(_participant(person, "report__oneonone__"))
            .select_related(
                "report__meeting",
                "report__transcript",
                "report__oneonone__first",
                "report__oneonone__second",
                "owner",
            )
            .defer("report__data", "report__transcript__content")
            .get(pk=pk)
        )
    except SuggestedActionItem.DoesNotExist:
        raise Http404("No such suggestion.") from None
