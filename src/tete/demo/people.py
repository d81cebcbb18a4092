"""Demo people: a small company with a manager hierarchy across three teams."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from tete.accounts.models import Person, Team

DEMO_PASSWORD = "tete-demo"
DEMO_DOMAIN = "demo.example.com"

# (local part, name, title, team, manager's local part, timezone, location, years of tenure)
PEOPLE = [
    (
        "maya",
        "Maya Okafor",
        "Head of Engineering",
        "Leadership",
        None,
        "Europe/London",
        "London",
        6,
    ),
    (
        "alice",
        "Alice Martin",
        "Engineering Manager",
        "Platform",
        "maya",
        "Europe/Paris",
        "Paris",
        4,
    ),
    ("bob", "Bob Jones", "Software Engineer", "Platform", "alice", "Europe/Paris", "Paris", 2),
    ("chloe", "Chloé Dubois", "Senior Engineer", "Platform", "alice", "Europe/Paris", "Remote", 5),
    (
        "dev",
        "Dev Patel",
        "Site Reliability Engineer",
        "Platform",
        "alice",
        "Asia/Kolkata",
        "Remote",
        1,
    ),
    ("emma", "Emma Schulz", "Engineer", "Platform", "alice", "Europe/Berlin", "Berlin", 0),
    (
        "frank",
        "Frank Li",
        "Product Design Lead",
        "Product",
        "maya",
        "America/New_York",
        "New York",
        3,
    ),
    (
        "grace",
        "Grace Kim",
        "Product Designer",
        "Product",
        "frank",
        "America/New_York",
        "New York",
        2,
    ),
    ("hugo", "Hugo Alvarez", "UX Researcher", "Product", "frank", "Europe/Madrid", "Remote", 1),
    ("ines", "Inès Moreau", "Product Manager", "Product", "frank", "Europe/Paris", "Paris", 3),
    ("jon", "Jon Eriksen", "Data Engineer", "Platform", "alice", "Europe/Oslo", "Remote", 2),
    ("kofi", "Kofi Mensah", "Leadership Coach", "People", "maya", "Africa/Accra", "Remote", 4),
    ("admin", "Sam Admin", "IT Administrator", "People", "maya", "UTC", "London", 5),
]

LOGINS = [
    ("alice", "Alice Martin, Engineering Manager (meets her reports)"),
    ("bob", "Bob Jones, Software Engineer (Alice's report)"),
    ("maya", "Maya Okafor, Head of Engineering (skip-level: cannot read Alice's 1:1s)"),
    ("kofi", "Kofi Mensah, Leadership Coach (coaching, surveys)"),
    ("admin", "Sam Admin, administrator (people only, no 1:1 content)"),
]


@dataclass
class DemoOrg:
    """What the people builder made, handed to the other domain builders."""

    people: dict[str, Person] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)


def build(rng: random.Random) -> DemoOrg:
    org = DemoOrg()
    password_hash = _password_hash()
    for local, name, title, team_name, manager_local, tz, location, years in PEOPLE:
        team = org.teams.get(team_name) or Team.objects.create(name=team_name)
        org.teams[team_name] = team
        person = Person(
            email=f"{local}@{DEMO_DOMAIN}",
            name=name,
            title=title,
            team=team,
            manager=org.people.get(manager_local) if manager_local else None,
            timezone=tz,
            location=location,
            start_date=org.today - dt.timedelta(days=365 * years + rng.randint(20, 300)),
            is_staff=local == "admin",
            is_superuser=local == "admin",
            password=password_hash,
        )
        person.save()
        org.people[local] = person
    return org


def _password_hash() -> str:
    # Hash once: every demo person shares the documented demo password.
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)
