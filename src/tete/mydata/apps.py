from __future__ import annotations

from django.apps import AppConfig


class MyDataConfig(AppConfig):
    """Each person's own data: its access log, its export, its erasure."""

    name = "tete.mydata"
    label = "mydata"
    verbose_name = "My data"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-ins and account changes are written to the access log by signal receivers, so
        # the accounts and people apps need not know about it.
        from tete.mydata import signals  # noqa: F401
