"""Housekeeping of the task queue itself."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

# How long a finished task's row stays in the queue's table: enough to read why a task
# failed last week, not a record of every task ever run.
TASK_RESULTS_KEPT = timedelta(days=7)


@task()
def task_results_prune() -> int:
    """Delete the rows of tasks finished more than TASK_RESULTS_KEPT ago (a periodic job,
    see settings.PERIODIC_JOBS; nothing else ever deleted them). Returns how many."""
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.filter(
        finished_at__isnull=False, finished_at__lt=timezone.now() - TASK_RESULTS_KEPT
    )
    deleted, _by_model = finished.delete()
    return deleted
