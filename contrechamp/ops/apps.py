from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """The processes of a running site: web server, task worker, scheduler of periodic
    jobs, and `serve` running all three on one machine. The top layer: it starts what
    every other app declares and is imported by none of them."""

    name = "contrechamp.ops"
    verbose_name = _("Processes")

    def ready(self) -> None:
        from contrechamp.ops import checks  # noqa: F401  (registers the deploy checks)
