from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """Pages that combine several apps (a commune's deployments, camera counts and
    requests): they sit above every app they read, so that none of those imports them."""

    name = "contrechamp.pages"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from contrechamp.pages.subscriptions import subscriptions_follow_merged_commune
        from contrechamp.places.signals import commune_folded

        commune_folded.connect(
            subscriptions_follow_merged_commune, dispatch_uid="subscriptions-merged-commune"
        )
