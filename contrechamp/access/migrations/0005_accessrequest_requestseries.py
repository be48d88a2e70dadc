"""`Request` becomes `AccessRequest` (views may call the HTTP request `request` again) and
`Campaign` becomes `RequestSeries` (the word "campaign" is kept for petitions), with the
request's `campaign` field now `series`. Rows are kept: the tables are renamed (and the
many-to-many tables of the request with them), not copied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("access", "0004_bodies_directory")]

    operations = [
        migrations.RenameModel("Campaign", "RequestSeries"),
        migrations.RenameModel("Request", "AccessRequest"),
        migrations.RenameField("accessrequest", "campaign", "series"),
        migrations.AlterModelOptions(
            name="requestseries",
            options={
                "verbose_name": "series of requests",
                "verbose_name_plural": "series of requests",
            },
        ),
        migrations.AlterModelOptions(
            name="accessrequest",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "access-to-documents request",
            },
        ),
    ]
