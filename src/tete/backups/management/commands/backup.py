"""tete manage backup PATH: a consistent snapshot of this instance, while it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tete.backups import snapshot
from tete.backups.progress import rich_progress


class Command(BaseCommand):
    help = "Write a backup of this instance (database, kept uploads, checksums) into PATH."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="a new (or empty) folder")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            with rich_progress("Backing up") as advance:
                manifest = snapshot.backup(path, advance)
        except snapshot.BackupError as error:
            raise CommandError(str(error)) from None
        size = sum(f["bytes"] for f in manifest.files.values())
        self.stdout.write(
            f"Backed up to {path} ({len(manifest.files)} files, {size / 1e6:.1f} MB), "
            f"taken at {manifest.created_at}."
        )
