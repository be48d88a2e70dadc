from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """The reviewers' queue of changes waiting from contributors not yet trusted."""

    name = "contrechamp.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # The audit log links an entry about a proposal to its author's record, where
        # the proposal is listed with its decision.
        from django.urls import reverse

        from contrechamp.audit.services import register_history_link

        def proposal(obj: object) -> str:
            author_id = getattr(obj, "author_id", None)
            return reverse("moderation-person", args=[author_id]) if author_id else ""

        register_history_link("registry.proposal", proposal)
