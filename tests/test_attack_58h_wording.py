"""Walk 58h: lists and pages said "déployé · 2012" (since when? deployed in 2012?), said
nothing for a deployment of unknown start, and showed a source without address with no
word on why it had no link. Each test fails on the code before the fix."""

from __future__ import annotations

import pytest
from django.utils import translation

from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


def _source_html(html: str, number: int = 1) -> str:
    start = html.index(f'id="source-{number}"')
    return html[start : html.index("</li>", start)]


@pytest.mark.parametrize(
    ("status", "start", "end", "fr", "en"),
    [
        ("deployed", "2012", "", "depuis 2012", "since 2012"),
        ("deployed", "2012-03-04", "", "depuis le 4 mars 2012", "since 4 March 2012"),
        ("abandoned", "2012", "", "début\u00a0: 2012", "start: 2012"),
        ("deployed", "", "", "date de début inconnue", "start date unknown"),
        ("abandoned", "", "2018", "date de début inconnue – 2018", "start date unknown – 2018"),
        ("abandoned", "2017", "2018", "2017 – 2018", "2017 – 2018"),
    ],
)
def test_the_period_says_since_when(status, start, end, fr, en, reviewer, client):
    deployment = deployment_create(
        data=deployment_data(status=status, start_date=start, end_date=end), author=reviewer
    )
    with translation.override("fr"):
        assert deployment.period == fr
    with translation.override("en"):
        assert deployment.period == en
    # The list and the page show it after the status.
    page = client.get(deployment.get_absolute_url()).content.decode()
    listed = client.get("/dispositifs/").content.decode()
    assert f"· {fr}" in page and f"· {fr}" in listed


def test_a_source_without_address_says_why_it_has_no_link(reviewer, client):
    paper = {
        "source": {
            "title": "Délibération affichée",
            "publisher": "",
            "url": "",
            "published_on": "",
        },
        "quote": "",
        "locator": "",
        "accessed_on": None,
    }
    deployment = deployment_create(data=deployment_data(citations=[paper]), author=reviewer)
    html = _source_html(client.get(deployment.get_absolute_url()).content.decode())
    assert "<a " not in html and "sans adresse en ligne" in html
