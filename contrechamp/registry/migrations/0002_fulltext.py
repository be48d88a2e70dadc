"""Full-text search for deployments.

SQLite: an FTS5 table of stemmed, unaccented words, kept by the service layer.
PostgreSQL: a `contrechamp_fr` configuration (French Snowball stemmer behind unaccent)
and a GIN expression index used by the search query.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS registry_deployment_fts USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute(
            """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'contrechamp_fr') THEN
                CREATE TEXT SEARCH CONFIGURATION contrechamp_fr (COPY = french);
                ALTER TEXT SEARCH CONFIGURATION contrechamp_fr
                  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
              END IF;
            END $$;
            """
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS registry_deployment_search ON registry_deployment "
            "USING gin (to_tsvector('contrechamp_fr', search_text))"
        )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS registry_deployment_fts")
    elif connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_deployment_search")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
