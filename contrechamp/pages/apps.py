from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """Pages that combine several apps (a commune's deployments, camera counts and
    requests): they sit above every app they read, so that none of those imports them."""

    name = "contrechamp.pages"
    verbose_name = _("Pages")
