from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    """Local groups (collectives) tied to places, their members and worklist."""

    name = "contrechamp.groups"
    verbose_name = _("Local groups")
