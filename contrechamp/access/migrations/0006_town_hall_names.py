"""Town halls named as French writes them: "Mairie d'Ajaccio", "Mairie du Havre",
"Mairie des Mureaux" (they were "Mairie de Ajaccio", "Mairie de Le Havre"). Only the
names the earlier rule made ("Mairie de " + the commune's name) are changed; a name an
editor typed stays."""

import unicodedata

from django.db import migrations


def _town_hall_name(commune: str) -> str:
    # A copy of access.services.bodies.town_hall_name as it is at this migration.
    for article, joined in (("Le ", "du "), ("Les ", "des ")):
        if commune.startswith(article):
            return f"Mairie {joined}{commune[len(article) :]}"
    first = "".join(
        c for c in unicodedata.normalize("NFD", commune[:1]) if not unicodedata.combining(c)
    ).lower()
    return f"Mairie d'{commune}" if first in "aeiouy" else f"Mairie de {commune}"


def rename(apps, schema_editor):
    PublicBody = apps.get_model("access", "PublicBody")
    for body in PublicBody.objects.filter(kind="commune", commune__isnull=False).select_related(
        "commune"
    ):
        made = f"Mairie de {body.commune.name}"
        wanted = _town_hall_name(body.commune.name)
        if body.name == made and wanted != made:
            PublicBody.objects.filter(id=body.id).update(name=wanted)


class Migration(migrations.Migration):
    dependencies = [("access", "0005_accessrequest_requestseries")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
