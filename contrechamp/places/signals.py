"""Signals the places app sends for apps above it."""

from django.dispatch import Signal

# A commune merged into another since it was loaded has just been folded into it
# (`places.services.former_communes_fold`), inside the load's transaction, after every
# relation to its row moved. Arguments: `former` (its code), `name` (its name),
# `current` (the Commune it is part of now). For what names a commune by its code or its
# name rather than by a foreign key (a subscription's key, a town hall's name): each
# receiver returns what it changed, {"app.Model.field": rows}.
commune_folded = Signal()
