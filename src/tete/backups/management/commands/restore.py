"""tete manage restore PATH: fill an empty instance from a backup, checked first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tete.backups import ledger, snapshot
from tete.backups.progress import rich_progress


class Command(BaseCommand):
    help = (
        "Restore a backup into this empty instance: checks every file's checksum and the "
        "schema first, brings the schema up to date, then erases again whoever the erasure "
        "ledger lists."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="a folder written by `tete manage backup`")
        parser.add_argument(
            "--erasures",
            type=Path,
            default=None,
            help="the erasure ledger to apply (default: TETE_ERASURE_LEDGER)",
        )

    def handle(self, *args: Any, path: Path, erasures: Path | None, **options: Any) -> None:
        try:
            # The ledger is read before anything is written: a damaged one stops the restore.
            ledger.entries(erasures)
            with rich_progress("Restoring") as advance:
                manifest = snapshot.restore(path, advance)
        except (snapshot.BackupError, ValueError) as error:
            raise CommandError(str(error)) from None
        call_command("migrate", interactive=False, verbosity=0)
        erased, refused = ledger.erase_again(erasures)
        self.stdout.write(f"Restored the backup taken at {manifest.created_at}.")
        if erased:
            self.stdout.write(
                f"Erased again {len(erased)} person{'s' if len(erased) != 1 else ''} whose "
                "data had been erased after the backup was taken."
            )
        for reason in refused:
            self.stderr.write(f"Could not erase again {reason}")
