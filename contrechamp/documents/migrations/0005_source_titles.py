"""Sources citing a library document take the title the registry may show: the published
(redacted) title, or a neutral label while the document is not published. Sources made
before this rule copied the document's original title (a file name, an e-mail subject)."""

from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext


def retitle(apps: Any, schema_editor: Any) -> None:
    Source = apps.get_model("registry", "Source")
    with translation.override(settings.LANGUAGE_CODE):
        label = gettext("Document of the library, not yet published")
    for source in Source.objects.filter(document__isnull=False).select_related("document"):
        title = source.document.title[:400] if source.document.is_public else label
        if source.title != title:
            Source.objects.filter(id=source.id).update(title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_published_text"),
        ("registry", "0004_source_document"),
    ]

    operations = [migrations.RunPython(retitle, migrations.RunPython.noop)]
