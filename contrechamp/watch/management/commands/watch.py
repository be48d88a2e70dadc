"""`contrechamp watch import|fetch|candidates`: the procurement watch from a shell or cron."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.watch.models import ImportRun, WatchRecord
from contrechamp.watch.services import (
    FETCHES,
    candidate_json,
    import_boamp,
    import_decp,
    import_ted,
    records_rescore,
    run_json,
)

IMPORTS: dict[str, Callable[[list[Path]], ImportRun]] = {
    "decp": import_decp,
    "boamp": import_boamp,
    "ted": import_ted,
}


class Command(BaseCommand):
    help = "Import procurement records and list the candidates they made."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="Import files (JSON, XML, CSV, Parquet or .zip of them) of a source."
        )
        imp.add_argument("source", choices=list(IMPORTS))
        imp.add_argument("paths", nargs="+")
        imp.add_argument("--json", action="store_true", help="The run's log as JSON.")
        fetch = sub.add_parser(
            "fetch",
            help="Fetch the new records of a source from its API (the DECP: its "
            "consolidated file, if it changed since the last fetch).",
        )
        fetch.add_argument("source", choices=list(FETCHES))
        fetch.add_argument(
            "--since",
            help="Publication date to start from (YYYY-MM-DD); default: where the last "
            "fetch got to, else a year back. For the DECP: the records dated from that "
            "day, and the file downloaded even if it did not change.",
        )
        fetch.add_argument("--json", action="store_true", help="The run's log as JSON.")
        rescore = sub.add_parser(
            "rescore",
            help="Score every kept record again with the current rules and vendors; "
            "undecided ones join or leave the queue.",
        )
        rescore.add_argument("--source", choices=list(IMPORTS))
        rescore.add_argument("--json", action="store_true", help="The counts as JSON.")
        cand = sub.add_parser("candidates", help="Records scored as candidates, best first.")
        cand.add_argument("--source", choices=list(IMPORTS))
        cand.add_argument("--status", choices=[s for s, _ in WatchRecord.STATUSES], default=None)
        cand.add_argument("--json", action="store_true", help="One JSON object per line.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "handle_" + options["action"])(**options)

    def handle_rescore(self, **options: Any) -> None:
        counts = records_rescore(source=options["source"])
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(
                f"{counts['read']} records scored again: {counts['changed']} changed, "
                f"{counts['joined']} joined the queue, {counts['left']} left it."
            )

    def handle_import(self, **options: Any) -> None:
        paths = [Path(p) for p in options["paths"]]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}.")
        run = IMPORTS[options["source"]](paths)
        self._report(run, options["json"])

    def handle_fetch(self, **options: Any) -> None:
        since = options["since"]
        if since and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
            raise CommandError("--since takes a date as YYYY-MM-DD.")
        run = FETCHES[options["source"]](since=since)
        self._report(run, options["json"])
        if run.errors:
            raise CommandError(run.error_samples[0]["error"])

    def _report(self, run: Any, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(run_json(run), ensure_ascii=False))
        else:
            self.stdout.write(
                f"{run.read} records read: {run.new} new, {run.updated} updated, "
                f"{run.unchanged} unchanged, {run.candidates} new candidates, "
                f"{run.errors} errors." + (f" Resume from {run.cursor}." if run.cursor else "")
            )
            for error in run.error_samples:
                self.stderr.write(f"{error['input']} #{error['position']}: {error['error']}")

    def handle_candidates(self, **options: Any) -> None:
        rows = WatchRecord.objects.select_related("commune", "epci")
        if options["status"]:
            rows = rows.filter(status=options["status"])
        else:
            rows = rows.exclude(status="below")
        if options["source"]:
            rows = rows.filter(source=options["source"])
        for row in rows.order_by("-score", "-date", "id").iterator(chunk_size=500):
            if options["json"]:
                self.stdout.write(json.dumps(candidate_json(row), ensure_ascii=False))
            else:
                place = row.commune.name if row.commune else row.department or "?"
                self.stdout.write(
                    f"{row.score:4} {row.status:9} {row.date or '':10} {place[:20]:20} "
                    f"{row.object[:70]}"
                )
