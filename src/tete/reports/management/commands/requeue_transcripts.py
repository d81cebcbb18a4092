"""`tete manage requeue_transcripts`: retry analyses a stopped worker left unfinished.

A worker killed in the middle of a task (kill -9, a crash, a lost machine) stops renewing
its analysis's lease; every running `tete worker` queues such an analysis again within
about a minute. This command does the same once, for installations that run tasks
without a worker (TETE_TASKS=immediate) or want to check by hand. Either
participant can also retry such a transcript from its row.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tete.reports.actions import requeue_stuck_transcripts


class Command(BaseCommand):
    help = "Queue again transcript analyses whose worker stopped, or whose task was lost."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = requeue_stuck_transcripts()
        self.stdout.write(f"Queued {len(ids)} transcript(s) again.")
