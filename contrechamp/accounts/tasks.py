"""Background work of accounts (the scheduler queues it)."""

from django_tasks import task

from contrechamp.accounts.services import unconfirmed_purge


@task()
def unconfirmed_purge_task() -> int:
    """Delete the sign-ups never confirmed within their link's lifetime."""
    return unconfirmed_purge()
