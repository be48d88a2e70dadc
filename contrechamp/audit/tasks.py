"""Background work of the audit log (the scheduler queues it)."""

from django_tasks import task

from contrechamp.audit.services import audit_seal


@task()
def seal() -> int:
    """Chain the entries a crash left unchained (PostgreSQL chains each entry just after
    its commit); returns how many."""
    return audit_seal()
