from typing import Any

from contrechamp.accounts.models import has_role


def may_read_periodic_jobs(user: Any) -> bool:
    """Whether the jobs ran, and why one failed, is the administrators' to read: they
    run the scheduler and the worker, and the errors speak of the site's insides."""
    return has_role(user, "administrator")
