from __future__ import annotations

from django.apps import AppConfig


class RecordingsConfig(AppConfig):
    name = "tete.recordings"
    label = "recordings"
    verbose_name = "Recordings"
