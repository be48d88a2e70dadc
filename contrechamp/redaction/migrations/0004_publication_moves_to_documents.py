"""`Publication` now belongs to the library (documents, migration 0006), which owns the
published copy; this app forgets the model without touching its table, which the
documents app keeps under the same name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("redaction", "0003_redaction_of_a_title"),
        ("documents", "0006_publication_owned_by_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Publication")],
            database_operations=[],
        ),
    ]
