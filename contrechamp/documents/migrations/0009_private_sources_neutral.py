"""A registry source of a library document not yet published says neither the
document's origin nor its date (they were public beside the neutral title), and the
history's comments name no private document by its number."""

import re

from django.db import migrations

_NUMBER = re.compile(r", document (\d+) p\. [\d, ]+\Z")


def neutral(apps, schema_editor):
    Source = apps.get_model("registry", "Source")
    Revision = apps.get_model("registry", "Revision")
    Document = apps.get_model("documents", "Document")
    Source.objects.filter(document__isnull=False, document__is_public=False).exclude(
        publisher="", published_on=""
    ).update(publisher="", published_on="")
    public = set(Document.objects.filter(is_public=True).values_list("id", flat=True))
    for revision in Revision.objects.filter(comment__contains=", document "):
        match = _NUMBER.search(revision.comment)
        if match and int(match.group(1)) not in public:
            Revision.objects.filter(id=revision.id).update(
                comment=revision.comment[: match.start()]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0008_error_detail"),
        ("registry", "0010_technology_apostrophes"),
    ]

    operations = [migrations.RunPython(neutral, migrations.RunPython.noop)]
