from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "contrechamp.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        # The audit log (a lower layer) links its entries to the histories kept here.
        from django.urls import reverse

        from contrechamp.audit.services import register_history_link

        def deployment(obj: object) -> str:
            return reverse("deployment-history", args=[obj.slug])  # type: ignore[attr-defined]

        def organisation(obj: object) -> str:
            return reverse("organisation-history", args=[obj.slug])  # type: ignore[attr-defined]

        def parent(obj: object) -> str:
            return deployment(obj.deployment)  # type: ignore[attr-defined]

        # Deployments moved to the commune a former one merged into are indexed again.
        from contrechamp.places.signals import commune_folded
        from contrechamp.registry.services import deployments_follow_merged_commune

        commune_folded.connect(
            deployments_follow_merged_commune, dispatch_uid="registry-merged-commune"
        )

        register_history_link("registry.deployment", deployment)
        register_history_link("registry.organisation", organisation)
        for child in ("registry.funding", "registry.legalevent", "registry.citation"):
            register_history_link(child, parent)
