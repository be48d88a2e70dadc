from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "contrechamp.watch"
    verbose_name = "Watch"
