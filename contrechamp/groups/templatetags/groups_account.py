"""What the account page says of its groups before the account is deleted (the accounts
app sits below the groups and does not read them)."""

from typing import Any

from django import template

from contrechamp.groups.services import groups_after_deletion

register = template.Library()


@register.inclusion_tag("groups/_account_deletion.html")
def groups_on_deletion(user: Any) -> dict[str, Any]:
    closed, handed = groups_after_deletion(user)
    return {"closed": closed, "handed": handed}
