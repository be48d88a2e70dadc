from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only log of every action that changes data or rights."""

    name = "contrechamp.audit"
    verbose_name = _("Audit log")
