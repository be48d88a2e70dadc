"""Bodies' sort and search keys made again: the town halls made together for a series
(`bodies_for_communes`) and those renamed by 0006 were written without `save`, so their
key was empty or the old name's ("mairie de ajaccio"), and they sorted first."""

from django.db import migrations

from contrechamp.lib.text import name_key


def fill_name_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    PublicBody = apps.get_model("access", "PublicBody")
    bodies = list(PublicBody.objects.only("id", "name", "name_key"))
    changed = [body for body in bodies if body.name_key != name_key(body.name)]
    for body in changed:
        body.name_key = name_key(body.name)
    PublicBody.objects.bulk_update(changed, ["name_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("access", "0007_alter_publicbody_options")]

    operations = [migrations.RunPython(fill_name_keys, migrations.RunPython.noop)]
