"""Access helper: the only way views fetch a recording.

A recording is one-on-one content (DESIGN.md access rule 1): it is returned for one of the
one-on-one's two participants and Http404 is raised for anyone else, staff and admins
included, so nobody learns that it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from tete.recordings.models import Recording

if TYPE_CHECKING:
    from tete.accounts.models import Person


def get_recording_for(person: Person, pk: int) -> Recording:
    if not person.is_authenticated or not person.is_active:
        raise Http404("No such recording.")
    try:
        return (
            Recording.objects.filter(
                Q(meeting__oneonone__first=person) | Q(meeting__oneonone__second=person)
            )
            .select_related(
                "meeting__oneonone__first",
                "meeting__oneonone__second",
                "created_by",
                "transcript",
            )
            .defer("speech")
            .get(pk=pk)
        )
    except Recording.DoesNotExist:
        raise Http404("No such recording.") from None
