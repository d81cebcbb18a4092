from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tete.accounts.models import Person
from tete.demo.generate import GENERATED_DOMAIN, GENERATED_PASSWORD, generate_organisation


class Command(BaseCommand):
    help = "Generate a large organisation for load tests (people, one-on-ones, meetings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=2000)
        parser.add_argument("--meetings", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, people: int, meetings: int, seed: int, **options: Any) -> None:
        if people < 2:
            raise CommandError("--people must be at least 2.")
        if Person.objects.filter(email__endswith="@" + GENERATED_DOMAIN).exists():
            raise CommandError("This database already holds a generated organisation.")
        started = time.monotonic()
        counts = generate_organisation(
            people=people, meetings=meetings, seed=seed, progress=self.stdout.write
        )
        self.stdout.write(
            f"Generated {counts.people} people, {counts.oneonones} one-on-ones, "
            f"{counts.meetings} meetings, {counts.talking_points} talking points and "
            f"{counts.action_items} action items in {time.monotonic() - started:.0f} s. "
            f"Everyone's password is {GENERATED_PASSWORD!r}."
        )
