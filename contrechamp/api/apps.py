from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "contrechamp.api"
    verbose_name = "API"
