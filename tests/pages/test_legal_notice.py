"""The legal notice French law asks of a site (LCEN, article 6 III): publisher, director of
publication, host, from the settings; never blank where the instance gave nothing."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

FILLED = {
    "LEGAL_PUBLISHER": "Association Technopolice Agde, 1 rue de la Paix, 34300 Agde",
    "LEGAL_DIRECTOR": "Camille Martin",
    "LEGAL_HOST": "Hébergeur Coopératif SCIC, 2 rue du Port, 59000 Lille, 01 23 45 67 89",
}


def _get(path: str, language: str, client: Client | None = None) -> str:
    response = (client or Client()).get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, path
    return response.content.decode()


def test_every_page_links_the_legal_notice_in_both_languages():
    for language, title in [("fr", "Mentions légales"), ("en", "Legal notice")]:
        for path in ("/", "/confidentialite/", "/dispositifs/"):
            footer = _get(path, language).split("<footer", 1)[1]
            assert f'<a href="/mentions-legales/">{title}</a>' in footer, (language, path)
        assert f"<h1>{title}</h1>" in _get("/mentions-legales/", language)


@override_settings(LEGAL_PUBLISHER="", LEGAL_DIRECTOR="", LEGAL_HOST="", CONTACT_EMAIL="")
def test_an_instance_that_filled_nothing_says_so_in_both_languages():
    french = _get("/mentions-legales/", "fr")
    assert 'id="legal-missing"' in french
    assert "n’ont pas rempli ses mentions légales" in french
    assert "Éditeur, Directeur ou directrice de la publication, Hébergeur" in french
    english = _get("/mentions-legales/", "en")
    assert "have not filled in its legal notice" in english
    assert "Publisher, Director of publication, Host" in english
    for key in ("publisher", "director", "host"):
        assert f'<dd id="legal-{key}"><em>not given by this instance</em></dd>' in english
    # The settings' names are the administrator's business, not a visitor's.
    assert "LEGAL_PUBLISHER" not in english


@override_settings(LEGAL_PUBLISHER="", LEGAL_DIRECTOR="", LEGAL_HOST="")
def test_the_administrator_reads_which_settings_fill_it(client, administrator):
    client.force_login(administrator)
    html = _get("/mentions-legales/", "en", client)
    assert 'id="legal-settings"' in html and "LEGAL_DIRECTOR" in html


@override_settings(**FILLED, CONTACT_EMAIL="contact@technopolice.example")
def test_a_filled_notice_shows_each_party_and_nothing_missing():
    html = _get("/mentions-legales/", "en")
    assert 'id="legal-missing"' not in html
    assert 'lang="fr">Camille Martin</span>' in html
    assert "Association Technopolice Agde, 1 rue de la Paix, 34300 Agde" in html
    assert "Hébergeur Coopératif SCIC" in html
    assert 'href="mailto:contact@technopolice.example"' in html


@override_settings(LEGAL_PUBLISHER="Collectif", LEGAL_DIRECTOR="", LEGAL_HOST="")
def test_a_half_filled_notice_names_only_what_is_missing():
    html = _get("/mentions-legales/", "en")
    assert "Missing: Director of publication, Host." in html
    assert '<dd id="legal-publisher"><span lang="fr">Collectif</span></dd>' in html


@override_settings(LEGAL_HOST='<script>alert(1)</script> "Hôte"', LEGAL_DIRECTOR="x")
def test_a_setting_is_text_never_markup():
    html = _get("/mentions-legales/", "fr")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Hôte&quot;" in html
