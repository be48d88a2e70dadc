from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "contrechamp.access"
    label = "access"
    verbose_name = _("Access-to-documents requests")

    def ready(self) -> None:
        # A deleted account's requests lose what names the person (accounts cannot import
        # access: it is the lower layer).
        from contrechamp.access.account_deletion import requests_forget_requester
        from contrechamp.accounts.services import account_deleted

        account_deleted.connect(requests_forget_requester, dispatch_uid="access-forget-requester")
        # A document's page links back to the requests it answers (the library does not
        # import the requests).
        from contrechamp.access.services import requests_of_document
        from contrechamp.documents.belonging import register

        register("access", requests_of_document)
        # A commune folded into the one it merged into: the town hall it brought, when
        # the current commune had none, is that commune's now and is named after it.
        from contrechamp.access.services.bodies import town_hall_follow_merged_commune
        from contrechamp.places.signals import commune_folded

        commune_folded.connect(town_hall_follow_merged_commune, dispatch_uid="access-town-hall")
