"""Where a deployment was made from, said by the apps above the registry: a tip a
reviewer made it from, for whoever may read that tip. The registry does not know those
apps; each registers a function when it starts (as the library's rule of quotes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from contrechamp.registry.models import Deployment

    Person = AbstractBaseUser | AnonymousUser

# (reader, deployment) -> [(label, address)], empty for a reader who may not know it
Origin = Callable[["Person", "Deployment"], list[tuple[str, str]]]

_origins: dict[str, Origin] = {}


def register(name: str, origin: Origin) -> None:
    _origins[name] = origin


def deployment_origins(reader: Person, deployment: Deployment) -> list[tuple[str, str]]:
    """What the deployment was made from, as `reader` may see it."""
    return [link for origin in _origins.values() for link in origin(reader, deployment)]
