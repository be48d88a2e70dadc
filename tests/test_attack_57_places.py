"""Hostile review 57: places and their figures.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pytest
from django.test import Client

from contrechamp.places.models import Commune
from contrechamp.registry.services import camera_count_create

pytestmark = pytest.mark.django_db

CITATION = [
    {
        "source": {
            "title": "Rapport d'activité",
            "publisher": "Mairie",
            "url": "https://example.org/rapport",
            "published_on": "2024",
        },
        "quote": "",
        "locator": "",
        "accessed_on": "",
    }
]


def test_a_count_for_a_commune_of_no_inhabitant_does_not_break_every_small_communes_page(
    contributor,
):
    """The official list holds six communes of population 0, the villages of the Meuse
    "morts pour la France" (Fleury-devant-Douaumont, 55189, has the Douaumont memorial
    and its car parks). A trusted contributor records a camera count there. From then
    on `commune_figures` ranks every commune of fewer than 10,000 inhabitants that has
    a figure against its peers with `c.count * 1000 / c.commune.population`, and 0 is in
    the band [0, 10,000): ZeroDivisionError, a 500 on the page of every such commune
    with a count (a village's page, the most common place page of all)."""
    fleury = Commune.objects.get(code="55189")
    assert fleury.population == 0
    village = (
        Commune.objects.filter(kind="commune", population__gt=1000, population__lt=5000)
        .exclude(code="55189")
        .order_by("code")
        .first()
    )
    camera_count_create(
        commune_code=fleury.code, count=4, date="2024", citations=CITATION, author=contributor
    )
    camera_count_create(
        commune_code=village.code, count=12, date="2024", citations=CITATION, author=contributor
    )
    client = Client(raise_request_exception=False)
    response = client.get(f"/communes/{village.code}/")
    assert response.status_code == 200
    # The page of the memorial's commune itself reads, and says no figure per inhabitant.
    assert client.get(f"/communes/{fleury.code}/").status_code == 200


def test_the_national_camera_count_does_not_add_an_arrondissement_to_its_city():
    """Paris publishes its cameras per arrondissement (the prefecture's list) as well
    as for the city. The demo holds 1,000 cameras for Paris (75056); a contributor adds
    the 1st arrondissement's 50 (75101, a municipal arrondissement, part of Paris). The
    home page's "Cameras counted" sums the latest figure of every row of the communes'
    table, arrondissements included: 50 cameras counted twice, and "in 3 communes" for
    two. (Lyon's and Marseille's arrondissements alike.)"""
    from contrechamp.registry.figures import national_figures

    before = national_figures()
    paris_first = Commune.objects.get(code="75101")
    assert paris_first.kind == "arrondissement" and paris_first.parent.code == "75056"
    camera_count_create(
        commune_code="75101", count=50, date="2018", citations=CITATION, author=None
    )
    after = national_figures()
    assert after["communes_counted"] == before["communes_counted"]
    assert after["cameras_counted"] == before["cameras_counted"]


def test_a_camera_count_dated_in_the_future_is_refused(contributor):
    """A count is an observation: "2042" typed for "2024" is accepted (any year up to
    2100), and since the latest figure is the one with the largest date, it is the
    commune's figure -- on its page, its density, its rank, the national total and its
    "latest figure: 2042" -- until 2042, whatever real counts are added meanwhile."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        camera_count_create(
            commune_code="06088", count=5, date="2042", citations=CITATION, author=contributor
        )
