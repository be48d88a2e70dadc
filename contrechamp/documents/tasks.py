"""Background tasks of the library: take an id, return quietly if the row is gone."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from contrechamp.documents.models import Document


@task()
def document_process_task(document_id: int) -> str:
    """Process one document (resuming where a previous run stopped). Returns its status."""
    from contrechamp.documents.search import index_flush
    from contrechamp.documents.services import document_process

    document = Document.objects.filter(id=document_id).first()
    if document is None:
        return "gone"
    # The search index is committed once for the documents of a busy queue, when it is
    # empty (or the batch full or old enough, see search.document_index). The language
    # model stays loaded in the worker from one document to the next (lib/text.py).
    processed = document_process(document=document, batch_index=True)
    status = processed.status if processed.pk is not None else "gone"
    if not Document.objects.filter(status="queued").exists():
        index_flush()
    return status


@task()
def documents_resume_task() -> int:
    """Queue again the documents whose worker died or whose task was lost (a periodic job,
    see settings.PERIODIC_JOBS). Returns how many."""
    from contrechamp.documents.services import documents_resume

    # Every 10 minutes: the index commits lost in the last day (a worker reads the whole
    # library for them when it starts).
    return documents_resume(catch_up_since=timezone.now() - timedelta(days=1))


@task()
def partial_writes_sweep_task() -> int:
    """Remove the temporary files of writes a killed process left, and the files of
    documents deleted meanwhile (a periodic job, see settings.PERIODIC_JOBS). Returns how
    many."""
    from contrechamp.documents.files import orphan_files_sweep, partial_writes_sweep

    return partial_writes_sweep() + orphan_files_sweep()
