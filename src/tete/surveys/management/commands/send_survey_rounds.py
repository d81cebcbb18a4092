"""`tete manage send_survey_rounds`: open due rounds of recurring surveys, email their
audience, finalise rounds that have closed, and optionally remind people who have not answered.

Run it daily (cron or a systemd timer). A due round also opens with its first answer, so
the command is what makes emails go out on time, not what makes surveys work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tete.surveys import actions
from tete.surveys.models import Survey


class Command(BaseCommand):
    help = "Open due survey rounds (emailing their audience) and finalise closed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--remind",
            action="store_true",
            help="Also remind, in the app and by email, everyone who has not answered yet.",
        )
        parser.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        opened = reminded = 0
        surveys = Survey.objects.exclude(kind=Survey.Kind.CHECKIN).exclude(
            status=Survey.Status.DRAFT
        )
        for survey in surveys.select_related("owner"):
            if (
                survey.status == Survey.Status.OPEN
                and survey.closes_on
                and survey.closes_on < today
            ):
                actions.close_survey(survey, today)
                continue
            before = survey.rounds.count()
            actions.ensure_current_round(survey, today)
            opened += survey.rounds.count() - before
            if options["remind"] and survey.status == Survey.Status.OPEN:
                reminded += actions.send_reminders(survey, today)
        self.stdout.write(f"Opened {opened} round(s); reminded {reminded} person(s).")
