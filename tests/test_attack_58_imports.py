"""Hostile review 58: the Paris camera list importer (`registry import paris-cameras`).

Each test fails on the code it was written against."""

from __future__ import annotations

import pytest
from django.db import connection

from contrechamp.registry.figures import commune_cameras, latest_counts
from contrechamp.registry.imports import ImportRefused, paris_cameras_import
from contrechamp.registry.models import CameraCount
from tests.registry.test_imports import HEADER, annexe

pytestmark = pytest.mark.django_db


def _annexe_2_heavy_in_the_1st() -> bytes:
    """Annexe 2 (890 cameras) as its distribution may well be: not the same as annexe
    1's. Here the 1st arrondissement has 100 of its cameras (annexe 1: 70), the other
    790 spread over the 19 others (41 or 42 each, fewer than annexe 1's 69 or 70)."""
    rows = [HEADER]
    for i in range(100):
        rows.append(f"75001;{20000 + i};Rue {i};;;;croisement;x")
    for i in range(790):
        code = 75002 + i % 19
        rows.append(f"{code};{30000 + i};Rue {i};;;;croisement;x")
    assert len(rows) == 891
    return annexe(rows)


def _both_annexes_offered() -> None:
    """The operator imports annexe 1, then annexe 2: the second is refused, whole."""
    paris_cameras_import(data=annexe())  # annexe 1: 1,391, 70 in the 1st
    with pytest.raises(ImportRefused) as refused:
        paris_cameras_import(data=_annexe_2_heavy_in_the_1st())
    assert "annexe 1" in str(refused.value)
    assert not CameraCount.all_objects.filter(perimeter__contains="annexe 2").exists()


def test_paris_figure_is_one_annexe_s_not_a_mix_of_both():
    """An operator imports both annexes of the arrêté, as the command's help offered
    (each was "its own perimeter"). Both are dated 2019-02-01; per arrondissement the
    larger count won the tie (`latest_counts`), so the 1st took annexe 2's 100 and
    the 19 others annexe 1's counts: Paris was published as 1,421 cameras, a figure of
    neither annexe (1,391 and 890) nor of both (2,281), cited to the bulletin that
    says no such thing. (The second annexe is now refused: the two lists share many
    cameras.)"""
    _both_annexes_offered()
    paris = next(f for f in commune_cameras() if f.commune.code == "75056")
    assert paris.count in (1391, 2281), (
        f"Paris is published with {paris.count} cameras: a sum mixing annexe 1's and "
        "annexe 2's counts, the figure of no source"
    )


def test_the_arrondissements_latest_counts_keep_one_perimeter():
    """The same import, read through the rows every figure and page start from
    (`latest_counts`): the 1st arrondissement's was annexe 2's, its 19 neighbours'
    annexe 1's, all "the count of 1 February 2019"."""
    _both_annexes_offered()
    rows = latest_counts().filter(commune__code__startswith="751")
    perimeters = {row.commune.code: row.perimeter for row in rows}
    assert len(set(perimeters.values())) == 1, (
        "the arrondissements' latest counts mix the two annexes: "
        f"75101 {perimeters['75101'][-40:]!r}, 75102 {perimeters['75102'][-40:]!r}"
    )


def test_annexe_1_after_annexe_2_is_refused_too():
    """The other order: annexe 2 first (its 100 in the 1st), then annexe 1 (70 there, and
    more than annexe 2's everywhere else) made the same mix. Refused; Paris stays 890."""
    paris_cameras_import(data=_annexe_2_heavy_in_the_1st())
    with pytest.raises(ImportRefused, match="annexe 2"):
        paris_cameras_import(data=annexe())
    paris = next(f for f in commune_cameras() if f.commune.code == "75056")
    assert (paris.count, paris.parts) == (890, 20)


def test_two_imports_at_once_wait_for_each_other(monkeypatch):
    """Two operators (or a retried job) import at the same time on PostgreSQL: each read
    "nothing recorded yet" in its own transaction before the other committed, and both
    wrote (the same annexe twice, or both annexes). The import must lock Paris's rows
    before it reads what is recorded. SQLite has no row locks, so the SQL is read: a
    `FOR UPDATE` on the places before the first read of the camera counts."""
    monkeypatch.setattr(connection.features, "has_select_for_update", True)
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        # SQLite does not know the clause: recorded, then run without it.
        return execute(sql.replace(" FOR UPDATE", ""), params, many, context)

    with connection.execute_wrapper(record):
        paris_cameras_import(data=annexe())
    counts_read = next(
        i for i, sql in enumerate(statements) if 'FROM "registry_cameracount"' in sql
    )
    locks = [
        sql
        for sql in statements[:counts_read]
        if sql.endswith("FOR UPDATE") and 'FROM "places_commune"' in sql
    ]
    assert locks, "the import reads the recorded counts before it locks anything"
