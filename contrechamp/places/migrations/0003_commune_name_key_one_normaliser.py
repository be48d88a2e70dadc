"""Rewrite every stored `Commune.name_key` with the one normaliser of lib/text.py.

Before, places had their own: "Œuilly" was stored as "œuilly", and a lookup for
"St-Étienne" or "Saint‐Étienne" (U+2010) could not meet the stored "saint etienne".
The normaliser is imported, not frozen here: a later change to it comes with its own
migration (and a bump of the loader's version), as this one does.
"""

from django.db import migrations

from contrechamp.lib.text import name_key


def rewrite_keys(apps, schema_editor):
    Commune = apps.get_model("places", "Commune")
    changed = []
    for commune in Commune.objects.only("id", "name", "name_key").iterator(chunk_size=5000):
        key = name_key(commune.name)
        if key != commune.name_key:
            commune.name_key = key
            changed.append(commune)
    Commune.objects.bulk_update(changed, ["name_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("places", "0002_commune_name_key")]

    operations = [migrations.RunPython(rewrite_keys, migrations.RunPython.noop)]
