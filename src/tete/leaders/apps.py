from __future__ import annotations

from django.apps import AppConfig


class LeadersConfig(AppConfig):
    """The leaders' view: how an organisation keeps its one-on-ones, in aggregates only."""

    name = "tete.leaders"
    label = "leaders"
    verbose_name = "Leaders' view"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Reporting lines and team grants are kept by signal receivers, so that the people
        # and accounts apps (and the admin) need not know about this app.
        from tete.leaders import signals  # noqa: F401
