from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tete.demo"
    verbose_name = "Demo organisation"
