"""What the scheduler remembers between runs and across machines."""

from django.db import models


class PeriodicJob(models.Model):
    """The last slot of one periodic job that was queued.

    A job's time is cut into slots of its period (slot n runs from n × period after the
    epoch); a scheduler queues the job only by moving `last_slot` forward with one
    conditional UPDATE, which one scheduler alone can win. Two schedulers, or one
    restarted ten times, queue each slot once."""

    name = models.CharField(max_length=100, unique=True)
    last_slot = models.BigIntegerField(default=-1)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}: slot {self.last_slot}"
