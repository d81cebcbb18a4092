"""A Rich progress bar for long backup work, on the terminal's error stream."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tete.backups.snapshot import Progress


@contextmanager
def rich_progress(title: str) -> Iterator[Progress]:
    from rich.console import Console
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(title, total=None)

        def advance(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total or None, description=f"{title}: {what}")

        yield advance
