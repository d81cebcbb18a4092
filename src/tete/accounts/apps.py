from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tete.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # The project's own system checks, registered once the apps are loaded.
        from tete import checks  # noqa: F401
