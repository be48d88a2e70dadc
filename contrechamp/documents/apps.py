from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "contrechamp.documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from contrechamp.documents.services import source_title_from_document

        # The registry, a lower layer, does not know the library's rule for naming a
        # document; the library applies it to every source saved.
        pre_save.connect(
            source_title_from_document, sender="registry.Source", dispatch_uid="source-title"
        )
