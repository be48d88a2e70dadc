from typing import Any

from django import template

from contrechamp.audit import permissions

register = template.Library()


@register.filter
def may_read_audit_log(user: Any) -> bool:
    return permissions.may_read_audit_log(user)
