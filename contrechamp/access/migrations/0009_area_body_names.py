"""Departments', prefectures' and regions' bodies named as French writes them:
"Préfecture des Alpes-Maritimes", "Conseil départemental de la Loire", "Conseil
régional d'Île-de-France" (they were "Préfecture (Alpes-Maritimes)"). Only the names the
earlier rule made are changed; a name an editor typed stays. The bodies directory, which
holds the same names, is emptied: the next search builds it again."""

from django.db import migrations

from contrechamp.lib.text import name_key
from contrechamp.places.services import council_name, of_area_named

TITLES = {
    "department": "Conseil départemental",
    "prefecture": "Préfecture",
    "region": "Conseil régional",
}


def rename(apps, schema_editor):  # type: ignore[no-untyped-def]
    PublicBody = apps.get_model("access", "PublicBody")
    DirectoryEntry = apps.get_model("access", "DirectoryEntry")
    bodies = PublicBody.objects.filter(kind__in=list(TITLES)).select_related("department", "region")
    changed = []
    for body in bodies:
        area, area_kind = (
            (body.region, "region") if body.kind == "region" else (body.department, "department")
        )
        if area is None or body.name != f"{TITLES[body.kind]} ({area.name})":
            continue
        body.name = (
            f"Préfecture {of_area_named(area_kind, area.code, area.name)}"
            if body.kind == "prefecture"
            else council_name(area_kind, area.code, area.name)
        )
        body.name_key = name_key(body.name)
        changed.append(body)
    PublicBody.objects.bulk_update(changed, ["name", "name_key"], batch_size=500)
    DirectoryEntry.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("access", "0008_body_name_keys")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
