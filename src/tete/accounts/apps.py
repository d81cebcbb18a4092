from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tete.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        # The project's own system checks, registered once the apps are loaded.
        from tete import checks  # noqa: F401
        from tete.timestamps import use_fastest_loader

        connection_created.connect(use_fastest_loader, dispatch_uid="tete-timestamps")
