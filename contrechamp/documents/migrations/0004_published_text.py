"""The published text of a page, and its full-text index in the database engine.

SQLite: a second FTS5 table, so that what the public searches never touches the
unredacted text. PostgreSQL: a second tsvector column with its GIN index.
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_page_public_fts USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE documents_page ADD COLUMN IF NOT EXISTS published_vector tsvector"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS documents_page_published_search ON documents_page "
            "USING gin (published_vector)"
        )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS documents_page_public_fts")
    elif connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS documents_page_published_search")
        schema_editor.execute("ALTER TABLE documents_page DROP COLUMN IF EXISTS published_vector")


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_lease")]
    operations = [
        migrations.AddField(
            model_name="page",
            name="published_text",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
