"""`contrechamp restore FILE`: put back what `contrechamp backup` wrote, into an empty
database and data directory (or over them with `--force`), then rebuild the search
index. The archive is checked whole before anything is touched."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the configured database and data directory "
        "(stop the site first), after checking its manifest and checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="An archive written by `contrechamp backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what a database that is not empty holds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            summary = backup_restore(archive=archive, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{archive}: {summary.vendor} database and {summary.files} files restored."
        )
        for note in summary.notes:
            self.stdout.write(note)
