"""`tete manage requeue_transcripts`: retry analyses a stopped worker left unfinished.

A worker killed in the middle of a task (kill -9, a crash, a lost machine) leaves its
transcript "running" for good; the task queue does not retry it. Run this when workers
start, or from cron; the meeting page also retries such a transcript when it polls.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tete.reports.actions import requeue_stuck_transcripts


class Command(BaseCommand):
    help = "Queue again transcript analyses left running or queued longer than a timeout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=float(settings.TETE_ANALYSIS_TIMEOUT_SECONDS),
            help="Seconds since the analysis started (default: TETE_ANALYSIS_TIMEOUT_SECONDS).",
        )

    def handle(self, *args: Any, older_than: float, **options: Any) -> None:
        ids = requeue_stuck_transcripts(stuck_after_s=older_than)
        self.stdout.write(f"Queued {len(ids)} transcript(s) again.")
