from typing import Any

from contrechamp.accounts.models import has_role


def may_read_audit_log(user: Any) -> bool:
    """The log (and its exports) names who did what from which network: administrators."""
    return has_role(user, "administrator")
