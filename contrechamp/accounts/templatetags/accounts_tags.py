from typing import Any

from django import template

from contrechamp.accounts import models

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    """`{{ revision.author|display_name }}`: the person's public name, never an address."""
    return models.display_name(user)
