"""Content versions: the stamp that makes cached one-on-one pages unreachable after a change.

Every write that changes anything shown on a one-on-one's pages, or on a participant's home
page, bumps ``OneOnOne.content_version`` (oneonones/page_cache.py puts it in the cache key).
The rules that keep the cache correct:

* bump in the same transaction as the write, after it: a reader that sees the new version
  then also sees the new content (bumping first, outside a transaction, would let a reader
  cache the old content under the new version);
* bump with ``F() + 1`` in an UPDATE, never read-modify-write, so concurrent writers both count;
* bulk ``.update()`` calls and background tasks bump too: they skip ``save()`` and signals.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q

from tete.oneonones.models import OneOnOne


def bump(oneonone_id: int) -> None:
    """Mark one one-on-one's pages (and its two people's home pages) as changed."""
    OneOnOne.objects.filter(pk=oneonone_id).update(content_version=F("content_version") + 1)


def bump_for_person(person_id: int) -> None:
    """Every one-on-one of a person: their name or active state shows on all of them."""
    bump_for_people([person_id])


def bump_for_people(person_ids: Iterable[int]) -> None:
    ids = sorted(set(person_ids))
    if ids:
        OneOnOne.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids)).update(
            content_version=F("content_version") + 1
        )


def bump_for_transcript(transcript_id: int) -> None:
    """The one-on-one a transcript belongs to (its status and report show on its pages)."""
    OneOnOne.objects.filter(meetings__transcripts__pk=transcript_id).update(
        content_version=F("content_version") + 1
    )
