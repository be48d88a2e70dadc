from django.db import migrations, models
from django.db.models import Q


def hide_organisations_named_only_in_drafts(apps, schema_editor):
    """Organisations made by a draft's save (no author on their first version) and named
    by no published deployment were public only by mistake: hide them as new ones are."""
    Organisation = apps.get_model("registry", "Organisation")
    Revision = apps.get_model("registry", "Revision")
    Deployment = apps.get_model("registry", "Deployment")
    made_by_a_deployment = Revision.objects.filter(
        kind="organisation", version=1, author__isnull=True
    ).values("object_id")
    published = Deployment.objects.filter(is_published=True)
    drafts = Deployment.objects.filter(is_published=False)
    Organisation.objects.filter(id__in=made_by_a_deployment).filter(
        Q(deployments_supplied__in=drafts) | Q(fundings__deployment__in=drafts)
    ).exclude(
        Q(deployments_supplied__in=published) | Q(fundings__deployment__in=published)
    ).update(is_public=False)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="is_public",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(hide_organisations_named_only_in_drafts, migrations.RunPython.noop),
    ]
