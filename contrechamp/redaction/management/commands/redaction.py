"""`contrechamp redaction redact|publish|unpublish`: redaction and publication from a
shell. The published copy is the library's (`contrechamp documents get ID --published`
writes it out); this app computes it and drives it through the gate."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from contrechamp.documents.models import Document
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import (
    document_publish,
    document_unpublish,
    finding_text,
    redactions_accept_all,
    redactions_suggest,
)


class Command(BaseCommand):
    help = "Suggest redactions, publish a document's redacted copy through the gate, withdraw it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        redact = sub.add_parser("redact", help="Suggest redactions (and accept them all).")
        redact.add_argument("id", type=int)
        redact.add_argument("--auto", action="store_true", help="Accept every suggestion.")
        redact.add_argument("--json", action="store_true")
        publish = sub.add_parser("publish", help="Write the published copy through the gate.")
        publish.add_argument("id", type=int)
        publish.add_argument("--json", action="store_true")
        publish.add_argument("--title", default="", help="The public title (default: kept).")
        publish.add_argument(
            "--no-redactions",
            action="store_true",
            help="Confirm that the document holds nothing to redact (needed when none is).",
        )
        unpublish = sub.add_parser("unpublish", help="Make a published document private again.")
        unpublish.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "handle_" + options["action"])(**options)

    def _document(self, document_id: int) -> Document:
        document = Document.objects.filter(id=document_id).first()
        if document is None:
            raise CommandError(f"No document has the number {document_id}.")
        if document.status != "done":
            raise CommandError(f"Document {document_id} is {document.status}, not processed.")
        return document

    def handle_redact(self, **options: Any) -> None:
        document = self._document(options["id"])
        suggested = redactions_suggest(document=document)
        accepted = redactions_accept_all(document=document) if options["auto"] else 0
        rows = Redaction.objects.filter(page__document=document).select_related("page")
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "id": document.id,
                        "suggested": suggested,
                        "accepted": accepted,
                        "redactions": [
                            {
                                "page": r.page_number,
                                "kind": r.kind,
                                "text": r.text,
                                "rects": r.rects,
                                "status": r.status,
                                "reason": r.reason,
                            }
                            for r in rows
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(f"{suggested} suggested, {accepted} accepted.")

    def handle_publish(self, **options: Any) -> None:
        # The command speaks English, like the rest of the command line.
        with translation.override("en"):
            self._publish(**options)

    def _publish(self, **options: Any) -> None:
        try:
            publication = document_publish(
                document=self._document(options["id"]),
                title=options["title"],
                no_redactions=options["no_redactions"],
            )
        except ValidationError as error:
            raise CommandError("Not published: " + " ".join(error.messages)) from None
        reasons = [finding_text(r) for r in publication.reasons]
        result = {
            "id": options["id"],
            "published": publication.accepted,
            "reasons": reasons,
            "sha256": publication.sha256 or None,
            "checks": publication.report,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif publication.accepted:
            self.stdout.write(f"Published ({publication.size} bytes, {publication.sha256}).")
        else:
            self.stdout.write("Refused: " + " ".join(reasons))
        if not publication.accepted:
            raise SystemExit(1)

    def handle_unpublish(self, **options: Any) -> None:
        document_unpublish(document=self._document(options["id"]))
        self.stdout.write(f"Document {options['id']} is private again.")
