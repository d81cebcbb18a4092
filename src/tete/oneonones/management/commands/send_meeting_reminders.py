"""`tete manage send_meeting_reminders`: email both people the day before each meeting.

Run it every hour (cron or a systemd timer): each meeting is reminded of once, about a day
ahead; see oneonones/reminders.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tete.oneonones.reminders import AHEAD, send_meeting_reminders


class Command(BaseCommand):
    help = "Email both people of each one-on-one meeting that starts within a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=int(AHEAD.total_seconds() // 3600),
            help="Remind of meetings that start within this many hours (default: 24).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] < 1:
            self.stderr.write("--hours must be at least 1.")
            raise SystemExit(2)
        sent = send_meeting_reminders(ahead=dt.timedelta(hours=options["hours"]))
        self.stdout.write(f"Sent {sent} meeting reminder(s).")
