from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tete.reports"
    label = "reports"
    verbose_name = "Conversation reports"
