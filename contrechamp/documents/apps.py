from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "contrechamp.documents"
    verbose_name = "Documents"
