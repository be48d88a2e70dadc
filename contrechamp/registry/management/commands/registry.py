"""`contrechamp registry import FORMAT FILE`: read another project's file into the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from contrechamp.registry.imports import MAX_BYTES, ImportRefused, paris_cameras_import

IMPORT_HELP = (
    "Import a file of another project. paris-cameras: a CSV annexe of the "
    "Paris arrêté n° 2019-00079 (BOVP n° 9, 1 February 2019), one camera count per "
    "arrondissement dated 2019-02-01, citing the bulletin; all or nothing, and "
    "running it again changes nothing. Only the file's total is checked against the "
    "arrêté (1,391 cameras in annexe 1, 890 in annexe 2), not its arrondissements' "
    "numbers. One annexe only: the two list many of the same cameras, so the second "
    "is refused while the first's counts are recorded, and Paris's figure is always "
    "one annexe's total."
)


class Command(BaseCommand):
    help = "The registry from the shell: import other projects' files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            description=IMPORT_HELP,
            help=IMPORT_HELP,
        )
        imp.add_argument("format", choices=["paris-cameras"])
        imp.add_argument("path")
        imp.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what it would do."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}.")
        with path.open("rb") as f:
            # One byte more than the bound: the service says the file is too large.
            data = f.read(MAX_BYTES + 1)
        try:
            report = paris_cameras_import(data=data, dry_run=options["dry_run"])
        except ImportRefused as e:
            raise CommandError(
                _("%(file)s: %(refusal)s Nothing was imported.") % {"file": path, "refusal": e}
            ) from None
        annexe = report.annexe
        self.stdout.write(
            f"{path}: annexe {annexe.number} of arrêté n° 2019-00079, "
            f"{sum(c.count for c in report.lines)} cameras in {len(report.lines)} "
            f"arrondissements."
        )
        add = "would add" if report.dry_run else "added"
        for line in report.lines:
            what = {
                "add": f"{add} {line.count} cameras",
                "unchanged": f"{line.count} cameras, already recorded",
                "kept": f"{line.count} cameras, kept the recorded {line.existing} (not "
                "overwritten)",
            }[line.action]
            later = f"; its count of {line.later} stays the latest" if line.later else ""
            self.stdout.write(f"  {line.commune.code} {line.commune.name}: {what}{later}.")
        verb = "Would add" if report.dry_run else "Added"
        self.stdout.write(f"{verb} {report.added} camera counts dated 2019-02-01.")
