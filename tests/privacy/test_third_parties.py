"""Pages ask nothing of third parties, and send headers that forbid it."""

import re

import pytest

PAGES = [
    "/",
    "/dispositifs/",
    "/dispositifs/soft-capteurs-sonores-a-tarentaize-beaubrun-couriot/",
    "/communes/42218/",
    "/departements/42/",
    "/organisations/serenicity/",
    "/technologies/",
    "/carte/",
    "/a-propos/donnees/",
    "/compte/login/",
    "/compte/inscription/",
]
ASSET = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"', re.I)


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_assets_only_from_this_site(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = ASSET.findall(html)
    assert assets, "no asset found: the pattern is broken"
    assert [a for a in assets if not a.startswith("/")] == []
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "<script>" not in html  # no inline script: the CSP would block it


def test_the_history_never_names_a_contributor_who_did_not_choose_to(client, contributor):
    from contrechamp.registry.services import deployment_create
    from tests.factories import deployment_data

    d = deployment_create(data=deployment_data(), author=contributor)
    html = client.get(f"/dispositifs/{d.slug}/historique/").content.decode()
    assert contributor.username not in html and contributor.email not in html
