from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "contrechamp.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from contrechamp.documents.metadata import place_from_entity
        from contrechamp.documents.services import source_title_from_document

        # The registry, a lower layer, does not know the library's rule for naming a
        # document; the library applies it to every source saved.
        pre_save.connect(
            source_title_from_document, sender="registry.Source", dispatch_uid="source-title"
        )
        # However a suggestion is accepted (one, a group, from the API), a commune
        # confirmed on a document becomes one of its places.
        post_save.connect(place_from_entity, sender="documents.Entity", dispatch_uid="entity-place")
        # A quote the registry takes from a document is shown as the published copy has it.
        from contrechamp.documents.quotes import public_quote
        from contrechamp.registry.quotes import register

        register(public_quote)
        # The queue's row of a tip's file goes once it has run (it holds the minute).
        from django_tasks.signals import task_finished

        from contrechamp.documents.services import task_result_forget

        task_finished.connect(task_result_forget, dispatch_uid="documents-task-forget")
