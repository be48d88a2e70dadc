"""The relations that point at a model's rows, read from the model itself."""

from __future__ import annotations

from django.db.models import ForeignObjectRel, Model


def relations_to(model: Model | type[Model]) -> list[ForeignObjectRel]:
    """Every relation pointing at rows of `model` (foreign keys, one-to-one and
    many-to-many of other models, and its own): hidden ones too (`related_name="+"`: a
    request's body, a watch record), which `_meta.related_objects` leaves out. Read
    from the models, so a relation added later is found as well."""
    return [
        f for f in model._meta.get_fields(include_hidden=True) if isinstance(f, ForeignObjectRel)
    ]
