"""The document library: originals stored once by content hash, pages with their text,
processing steps with their outcome, and entity suggestions."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from contrechamp.documents import reasons
from contrechamp.lib.partialdate import format_partial_date, partial_date_of
from contrechamp.lib.typography import day
from contrechamp.places.models import Commune


class Document(models.Model):
    STATUSES = [
        ("queued", _("queued")),
        ("processing", _("processing")),
        ("done", _("processed")),
        ("failed", _("failed")),
    ]
    KINDS = [
        ("pdf", "PDF"),
        ("image", _("image")),
        ("email", _("e-mail")),
        ("docx", "Word (.docx)"),
        ("odt", "OpenDocument (.odt)"),
        ("html", "HTML"),
        ("text", _("plain text")),
        ("unknown", _("unknown")),
    ]
    ORIGINS = [
        ("access_request", _("answer to an access-to-documents request")),
        ("council", _("council minutes or deliberation")),
        ("procurement", _("procurement notice or contract")),
        ("press", _("press")),
        ("correspondence", _("correspondence")),
        ("tip", _("anonymous tip")),
        ("other", _("other")),
    ]

    sha256 = models.CharField(max_length=64, unique=True, verbose_name=_("SHA-256"))
    size = models.PositiveBigIntegerField(verbose_name=_("size (bytes)"))
    filename = models.CharField(_("file name"), max_length=255)
    title = models.CharField(_("title"), max_length=400)
    origin = models.CharField(_("origin"), max_length=20, choices=ORIGINS, default="other")
    kind = models.CharField(_("type"), max_length=10, choices=KINDS, default="unknown")
    mime = models.CharField(max_length=100, blank=True, verbose_name=_("MIME type"))
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default="queued")
    error = models.TextField(_("reason of the failure"), blank=True)
    # The same as `reasons` keeps it (key and details), to write it in the reader's
    # language; empty for a row failed before it was kept.
    error_detail = models.JSONField(default=dict, blank=True, verbose_name=_("error detail"))
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    # The first day of the period the document is dated by: a day, a month or a year
    # (`date_precision`), so that search's date filters and ordering read one column.
    date = models.DateField(_("date of the document"), null=True, blank=True)
    DATE_PRECISIONS = [("day", _("day")), ("month", _("month")), ("year", _("year"))]
    date_precision = models.CharField(
        max_length=5, choices=DATE_PRECISIONS, default="day", verbose_name=_("date precision")
    )
    # What processing read (kept when a person corrects the date: the page says both).
    DATE_SOURCES = [
        ("metadata", _("read from the file's metadata")),
        ("text", _("read from the text")),
        ("file", _("read from the file")),  # read before the source was recorded
    ]
    date_read = models.DateField(_("date read from the file"), null=True, blank=True)
    # As `date_precision`: a file's metadata may give a month or a year only.
    date_read_precision = models.CharField(
        max_length=5,
        choices=DATE_PRECISIONS,
        default="day",
        verbose_name=_("precision of the date read"),
    )
    date_read_from = models.CharField(
        max_length=8, choices=DATE_SOURCES, blank=True, verbose_name=_("date read from")
    )
    # Who set the date by hand, by their role only (the page is public once published).
    CORRECTORS = [("reviewer", _("a reviewer")), ("uploader", _("its uploader"))]
    date_corrected_by = models.CharField(
        max_length=8, choices=CORRECTORS, blank=True, verbose_name=_("date corrected by")
    )
    source_url = models.URLField(_("source address"), max_length=1000, blank=True)
    # Raised by every correction of the details: a form loaded at another version is a
    # conflict, never a silent overwrite (as the registry's `version`).
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The e-mail this file was attached to."),
        verbose_name=_("parent document"),
    )
    places = models.ManyToManyField(
        Commune, blank=True, related_name="documents", verbose_name=_("places")
    )
    # Text of a document is visible to everyone only once it is published (redaction
    # step); until then only reviewers, administrators and the uploader see it.
    is_public = models.BooleanField(default=False, verbose_name=_("public"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    processed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("processed at"))
    # Held by the process working on the document, so two workers never process it at
    # once; it expires, so a killed worker does not block it forever.
    lease_until = models.DateTimeField(
        null=True, blank=True, verbose_name=_("held by a worker until")
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("document-detail", args=[self.id])

    @property
    def date_value(self) -> str:
        """The date as the project writes partial dates: "2025", "2025-01", "2025-01-20"
        ("" when there is none)."""
        return partial_date_of(self.date, self.date_precision)

    @property
    def date_read_value(self) -> str:
        """The date processing read, written as `date_value`."""
        return partial_date_of(self.date_read, self.date_read_precision)

    @property
    def date_shown(self) -> dt.date | str | None:
        """What the `day` template filter writes: the day itself ("Jan. 20, 2025"), or the
        partial date ("January 2025")."""
        return self.date if self.date_precision == "day" else self.date_value

    @property
    def date_note(self) -> str:
        """Where the date came from, in the reader's language: "read from the text", "read
        from the text: 3 January 2025 — corrected by a reviewer", "given by its uploader"
        ("" for a date nobody read nor gave)."""
        source = str(dict(self.DATE_SOURCES).get(self.date_read_from, ""))
        if self.date_corrected_by and source and self.date_read:
            corrected = (
                gettext("corrected by a reviewer")
                if self.date_corrected_by == "reviewer"
                else gettext("corrected by its uploader")
            )
            return gettext("%(source)s: %(date)s — %(corrected)s") % {
                "source": source,
                "date": day(self.date_read)
                if self.date_read_precision == "day"
                else format_partial_date(self.date_read_value, get_language() or "fr"),
                "corrected": corrected,
            }
        if self.date_corrected_by:
            return (
                gettext("given by a reviewer")
                if self.date_corrected_by == "reviewer"
                else gettext("given by its uploader")
            )
        return source if self.date else ""

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def kind_label(self) -> str:
        """The type as a list shows it: not "unknown" while the file is still being read
        (a new user's walk read "inconnu" on a PDF just sent)."""
        if self.kind == "unknown" and not self.finished:
            return gettext("not known yet")
        return str(self.get_kind_display())

    @property
    def reason(self) -> str:
        """Why processing failed, in the reader's language (`error` is stored in English)."""
        return reasons.translated(self.error, self.error_detail, steps=Step.LABELS)


class Step(models.Model):
    """One processing step of one document: what it produced, how long it took, why it
    failed. A step that is `done` is skipped when processing resumes."""

    NAMES = ["detect", "extract", "ocr", "index", "entities"]
    STATUSES = [
        ("pending", _("pending")),
        ("running", _("running")),
        ("done", _("done")),
        ("failed", _("failed")),
    ]
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="steps", verbose_name=_("document")
    )
    name = models.CharField(max_length=20, verbose_name=_("step"))
    status = models.CharField(
        max_length=10, choices=STATUSES, default="pending", verbose_name=_("status")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    duration_ms = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("duration (ms)")
    )
    output = models.JSONField(default=dict, blank=True, verbose_name=_("output"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    error_detail = models.JSONField(default=dict, blank=True, verbose_name=_("error detail"))

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        constraints = [
            models.UniqueConstraint(fields=["document", "name"], name="step_unique_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.name}:{self.status}"

    # The steps as the document's page names them (its `name` is the pipeline's key).
    LABELS = {
        "detect": _("file type"),
        "extract": _("text extraction"),
        "ocr": _("character recognition (OCR)"),
        "index": _("search index"),
        "entities": _("entity suggestions"),
    }

    @property
    def label(self) -> str:
        return str(self.LABELS.get(self.name, self.name))

    @property
    def reason(self) -> str:
        """Why the step failed, in the reader's language."""
        return reasons.translated(self.error, self.error_detail, steps=self.LABELS)

    # What a step's output holds, named for the reader (an unknown key as it is).
    OUTPUT_LABELS = {
        "kind": _("type"),
        "mime": _("MIME type"),
        "bytes": _("bytes"),
        "pages": _("pages"),
        "pages_to_ocr": _("pages to recognise"),
        "attachments": _("attachments"),
        "attachments_withheld": _("attachments withheld"),
        "attachments_refused": _("attachments refused"),
        "seconds_per_page": _("seconds per page"),
        "mean_confidence": _("mean confidence"),
        "backend": _("search engine"),
        "entities": _("suggestions"),
    }

    @property
    def summary(self) -> str:
        """What the step produced, as "name: value" pairs ("type : pdf · pages : 3"), not
        the stored dictionary's Python form."""
        return self._summarised(self.output if isinstance(self.output, dict) else {"": self.output})

    @property
    def public_summary(self) -> str:
        """The summary for whom is no reviewer: the attachments by their count, not their
        numbers (an attachment not published, or a copy matched to someone else's
        document, keeps its number to itself), and nothing of attachments withheld (how
        deep in e-mails the document was) or refused."""
        if not isinstance(self.output, dict):
            return self.summary
        # (Nor the names of the attachments refused, which may name a person.)
        output = {
            k: v
            for k, v in self.output.items()
            if k not in ("attachments_withheld", "attachments_refused")
        }
        if isinstance(output.get("attachments"), list):
            output["attachments"] = len(output["attachments"])
        return self._summarised(output)

    def _summarised(self, output: dict) -> str:
        # No attachments is no word at all ("pièces jointes : —" of a text file).
        if not output.get("attachments", True):
            output = {k: v for k, v in output.items() if k != "attachments"}
        return " · ".join(
            gettext("%(name)s: %(value)s")
            % {"name": self.OUTPUT_LABELS.get(k, k), "value": _output_value(v)}
            if k
            else _output_value(v)
            for k, v in output.items()
        )


def _output_value(value: object) -> str:
    """A step's output value as words: the suggestions by kind ("commune : 5,
    technologie : 12"), a list by its items ("—" for none), not Python's `{'commune': 5}`
    or `[]` (a new user's walk)."""
    if isinstance(value, dict):
        kinds = dict(Entity.KINDS)
        return (
            ", ".join(
                gettext("%(name)s: %(value)s")
                % {"name": kinds.get(str(k), str(k)), "value": _output_value(v)}
                for k, v in value.items()
            )
            or "—"
        )
    if isinstance(value, list | tuple):
        return ", ".join(_output_value(v) for v in value) or "—"
    return str(value)


class Page(models.Model):
    METHODS = [("text", _("text layer")), ("ocr", _("OCR")), ("empty", _("empty"))]
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    method = models.CharField(max_length=5, choices=METHODS, default="text")
    needs_ocr = models.BooleanField(default=False)
    ocr_confidence = models.FloatField(null=True, blank=True)
    width = models.FloatField(default=0)
    height = models.FloatField(default=0)
    # OCR words with their boxes in PDF points: [[x0, y0, x1, y1, text, confidence], ...]
    # (on a page of text, those of its large pasted picture: see `ocr_from`).
    words = models.JSONField(null=True, blank=True)
    # On a page of text with a large picture that no text of the page lies on (a
    # resident's letter pasted beside a typed paragraph), where the picture's text, read
    # by OCR, begins in `text`: the layer's text comes first, unchanged. None on every
    # other page (all layer, or all OCR).
    ocr_from = models.PositiveIntegerField(null=True, blank=True)
    indexed = models.BooleanField(default=False)
    # The text of the published (redacted) copy, read back from that file: the only text
    # of the page that anyone but a reviewer ever sees.
    published_text = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="page_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} p.{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("document-detail", args=[self.document_id]) + f"?page={self.number}"

    @property
    def read_by(self) -> str:
        """How its text was read, as the API says it: "text", "ocr", "empty", or
        "text+ocr" for a page of text whose pasted picture was read by OCR (`ocr_from`),
        whose `method` stays "text"."""
        return "text+ocr" if self.ocr_from is not None else self.method


class Entity(models.Model):
    """Something a page mentions that the registry may want: a suggestion until a
    reviewer accepts (links it and cites the page) or rejects it."""

    KINDS = [
        ("commune", _("commune")),
        ("organisation", _("organisation")),
        ("technology", _("technology")),
        ("funder", _("funder or programme")),
        ("amount", _("amount")),
        ("date", _("date")),
    ]
    STATUSES = [
        ("suggested", _("suggested")),
        ("accepted", _("accepted")),
        ("rejected", _("rejected")),
    ]
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="entities", verbose_name=_("page")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS)
    text = models.CharField(_("text"), max_length=300)
    value = models.CharField(_("normalised value"), max_length=300)
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    confidence = models.FloatField(verbose_name=_("confidence"))
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("commune")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    technology = models.ForeignKey(
        "registry.Technology",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("technology"),
    )
    status = models.CharField(
        max_length=10, choices=STATUSES, default="suggested", verbose_name=_("status")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    citation = models.ForeignKey(
        "registry.Citation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("citation"),
    )

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["page", "start"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class Publication(models.Model):
    """One attempt to publish a document: the file written and what the gate found.

    The library owns the published copy (this record, the file, `Document.is_public`,
    `Page.published_text`) and reads it; the redaction app computes it and writes it
    through its gate."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="publications")
    accepted = models.BooleanField(default=False)
    reasons = models.JSONField(default=list)
    report = models.JSONField(default=dict)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        # The table keeps the name it had in the redaction app, which wrote it first.
        db_table = "redaction_publication"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id}: {'published' if self.accepted else 'refused'}"
