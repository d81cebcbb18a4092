from __future__ import annotations

from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """``tete manage backup`` and ``restore``, and the erasure ledger a restore reads."""

    name = "tete.backups"
    label = "backups"
    verbose_name = "Backups"

    def ready(self) -> None:
        # Every erasure carried out is written to the ledger, apart from the database, so a
        # restore of an older backup can erase that person again.
        from tete.backups import ledger

        ledger.connect()
