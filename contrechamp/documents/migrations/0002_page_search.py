"""Full-text search of pages in the database engine (SEARCH_BACKEND=database).

SQLite: an FTS5 table of stemmed, unaccented words keyed by page id.
PostgreSQL: a tsvector column on the page (title weighted A, text) with a GIN index,
filled by the indexing step with the `contrechamp_fr` configuration.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_page_fts USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE documents_page ADD COLUMN IF NOT EXISTS search_vector tsvector"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS documents_page_search ON documents_page "
            "USING gin (search_vector)"
        )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS documents_page_fts")
    elif connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS documents_page_search")
        schema_editor.execute("ALTER TABLE documents_page DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("registry", "0002_fulltext")]
    operations = [migrations.RunPython(forwards, backwards)]
