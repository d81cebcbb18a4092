from django.apps import AppConfig


class OneononesConfig(AppConfig):
    name = "tete.oneonones"
