"""`contrechamp backup --output FILE`: the database, the stored files and the secret key
in one archive, taken while the site runs (see `contrechamp.ops.backup`)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database (SQLite online backup or pg_dump) and of "
        "the stored files to one tar archive, while the site goes on running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            required=True,
            help="The archive to write (.tar; .tar.gz to compress it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        try:
            summary = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{output}: {summary.vendor} database and {summary.files} files "
            f"({summary.bytes} bytes)."
        )
