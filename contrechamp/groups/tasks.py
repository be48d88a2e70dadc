"""Background work of local groups (the scheduler queues it)."""

from django_tasks import task

from contrechamp.groups.invitations import invitations_purge


@task()
def invitations_purge_task() -> int:
    """Erase the addresses of expired invitations; delete those dead for a month."""
    return invitations_purge()
