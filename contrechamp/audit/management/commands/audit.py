from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.audit.services import audit_seal, audit_verify


class Command(BaseCommand):
    help = (
        "The audit log. `audit verify` chains the entries not yet chained, then checks "
        "every link of the chain and reports the first broken one (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = audit_seal()
        if sealed:
            self.stdout.write(f"Chained {sealed} entries written but not yet chained.")
        result = audit_verify()
        if not result.ok:
            where = f"link {result.broken_at}"
            if result.entry_id is not None:
                where += f" (entry {result.entry_id})"
            raise CommandError(
                f"Broken chain at {where}: {result.reason}. "
                f"{result.checked} links were valid before it."
            )
        self.stdout.write(f"The audit log is intact: {result.checked} entries checked.")
