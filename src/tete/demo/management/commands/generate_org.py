from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tete.accounts.models import Person
from tete.demo.generate import (
    GENERATED_DOMAIN,
    GENERATED_PASSWORD,
    Advance,
    generate_organisation,
)


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
        with progress_bar() as advance:
            counts = generate_organisation(
                people=people, meetings=meetings, seed=seed, advance=advance
            )
        self.stdout.write(
            f"Generated {counts.people} people, {counts.oneonones} one-on-ones, "
            f"{counts.meetings} meetings, {counts.talking_points} talking points, "
            f"{counts.shared_notes} shared notes, {counts.private_notes} private notes and "
            f"{counts.action_items} action items in {time.monotonic() - started:.0f} s. "
            f"Everyone's password is {GENERATED_PASSWORD!r}."
        )


@contextmanager
def progress_bar() -> Iterator[Advance]:
    """A Rich progress bar on the error stream: a line per table, with its rows so far. The
    history's tables count their way in meetings gone through (each table's rows are made in
    one pass over every one-on-one's meetings)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description:<15}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rows]:>10,} rows"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(what: str, rows: int, done: int, total: int) -> None:
            if what not in tasks:
                for task in tasks.values():  # the previous table is done
                    bar.update(task, completed=bar.tasks[task].total)
                tasks[what] = bar.add_task(what, total=total, rows=0)
            bar.update(tasks[what], completed=done, rows=rows)

        yield advance
        for task in tasks.values():
            bar.update(task, completed=bar.tasks[task].total)
