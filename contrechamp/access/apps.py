from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "contrechamp.access"
    label = "access"
    verbose_name = "Access-to-documents requests"
