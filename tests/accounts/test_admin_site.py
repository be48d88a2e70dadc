"""The admin site an administrator meets (the walk of the thirty-fourth session): it was
"Administration de Django", half its models were named in English on French pages
("Public bodies", "Letter templates", "Profiles", "Entities", "Proposals"), one was
"Demandes d'accès aux documentss", and its list of profiles showed "-" for every account
without a display name, so nobody could tell whose role they changed."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_index_is_named_and_french(client, administrator):
    client.force_login(administrator)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Administration de Contrechamp" in html
    assert "Django" not in re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1])
    assert "documentss" not in html
    for name in [
        "Demandes d’accès aux documents",
        "Organismes publics",
        "Modèles de lettres",
        "Profils",
        "Entités",
        "Propositions",
        "Organisations",
        "Sources",
    ]:
        assert f">{name}<" in html, name
    for english in ["Public bodies", "Letter templates", "Profiles", "Entities", "Proposals"]:
        assert f">{english}<" not in html, english


def test_the_profiles_list_names_each_account(client, administrator, contributor):
    client.force_login(administrator)
    html = client.get("/admin/accounts/profile/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert contributor.username in html and contributor.email in html
    found = client.get(
        "/admin/accounts/profile/", {"q": contributor.email}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert (
        contributor.username in found
        and administrator.username not in found.split('id="result_list"', 1)[1]
    )
