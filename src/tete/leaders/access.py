"""Who may open the leaders' view: a person with reports' reports (their organisation), and
a people partner with at least one team. Everyone else gets 404, staff and superusers
included: the view is not theirs to know about (docs/access.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.http import Http404

from tete.accounts.models import Person
from tete.leaders.models import PeoplePartner


def role_annotations() -> dict[str, Any]:
    """Read with the person (backends.py), so the navigation costs no query of its own."""
    return {
        "leads_managers": Exists(Person.objects.filter(manager__manager=OuterRef("pk"))),
        "partners_teams": Exists(
            PeoplePartner.objects.filter(person=OuterRef("pk"), teams__isnull=False)
        ),
    }


@dataclass(frozen=True)
class LeaderRole:
    #: Has reports' reports today: sees their organisation and each report's.
    subtree: bool
    #: People partner with at least one team today.
    partner: bool

    def __bool__(self) -> bool:
        return self.subtree or self.partner


def leader_role(person: Any) -> LeaderRole:
    if not isinstance(person, Person) or not person.is_active:
        return LeaderRole(False, False)
    subtree = getattr(person, "leads_managers", None)
    partner = getattr(person, "partners_teams", None)
    if subtree is None or partner is None:
        subtree = Person.objects.filter(manager__manager=person).exists()
        partner = PeoplePartner.objects.filter(person=person, teams__isnull=False).exists()
    return LeaderRole(bool(subtree), bool(partner))


def get_leader_role(person: Any) -> LeaderRole:
    role = leader_role(person)
    if not role:
        raise Http404("No such page.")
    return role
