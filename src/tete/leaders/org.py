"""The organisation as it was at an instant, read from the reporting lines (models.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from tete.leaders.models import ReportingLine, TeamGrant


@dataclass
class Org:
    """Each person's manager and team at one instant."""

    manager_of: dict[int, int | None]
    team_of: dict[int, int | None]
    start_of: dict[int, dt.date | None] = field(default_factory=dict)
    reports_of: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        reports: dict[int, list[int]] = defaultdict(list)
        for person, manager in self.manager_of.items():
            if manager is not None:
                reports[manager].append(person)
        self.reports_of = {manager: sorted(people) for manager, people in reports.items()}

    def below(self, root: int) -> set[int]:
        """Everyone under `root`, at any depth (`root` left out, even in a loop)."""
        seen: set[int] = set()
        todo = list(self.reports_of.get(root, []))
        while todo:
            person = todo.pop()
            if person not in seen and person != root:
                seen.add(person)
                todo.extend(self.reports_of.get(person, []))
        return seen

    def level(self, person: int) -> int:
        """1 for someone who reports to no one, 2 for their reports, and so on."""
        seen = {person}
        level = 1
        manager = self.manager_of.get(person)
        while manager is not None and manager not in seen:
            seen.add(manager)
            level += 1
            manager = self.manager_of.get(manager)
        return level


def org_at(when: dt.datetime) -> Org:
    lines = ReportingLine.objects.filter(valid_from__lte=when).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=when)
    )
    manager_of: dict[int, int | None] = {}
    team_of: dict[int, int | None] = {}
    start_of: dict[int, dt.date | None] = {}
    rows = lines.values_list("person_id", "manager_id", "team_id", "start_date")
    for person, manager, team, start in rows:
        manager_of[person] = manager
        team_of[person] = team
        start_of[person] = start
    return Org(manager_of, team_of, start_of)


def teams_granted_at(person_id: int, when: dt.datetime) -> set[int]:
    """The teams `person_id` was people partner for at `when`."""
    grants = TeamGrant.objects.filter(person_id=person_id, granted_at__lte=when).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=when)
    )
    return set(grants.values_list("team_id", flat=True))
