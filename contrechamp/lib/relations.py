"""The relations that point at a model's rows, read from the model itself."""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from django.db.models import ForeignObjectRel, Model


def relations_to(model: Model | type[Model]) -> list[ForeignObjectRel]:
    """Every relation pointing at rows of `model` (foreign keys, one-to-one and
    many-to-many of other models, and its own): hidden ones too (`related_name="+"`: a
    request's body, a watch record), which `_meta.related_objects` leaves out. Read
    from the models, so a relation added later is found as well."""
    return [
        f for f in model._meta.get_fields(include_hidden=True) if isinstance(f, ForeignObjectRel)
    ]


def pointed_at(obj: Model, *, besides: Collection[type[Model]] = ()) -> bool:
    """Whether a row of another model points at `obj`, hidden relations included (rows
    of the models in `besides`, the object's own parts, do not count). A many-to-many
    is read through its model's relation, not its own table."""
    for relation in relations_to(obj):
        related = cast(type[Model], relation.related_model)
        if related in besides or related._meta.auto_created:
            continue
        if related._base_manager.filter(**{relation.field.name: obj}).exists():
            return True
    return False
