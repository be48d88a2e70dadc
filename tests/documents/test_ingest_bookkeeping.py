"""Ingest made lighter (issue 14, speed of the pipeline) without changing what it keeps:
what the pipeline derives from a file (kind, page count, the date read in its text,
status) is saved once, with the final status, and without an audit entry — a person's
change of the same columns is still recorded, and a process stopped before that save
finds the date again; the search layer's faster folding and synonym pattern match exactly
what they matched before."""

import random
import re
import unicodedata
from datetime import date

import pytest

from contrechamp.audit.models import AuditEntry
from contrechamp.audit.recording import delete_derived, update_derived
from contrechamp.documents import services
from contrechamp.documents.models import Document, Entity, Step
from contrechamp.documents.services import document_ingest, document_process
from contrechamp.lib import textsearch
from contrechamp.lib.text import unaccent
from contrechamp.redaction.models import Redaction
from tests.documents import samples

MINUTES = "Le conseil municipal, réuni le 12 mars 2021, a voté la vidéoprotection de la gare."


@pytest.fixture
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"


def _actions(document: Document) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_model="document", target_id=str(document.id))
        .order_by("id")
        .values_list("action", flat=True)
    )


def _processed() -> Document:
    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    document_process(document=document)
    document.refresh_from_db()
    return document


@pytest.mark.django_db
def test_processing_leaves_the_upload_entry_only_and_saves_the_date_with_the_status(library):
    document = _processed()
    assert document.status == "done" and document.kind == "pdf" and document.page_count == 1
    assert document.date == date(2021, 3, 12)  # read in the text, saved with the status
    assert _actions(document) == ["created"]


@pytest.mark.django_db
def test_a_person_changing_a_derived_column_is_still_recorded(library):
    document = _processed()
    document.date = date(2020, 1, 1)
    document.save()  # as the admin saves: every field
    entry = AuditEntry.objects.filter(target_model="document").latest("id")
    assert entry.action == "changed" and entry.details["fields"] == ["date", "updated_at"]
    document.status = "failed"
    document.save(update_fields=["status"])
    assert AuditEntry.objects.filter(target_model="document").latest("id").details == {
        "fields": ["status"]
    }


@pytest.mark.django_db
def test_update_derived_refuses_a_column_the_pipeline_does_not_derive(library):
    document = _processed()
    rows = Document.objects.filter(id=document.id)
    with pytest.raises(ValueError):
        update_derived(rows, title="Titre changé sans trace", status="done")
    with pytest.raises(ValueError):
        update_derived(rows, is_public=True)
    document.refresh_from_db()
    assert document.title != "Titre changé sans trace" and not document.is_public
    assert update_derived(rows.filter(lease_until__isnull=False), status="failed") == 0
    # Written any other way, the same columns are recorded.
    document.status = "failed"
    document.save(update_fields=["status"])
    assert AuditEntry.objects.filter(target_model="document").latest("id").details == {
        "fields": ["status"]
    }


@pytest.mark.django_db
def test_a_process_stopped_before_the_final_save_finds_the_date_again(library, monkeypatch):
    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document

    def killed(document):
        raise KeyboardInterrupt  # the worker stopped during the entity step

    steps = [(n, killed if n == "entities" else run) for n, run in services.STEPS]
    monkeypatch.setattr(services, "STEPS", steps)
    with pytest.raises(KeyboardInterrupt):
        document_process(document=document)
    document.refresh_from_db()
    assert document.status == "processing" and document.date is None
    assert Step.objects.get(document=document, name="index").status == "done"
    monkeypatch.setattr(services, "STEPS", [(n, r) for n, r in steps if n != "entities"])
    document = document_process(document=document)
    document.refresh_from_db()
    assert document.status == "done" and document.date == date(2021, 3, 12)
    assert document.page_count == 1 and document.pages.count() == 1


def _fold_before(text: str) -> str:
    """`fold` as it was written before (four passes after the accents)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = unaccent(text).replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"[\u2010-\u2015\u2212\u00ad\ufe63\uff0d]", "-", text)
    return re.sub(r"[\u2019\u2018\u201b\u02bc\u00b4`\uff07]", "'", text)


def test_fold_in_one_pass_is_the_fold_of_before_on_every_character():
    for start in range(0, 0x10000, 4096):
        text = "".join(chr(c) for c in range(start, start + 4096) if not 0xD800 <= c < 0xE000)
        assert textsearch.fold(text) == _fold_before(text)
    assert (
        textsearch.fold("Vidéo‑surveillance d’Œuvre ﬁlmée") == "video-surveillance d'oeuvre filmee"
    )


def _plain_pattern() -> re.Pattern[str]:
    """The synonym pattern as one alternation of the variants, the longest first,
    without grouping them by their first letter."""
    return re.compile(
        r"(?<![\w.])(?:"
        + "|".join(
            f"(?P<v{i}>{textsearch._variant_pattern(v)})"
            for i, (v, _) in enumerate(textsearch.SYNONYM_VARIANTS)
        )
        + r")(?![\w-])"
    )


def test_the_synonym_patterns_grouping_by_first_letter_changes_no_match():
    plain, fast = _plain_pattern(), textsearch.SYNONYM_PATTERN
    assert fast.pattern != plain.pattern
    rng = random.Random(14)
    pieces = [v for v, _ in textsearch.SYNONYM_VARIANTS] + [
        "l.a.p.i.",
        "l'a p i",
        "ls a",
        "drones",
        "micros-",
        "videoprotections",
        "la",
        "le",
        "cs",
        "x",
        "s",
        "-",
        "'",
        ".",
        " ",
        "  ",
        "\n",
        "hyper",
        "viseur",
        "microphonex",
        "3",
    ]
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    for text in texts:
        expected = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in fast.finditer(text)] == expected, text


@pytest.mark.django_db
def test_documents_indexed_in_one_commit_keep_each_its_own_places(library, settings):
    from contrechamp.documents import search
    from contrechamp.documents.search import SearchFilters, Viewer, search_pages
    from contrechamp.places.models import Commune

    settings.SEARCH_BACKEND = "tantivy"
    settings.SEARCH_INDEX_BATCH_PAGES = 10_000
    settings.SEARCH_INDEX_BATCH_SECONDS = 3600
    made = {}
    for code in ("42218", "06088", ""):
        places = [Commune.objects.get(code=code)] if code else []
        made[code] = document_ingest(
            data=samples.text_pdf([f"Caméras de la gare, séance {code or 'sans lieu'}."]),
            filename=f"cr-{code}.pdf",
            places=places,
        ).document
    for document in made.values():
        document_process(document=document, batch_index=True)
    assert search.index_flush() == 3  # one commit for the three

    def found(place: str) -> set[int]:
        hits = search_pages(
            "caméras", viewer=Viewer(sees_all=True), filters=SearchFilters(place=place)
        )
        return {h.document_id for h in hits}

    assert found("42218") == {made["42218"].id}
    assert found("06") == {made["06088"].id}  # the department
    assert found("") == {d.id for d in made.values()}


@pytest.mark.django_db
def test_pages_to_ocr_counted_as_made_and_on_a_resumed_extraction(library):
    from contrechamp.documents.models import Page

    document = document_ingest(
        data=samples.mixed_pdf(MINUTES, "Page scannée du registre."), filename="mixte.pdf"
    ).document
    document.kind = "pdf"
    assert services._step_extract(document)["pages_to_ocr"] == 1
    # A resumed run: the scanned page is stored already, the text page not.
    Page.objects.filter(document=document, needs_ocr=False).delete()
    assert services._step_extract(document)["pages_to_ocr"] == 1
    Page.objects.filter(document=document, needs_ocr=True).delete()
    assert services._step_extract(document)["pages_to_ocr"] == 1


def _entity_entries(action: str) -> int:
    return AuditEntry.objects.filter(target_model="entity", action=action).count()


@pytest.mark.django_db
def test_suggestions_found_again_replace_the_old_without_an_entry_each(library):
    document = _processed()
    entities = Entity.objects.filter(page__document=document)
    assert entities.count() >= 2  # the commune-less minutes: a date, a technology
    kept = entities.order_by("id").first()
    kept.status = "confirmed"
    kept.save()  # a reviewer's decision: recorded
    suggested = set(entities.filter(status="suggested").values_list("kind", "start"))
    services._step_entities(document)
    # Found again, not lost; the decision stands; no "deleted" entry per suggestion.
    assert set(entities.filter(status="suggested").values_list("kind", "start")) == suggested
    assert entities.get(pk=kept.pk).status == "confirmed"
    assert _entity_entries("deleted") == 0
    assert _entity_entries("changed") == 1


@pytest.mark.django_db
def test_delete_derived_deletes_only_rows_nobody_decided_on(library, reviewer):
    document = _processed()
    page = document.pages.get()
    entities = Entity.objects.filter(page=page)
    confirmed = entities.order_by("id").first()
    confirmed.status = "confirmed"
    confirmed.save()
    automatic = Redaction.objects.create(page=page, kind="person", text="X", start=0, end=1)
    by_hand = Redaction.objects.create(
        page=page, kind="manual", rects=[[1, 1, 9, 9]], created_by=reviewer
    )
    accepted = Redaction.objects.create(page=page, kind="person", status="accepted", start=2)
    # Handed every row, it deletes only the pipeline's own untouched suggestions.
    before = entities.count()
    assert before >= 2
    assert delete_derived(Entity.objects.all()) == before - 1
    assert list(entities) == [confirmed]
    assert delete_derived(Redaction.objects.all()) == 1
    assert not Redaction.objects.filter(pk=automatic.pk).exists()
    assert Redaction.objects.filter(pk__in=[by_hand.pk, accepted.pk]).count() == 2
    assert AuditEntry.objects.filter(action="deleted").count() == 0
    # Rows no pipeline makes are refused, whatever the queryset.
    with pytest.raises(ValueError):
        delete_derived(Document.objects.filter(pk=document.pk))
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.django_db
def test_a_suggestion_deleted_any_other_way_is_recorded(library):
    document = _processed()
    Entity.objects.filter(page__document=document).first().delete()
    assert _entity_entries("deleted") == 1


@pytest.mark.django_db
def test_step_rows_made_by_another_process_at_the_same_moment_are_used(library, monkeypatch):
    # Another process (whose lease ran out) makes the step rows between this one's read
    # and its insert: the insert fails on the unique constraint, and the rows there are
    # read and used — one row per step, the document processed.
    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    Step.objects.bulk_create([Step(document=document, name=name) for name in Step.NAMES])
    real, reads = Step.objects.filter, []

    def read_before_the_other(*args, **kwargs):
        # This process's first read happened just before the other process's insert.
        reads.append(kwargs)
        return real(*args, **kwargs).none() if len(reads) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(Step.objects, "filter", read_before_the_other)
    document = document_process(document=document)
    assert document.status == "done"
    rows = Step.objects.filter(document=document)
    assert sorted(rows.values_list("name", flat=True)) == sorted(Step.NAMES)
    assert set(rows.values_list("status", flat=True)) == {"done"}


@pytest.mark.django_db
def test_step_rows_made_here_are_not_read_twice(library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    with CaptureQueriesContext(connection) as queries:
        document_process(document=document)
    reads = [q for q in queries if q["sql"].startswith('SELECT "documents_step"')]
    assert len(reads) == 1
    assert Step.objects.filter(document=document, status="done").count() == len(Step.NAMES)


def _taken_over_during(monkeypatch, document, *, then_raise: Exception | None = None):
    """While this worker runs its extraction, another worker (this one's lease ran out)
    takes the document: a new lease, the status it set."""
    from datetime import timedelta

    from django.utils import timezone

    real = dict(services.STEPS)["extract"]
    theirs = timezone.now() + timedelta(hours=1)

    def extract(doc):
        output = real(doc)
        Document.objects.filter(id=document.id).update(lease_until=theirs, status="processing")
        if then_raise is not None:
            raise then_raise
        return output

    monkeypatch.setattr(
        services, "STEPS", [(n, extract if n == "extract" else f) for n, f in services.STEPS]
    )
    return theirs


@pytest.mark.django_db
def test_a_late_worker_whose_document_was_taken_over_writes_no_failure(library, monkeypatch):
    # The late worker collides with the new one's page rows: its error is not the file's.
    from django.db import IntegrityError

    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    theirs = _taken_over_during(monkeypatch, document, then_raise=IntegrityError("duplicate page"))
    document_process(document=document)
    document.refresh_from_db()
    assert document.status == "processing" and document.error == ""
    assert document.lease_until == theirs  # the new worker's lease is not released
    assert Step.objects.get(document=document, name="extract").status != "failed"


@pytest.mark.django_db
def test_a_late_worker_whose_document_was_taken_over_writes_no_outcome(library, monkeypatch):
    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    theirs = _taken_over_during(monkeypatch, document)
    returned = document_process(document=document)
    document.refresh_from_db()
    assert returned.status == document.status == "processing"
    assert document.lease_until == theirs


@pytest.mark.django_db
def test_a_late_worker_writes_no_step_row_and_runs_no_later_step(library, monkeypatch):
    # The worker that took the document over owns its step rows: the late one neither
    # marks its extraction done over the other's nor goes on to the steps after it.
    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    _taken_over_during(monkeypatch, document)
    ran: list[str] = []
    monkeypatch.setattr(
        services,
        "STEPS",
        [
            (name, run if name in ("detect", "extract") else (lambda d, n=name: ran.append(n)))
            for name, run in services.STEPS
        ],
    )
    document_process(document=document)
    assert ran == []
    extract = Step.objects.get(document=document, name="extract")
    assert extract.status == "running" and extract.finished_at is None
    assert set(
        Step.objects.filter(document=document)
        .exclude(name__in=["detect", "extract"])
        .values_list("status", flat=True)
    ) == {"pending"}


@pytest.mark.django_db
def test_a_text_pdf_is_not_read_back_for_its_ocr_nor_its_date(library):
    # The extraction hands its page texts to the steps after it in the same run.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    with CaptureQueriesContext(connection) as queries:
        document = document_process(document=document)
    assert document.date == date(2021, 3, 12)
    reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "documents_page"')]
    # Neither the OCR step's pages to read nor the date's page texts: the entity step's
    # pages and the index's are what is read.
    assert not [sql for sql in reads if '"needs_ocr"' in sql.split("WHERE")[-1]]
    assert not [sql for sql in reads if sql.startswith('SELECT "documents_page"."text" AS')]
    assert len(reads) == 3


@pytest.mark.django_db
def test_the_date_of_a_page_read_by_ocr_is_found_after_the_ocr(library):
    # A text page without a date and a scanned page with one: the extraction's texts are
    # not final, the date comes from the page OCR read.
    data = samples.mixed_pdf("Ordre du jour de la séance publique.", "Séance du 25 mars 2022")
    document = document_ingest(data=data, filename="scan.pdf").document
    document = document_process(document=document)
    assert document.status == "done"
    assert document.date == date(2022, 3, 25)


@pytest.mark.django_db
def test_texts_an_earlier_run_left_on_the_same_object_skip_no_ocr(library):
    # Found by the review: a text-only run leaves its page texts on the object; the same
    # object processed again must read its new pages, and OCR the scanned one.
    from contrechamp.documents.models import Page
    from contrechamp.documents.services import document_reprocess

    data = samples.mixed_pdf(
        "Ordre du jour de la séance publique, point un.", "Séance du 25 mars 2022"
    )
    document = document_process(document=document_ingest(data=data, filename="s.pdf").document)
    document._final_texts = ["what an earlier run read, 1er janvier 2019"]
    document_reprocess(document=document)
    document.date = None
    document = document_process(document=document)
    assert document.status == "done" and document.date == date(2022, 3, 25)
    scanned = Page.objects.get(document=document, number=2)
    assert scanned.method == "ocr" and "25 mars 2022" in scanned.text


@pytest.mark.django_db
def test_pages_written_in_sql_of_their_own_are_the_rows_the_orm_makes(library):
    """`_insert_pages` writes what `Page.objects.bulk_create` wrote, column for column
    (defaults included)."""
    from contrechamp.documents.models import Page

    ours = Document.objects.create(sha256="a" * 64, size=1, filename="a.pdf")
    theirs = Document.objects.create(sha256="b" * 64, size=1, filename="b.pdf")
    rows = [
        (1, "Page un : vidéoprotection\u00a0à Nice.", "text", False, 595.5, 842.0),
        (2, "", "ocr", True, 1190.25, 1684.0),
        (3, "", "empty", False, 0.0, 0.0),
    ]
    services._insert_pages(ours, rows)
    Page.objects.bulk_create(
        Page(document=theirs, number=n, text=t, method=m, needs_ocr=o, width=w, height=h)
        for n, t, m, o, w, h in rows
    )

    def read(document):
        return [
            {k: v for k, v in row.items() if k not in ("id", "document_id")}
            for row in Page.objects.filter(document=document).order_by("number").values()
        ]

    assert read(ours) == read(theirs) and len(read(ours)) == 3
    assert Page.objects.filter(document=ours, words__isnull=True).count() == 3


@pytest.mark.django_db
def test_suggestions_written_in_sql_of_their_own_are_the_rows_the_orm_makes(library):
    """`_insert_entities` writes what `Entity.objects.bulk_create` wrote, column for
    column (the review's columns empty), in batches."""
    from contrechamp.documents.models import Page
    from contrechamp.places.models import Commune

    document = Document.objects.create(sha256="c" * 64, size=1, filename="c.pdf")
    ours = Page.objects.create(document=document, number=1, text="x")
    theirs = Page.objects.create(document=document, number=2, text="x")
    commune = Commune.objects.first()

    def made(page, n):
        return Entity(
            page=page,
            kind=["commune", "date", "amount"][n % 3],
            text=f"Vidéoprotection\u00a0« {n} »",
            value=str(n),
            start=n,
            end=n + 3,
            confidence=0.85 if n % 2 else 0.6,
            commune_id=commune.id if commune and n % 3 == 0 else None,
        )

    services._insert_entities([made(ours, n) for n in range(services._ENTITY_BATCH + 7)])
    Entity.objects.bulk_create([made(theirs, n) for n in range(services._ENTITY_BATCH + 7)])

    def read(page):
        return [
            {k: v for k, v in row.items() if k not in ("id", "page_id")}
            for row in Entity.objects.filter(page=page).order_by("start").values()
        ]

    assert read(ours) == read(theirs) and len(read(ours)) == services._ENTITY_BATCH + 7
    assert Entity.objects.filter(page=ours, status="suggested", reviewed_by__isnull=True).count()


@pytest.mark.django_db
def test_a_document_taken_over_after_its_last_step_gets_no_outcome_from_the_late_worker(
    library, monkeypatch
):
    """The outcome's write checks the lease in its own WHERE: a worker paused between its
    last step and that write finds the document taken and leaves it to the other."""
    from datetime import timedelta

    from django.utils import timezone

    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    theirs = timezone.now() + timedelta(hours=1)
    real = services._save_steps
    last = services.STEPS[-1][0]

    def save_steps(doc, writes):
        saved = real(doc, writes)
        if any(step.name == last and step.status == "done" for step, _ in writes):
            Document.objects.filter(id=doc.id).update(lease_until=theirs, status="processing")
        return saved

    monkeypatch.setattr(services, "_save_steps", save_steps)
    returned = document_process(document=document)
    document.refresh_from_db()
    assert returned.status == document.status == "processing"
    assert document.lease_until == theirs and document.processed_at is None


@pytest.mark.django_db
def test_the_outcome_is_written_with_the_lease_released_and_no_entry(library):
    document = _processed()
    assert document.status == "done" and document.lease_until is None
    assert document.processed_at is not None and document.updated_at >= document.processed_at
    assert _actions(document) == ["created"]


@pytest.mark.django_db
def test_a_step_ends_and_the_next_begins_in_one_write(library):
    # Where one step ends and the next begins, nothing runs between the two writes: one
    # statement makes both (a write per step, and the last one's end, instead of two).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="cr.pdf").document
    with CaptureQueriesContext(connection) as queries:
        document_process(document=document)
    writes = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "documents_step"')]
    assert len(writes) == len(Step.NAMES) + 1
    rows = {s.name: s for s in Step.objects.filter(document=document)}
    assert {s.status for s in rows.values()} == {"done"}
    assert all(s.attempts == 1 and s.finished_at >= s.started_at for s in rows.values())
    assert rows["extract"].output["pages"] == 1 and rows["extract"].duration_ms is not None
    # Each row kept its own values: no step's output or times written over another's.
    assert rows["detect"].output["kind"] == "pdf" and "kind" not in rows["extract"].output
    started = [rows[name].started_at for name in Step.NAMES]
    assert started == sorted(started)
    for before, after in zip(Step.NAMES, Step.NAMES[1:], strict=False):
        assert rows[before].finished_at <= rows[after].started_at


@pytest.mark.django_db
def test_a_step_that_fails_after_one_that_ended_leaves_that_one_done(library, monkeypatch):
    # The end of "extract" is written with the start of "ocr": when "ocr" fails, or is
    # set aside after too many attempts, "extract" is still recorded as done.
    def broken(document):
        raise RuntimeError("the OCR engine is gone")

    monkeypatch.setattr(
        services, "STEPS", [(n, broken if n == "ocr" else f) for n, f in services.STEPS]
    )
    document = document_ingest(data=samples.text_pdf([MINUTES]), filename="a.pdf").document
    document = document_process(document=document)
    rows = {s.name: s for s in Step.objects.filter(document=document)}
    assert document.status == "failed" and "OCR engine is gone" in document.error
    assert rows["extract"].status == "done" and rows["extract"].output["pages"] == 1
    assert rows["ocr"].status == "failed" and rows["index"].status == "pending"

    monkeypatch.undo()
    other = document_ingest(data=samples.text_pdf([MINUTES + " Bis."]), filename="b.pdf").document
    Step.objects.create(
        document=other, name="ocr", status="running", attempts=services.MAX_ATTEMPTS
    )
    other = document_process(document=other)
    rows = {s.name: s for s in Step.objects.filter(document=other)}
    assert other.status == "failed" and "during step “ocr”" in other.error
    assert rows["extract"].status == "done" and rows["extract"].finished_at is not None
    assert rows["ocr"].status == "failed"
