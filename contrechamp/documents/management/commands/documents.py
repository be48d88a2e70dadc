"""`contrechamp documents add|entities|resume|reindex|process|get`: the library from a
shell. Redaction and publication are `contrechamp redaction ...` (the app that drives
them)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrechamp.audit.services import audit_seals_batched
from contrechamp.documents import files, services
from contrechamp.documents.models import Document, Entity
from contrechamp.documents.search import index_flush, index_rebuild
from contrechamp.documents.services import (
    DocumentRejected,
    document_ingest,
    document_process,
    documents_resume,
)
from contrechamp.lib.text import nlp, nlp_loaded
from contrechamp.places.models import Commune


class Command(BaseCommand):
    help = "Add documents to the library, list their entities, resume or rebuild processing."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add files (folders are walked recursively).")
        add.add_argument("paths", nargs="+")
        add.add_argument("--place", action="append", default=[], help="INSEE code of a commune")
        add.add_argument("--title")
        add.add_argument("--origin", default="other", choices=[o for o, _ in Document.ORIGINS])
        add.add_argument("--wait", action="store_true", help="Return once every file is processed.")
        add.add_argument("--json", action="store_true", help="One JSON object per file.")
        entities = sub.add_parser("entities", help="Entities suggested for a document.")
        entities.add_argument("id", type=int)
        entities.add_argument("--json", action="store_true")
        resume = sub.add_parser("resume", help="Queue unfinished documents again.")
        resume.add_argument(
            "--release-leases",
            action="store_true",
            help="Free documents held by a worker (only when no worker is running).",
        )
        sub.add_parser("reindex", help="Rebuild the search index from the database.")
        process = sub.add_parser("process", help="Process queued documents in this process.")
        process.add_argument("ids", nargs="*", type=int)
        get = sub.add_parser("get", help="Write a document's file.")
        get.add_argument("id", type=int)
        get.add_argument("--published", action="store_true", required=True)
        get.add_argument("--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "handle_" + options["action"])(**options)

    def handle_add(self, **options: Any) -> None:
        places = list(Commune.objects.filter(code__in=options["place"]))
        unknown = set(options["place"]) - {c.code for c in places}
        if unknown:
            raise CommandError(f"No commune has the INSEE code {', '.join(sorted(unknown))}.")
        paths: list[Path] = []
        for raw in options["paths"]:
            path = Path(raw)
            if path.is_dir():
                paths += sorted(p for p in path.rglob("*") if p.is_file())
            elif path.is_file():
                paths.append(path)
            else:
                raise CommandError(f"{raw}: no such file or folder.")
        results: list[dict[str, Any]] = []
        # The upload entries of a folder are chained together at the end (the seals were
        # most of the cost of adding a file).
        with audit_seals_batched():
            for path in paths:
                record: dict[str, Any] = {"path": str(path), "id": None, "sha256": None}
                try:
                    ingested = document_ingest(
                        data=path.read_bytes(),
                        filename=path.name,
                        title=options["title"] or "",
                        origin=options["origin"],
                        places=places,
                    )
                except (DocumentRejected, OSError) as error:
                    record.update(status="failed", error=str(error), duplicate=False)
                else:
                    record.update(
                        id=ingested.document.id,
                        sha256=ingested.document.sha256,
                        duplicate=not ingested.created,
                    )
                results.append(record)
        ids = [r["id"] for r in results if r["id"]]
        if options["wait"]:
            self._wait(ids)
        # Read once for the whole folder, not once per file.
        documents = Document.objects.in_bulk(ids)
        children: dict[int, list[int]] = {}
        for child, parent in Document.objects.filter(parent_id__in=ids).values_list(
            "id", "parent_id"
        ):
            children.setdefault(parent, []).append(child)
        for record in results:
            if record["id"]:
                document = documents[record["id"]]
                record.update(
                    status=document.status,
                    error=document.error or None,
                    kind=document.kind,
                    pages=document.page_count,
                    children=children.get(document.id, []),
                )
            if options["json"]:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            else:
                state = record["status"] + (
                    " (already in the library)" if record.get("duplicate") else ""
                )
                line = f"{record['path']}: {state}"
                if record.get("id"):
                    line += f" — document {record['id']}"
                if record.get("error"):
                    line += f" — {record['error']}"
                self.stdout.write(line)
        if any(r["status"] == "failed" for r in results):
            raise SystemExit(1)

    def _wait(self, ids: list[int]) -> None:
        """Process the documents here (and their attachments), whether or not a worker
        runs: a document is only ever worked on by one process at a time. The search
        index is committed once, at the end."""
        pending = set(ids)
        unfinished = Document.objects.filter(id__in=pending).exclude(status__in=["done", "failed"])
        detects = "entities" in {name for name, _ in services.STEPS}
        if detects and not nlp_loaded() and unfinished.exists():
            # Seconds without a word otherwise, before the first document moves.
            self.stderr.write("Loading the language model for entity detection…")
            nlp()
        try:
            self._process(pending)
        finally:
            index_flush()

    def _process(self, pending: set[int]) -> None:
        while pending:
            finished = []
            for document in Document.objects.filter(id__in=pending):
                document = document_process(document=document, batch_index=True)
                if document.finished:
                    pending.discard(document.id)
                    finished.append(document.id)
            # Their attachments, made by the extraction: one query for the round.
            pending.update(
                Document.objects.filter(parent_id__in=finished)
                .exclude(status__in=["done", "failed"])
                .values_list("id", flat=True)
            )
            if pending:
                time.sleep(0.5)

    def handle_entities(self, **options: Any) -> None:
        if not Document.objects.filter(id=options["id"]).exists():
            raise CommandError(f"No document has the number {options['id']}.")
        for entity in Entity.objects.filter(page__document_id=options["id"]).select_related("page"):
            row = {
                "kind": entity.kind,
                "text": entity.text,
                "value": entity.value,
                "page": entity.page.number,
                "start": entity.start,
                "end": entity.end,
                "confidence": entity.confidence,
                "status": entity.status,
            }
            if options["json"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"p.{row['page']} {row['kind']:<12} {row['value']:<20} {row['text']!r} "
                    f"({row['confidence']:.2f})"
                )

    def handle_resume(self, **options: Any) -> None:
        count = documents_resume(release_leases=options["release_leases"])
        self.stdout.write(f"{count} documents queued again.")

    def handle_reindex(self, **options: Any) -> None:
        self.stdout.write(f"{index_rebuild()} pages indexed.")

    def handle_process(self, **options: Any) -> None:
        documents = Document.objects.exclude(status__in=["done", "failed"])
        if options["ids"]:
            documents = Document.objects.filter(id__in=options["ids"])
        try:
            for document in documents:
                document = document_process(document=document, batch_index=True)
                self.stdout.write(f"{document.id}: {document.status} {document.error}".strip())
        finally:
            index_flush()

    def handle_get(self, **options: Any) -> None:
        document = Document.objects.filter(id=options["id"]).first()
        if document is None:
            raise CommandError(f"No document has the number {options['id']}.")
        data = files.published_file(document)
        if data is None:
            raise CommandError(
                f"Document {document.id} has no published copy: redact and publish it first."
            )
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"{options['output']}: {len(data)} bytes.")
