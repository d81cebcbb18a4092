from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tete.mydata import erasure


class Command(BaseCommand):
    help = "Carry out the staff-started erasures whose waiting period has passed (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        done = erasure.erase_due()
        self.stdout.write(f"{len(done)} erasure(s) carried out.")
