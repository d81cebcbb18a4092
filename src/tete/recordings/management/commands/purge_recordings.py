"""`tete manage purge_recordings`: delete voice samples past TETE_VOICE_SAMPLE_HOURS, browser
recordings left unfinished for TETE_UNFINISHED_RECORDING_HOURS, and the sound of recordings
whose analysis failed.

`tete worker` does this every few seconds and every upload does it too; run this from cron
when the app runs without a worker (background tasks "immediate").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tete.recordings.actions import delete_expired_sound


class Command(BaseCommand):
    help = "Delete recordings' sound and voice samples that are kept no longer."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = delete_expired_sound()
        self.stdout.write(f"Deleted the sound or voice samples of {changed} recording(s).")
