"""Access helpers for people and invitations: views fetch these objects only through here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from tete.accounts.models import Person
from tete.people.models import Invitation, hash_token


def visible_people(viewer: Person) -> QuerySet[Person]:
    """Staff see everyone; others see people who have joined (active or deactivated).

    Deactivated people stay visible so that a one-on-one's other participant can still
    see who they met; people who have not accepted their invitation are not shown yet.
    """
    people = Person.objects.select_related("team", "manager")
    if viewer.is_staff:
        return people
    return people.exclude(is_active=False, deactivated_at__isnull=True)


def get_person_for(viewer: Person, pk: int) -> Person:
    try:
        return visible_people(viewer).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def get_invitation_for_staff(viewer: Person, pk: int) -> Invitation:
    if not viewer.is_staff:
        raise Http404("No such invitation")
    try:
        return Invitation.objects.select_related("person", "invited_by").get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation") from None


def find_invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, in any state; None for an unknown token."""
    return (
        Invitation.objects.select_related("person", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
