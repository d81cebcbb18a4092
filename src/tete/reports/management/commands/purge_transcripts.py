"""`tete manage purge_transcripts`: apply TETE_TRANSCRIPT_RETENTION_DAYS now.

Uploads also run it, so retention holds without a scheduler; run it daily from cron when
few transcripts are uploaded.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tete.reports.actions import purge_expired_transcripts


class Command(BaseCommand):
    help = "Remove transcript text older than TETE_TRANSCRIPT_RETENTION_DAYS (figures stay)."

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.TETE_TRANSCRIPT_RETENTION_DAYS
        if days <= 0:
            self.stdout.write("TETE_TRANSCRIPT_RETENTION_DAYS is 0: transcripts are kept.")
            return
        purged = purge_expired_transcripts()
        self.stdout.write(f"Removed the text of {purged} transcript(s) older than {days} days.")
