from django.apps import AppConfig


class RedactionConfig(AppConfig):
    name = "contrechamp.redaction"
    verbose_name = "Redaction"
