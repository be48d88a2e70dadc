"""Background work of subscriptions: the hourly pass of e-mail digests (the scheduler
queues it; `contrechamp subscriptions send` runs it by hand)."""

from django_tasks import task

from contrechamp.pages.subscriptions import digests_send, unconfirmed_purge


@task()
def digests() -> dict[str, int]:
    """Send the digests that are due, then delete the expired unconfirmed subscriptions."""
    counts = digests_send()
    counts["purged"] = unconfirmed_purge()
    return counts
