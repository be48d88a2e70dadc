from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedactionConfig(AppConfig):
    name = "contrechamp.redaction"
    verbose_name = _("Redaction")

    def ready(self) -> None:
        # The library (below) applies this app's rule to a title and a source address a
        # person corrects.
        from contrechamp.documents.titles import TitleRule, register
        from contrechamp.redaction.services import (
            source_url_checked,
            title_checked,
            title_renewed,
        )

        register(
            TitleRule(
                checked=title_checked, changed=title_renewed, address_checked=source_url_checked
            )
        )
