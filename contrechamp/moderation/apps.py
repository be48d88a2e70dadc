from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """The reviewers' queue of changes waiting from contributors not yet trusted."""

    name = "contrechamp.moderation"
    verbose_name = _("Moderation")
