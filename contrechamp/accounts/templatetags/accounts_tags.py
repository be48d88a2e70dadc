from typing import Any

from django import template

from contrechamp.accounts import models, twofactor

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    """`{{ revision.author|display_name }}`: the person's public name, never an address."""
    return models.display_name(user)


@register.filter
def second_factor_pending(user: Any) -> bool:
    """`{% if user|second_factor_pending %}`: signed in, but the second factor this
    person's role requires is not entered yet (every page but its own leads back to it,
    so the header offers none of them: a walk followed "Modération" there)."""
    return not twofactor.is_verified(user) and twofactor.requires_two_factor(user)
