from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "contrechamp.watch"
    verbose_name = _("Watch")
