from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    """Local groups (collectives) tied to places, their members and worklist."""

    name = "contrechamp.groups"
    verbose_name = _("Local groups")

    def ready(self) -> None:
        # A deleted account's memberships go with it (CASCADE); before they do, a group
        # it coordinated alone gets another coordinator (accounts cannot import groups).
        from contrechamp.accounts.services import account_deleted
        from contrechamp.groups.services import memberships_hand_over

        account_deleted.connect(memberships_hand_over, dispatch_uid="groups-hand-over")
