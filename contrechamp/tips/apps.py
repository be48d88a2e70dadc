from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    """Tips sent without an account, stripped of metadata, followed with a receipt code."""

    name = "contrechamp.tips"
    verbose_name = _("Anonymous tips")

    def ready(self) -> None:
        from contrechamp.registry import origins
        from contrechamp.tips.services import tip_origins

        origins.register("tips", tip_origins)
