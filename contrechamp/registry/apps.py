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

        register_history_link("registry.deployment", deployment)
        register_history_link("registry.organisation", organisation)
        for child in ("registry.funding", "registry.legalevent", "registry.citation"):
            register_history_link(child, parent)
