"""Triggers that refuse UPDATE and DELETE on the audit tables (SQLite or PostgreSQL, chosen
by the connection's vendor); see contrechamp/audit/triggers.py."""

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    from contrechamp.audit import triggers

    triggers.create(schema_editor)


def drop(apps: Any, schema_editor: Any) -> None:
    from contrechamp.audit import triggers

    triggers.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_log")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
