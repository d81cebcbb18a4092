from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tete.mydata import access_log, exports


class Command(BaseCommand):
    help = (
        "Delete access-log entries older than TETE_ACCESS_LOG_DAYS and the content of data "
        "exports past their link's end (run daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        entries = access_log.prune()
        files = exports.prune_expired()
        self.stdout.write(f"{entries} access-log entries and {files} expired export(s) removed.")
