from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tete.demo.builder import build_demo


class Command(BaseCommand):
    help = "Build the demo organisation in the current database (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        built = build_demo()
        self.stdout.write("Built the demo." if built else "The demo already exists.")
