"""The library owns the published copy: the `Publication` model moves here from the
redaction app. Only Django's idea of which app holds it changes; the table
(`redaction_publication`) and its rows stay as they are, so no data moves."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_source_titles"),
        # The table was created by the redaction app: it exists before this app claims it.
        ("redaction", "0003_redaction_of_a_title"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Publication",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("accepted", models.BooleanField(default=False)),
                        ("reasons", models.JSONField(default=list)),
                        ("report", models.JSONField(default=dict)),
                        ("sha256", models.CharField(blank=True, max_length=64)),
                        ("size", models.PositiveBigIntegerField(default=0)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="publications",
                                to="documents.document",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "redaction_publication",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
