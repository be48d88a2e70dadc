"""Hostile review 55b: a form full of unknown commune names. Each name close to an
unknown one costs a comparison with hundreds of communes' names; a form may hold
thousands: the names are looked for the first few unknown ones only (the speed itself is
measured in benchmarks, not here)."""

import pytest

from contrechamp.places.models import Commune
from contrechamp.registry.forms import parse_communes

pytestmark = pytest.mark.django_db


def test_names_close_to_unknown_ones_are_looked_for_a_few_times_only(monkeypatch):
    calls = []
    original = type(Commune.objects).named_like

    def counting(self, key, limit=3):
        calls.append(key)
        return original(self, key, limit)

    monkeypatch.setattr(type(Commune.objects), "named_like", counting)
    names = "; ".join(f"Saint-Xqz{i:03d}" for i in range(300))
    codes, errors = parse_communes(names)
    assert codes == [] and len(errors) == 300
    assert len(calls) == 3


def test_a_huge_name_is_not_compared_at_all():
    assert Commune.objects.named_like("s" * 5000) == []
    assert Commune.objects.named_like("villeurbane") != []
