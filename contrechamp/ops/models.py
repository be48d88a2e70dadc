"""What the scheduler remembers between runs and across machines."""

from django.db import models


class PeriodicJob(models.Model):
    """The last slot of one periodic job that was queued.

    A job's time is cut into slots of its period (slot n runs from n × period after the
    epoch); `last_slot` holds the start of the last slot queued, in seconds since the
    epoch. A scheduler queues the job only by moving it forward with one conditional
    UPDATE, which one scheduler alone can win. Two schedulers, or one restarted ten times,
    queue each slot once; a period changed in settings keeps its job running."""

    name = models.CharField(max_length=100, unique=True)
    last_slot = models.BigIntegerField(default=-1)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}: slot {self.last_slot}"
