from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tete.accounts"
    verbose_name = "Accounts"
