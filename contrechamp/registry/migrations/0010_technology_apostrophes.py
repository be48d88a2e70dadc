"""The taxonomy's French names and definitions take the typographic apostrophe the rest
of the site uses ("plaques d’immatriculation"; a new user's walk saw the straight one in
the number-plate readers' name)."""

import re

from django.db import migrations

_BETWEEN_LETTERS = re.compile(r"(?<=\w)'(?=\w)")


def _retype(apps, old: str, new: str) -> None:
    for technology in apps.get_model("registry", "Technology").objects.all():
        name = (
            _BETWEEN_LETTERS.sub(new, technology.name_fr)
            if old == "'"
            else technology.name_fr.replace(old, new)
        )
        definition = (
            _BETWEEN_LETTERS.sub(new, technology.definition_fr)
            if old == "'"
            else technology.definition_fr.replace(old, new)
        )
        if (name, definition) != (technology.name_fr, technology.definition_fr):
            technology.name_fr, technology.definition_fr = name, definition
            technology.save(update_fields=["name_fr", "definition_fr"])


def forwards(apps, schema_editor):
    _retype(apps, "'", "’")


def backwards(apps, schema_editor):
    _retype(apps, "’", "'")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_moderation")]

    operations = [migrations.RunPython(forwards, backwards)]
