"""Django's `flush`, with the audit log's triggers letting the emptying through: tests that
commit (transactional tests) end with a flush, and an emptied database has no log to keep."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from contrechamp.audit.services import audit_purge_allowed


class Command(FlushCommand):
    help = (
        "Django's flush: removes every row of every table. The audit log's triggers let "
        "this one through (an UPDATE stays refused)."
    )

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with audit_purge_allowed(connection):
            super().handle(**options)
