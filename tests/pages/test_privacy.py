"""The privacy page (the walk of the thirty-fourth session found none, nor any address to
write to about one's data)."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_every_page_links_the_privacy_page_in_both_languages():
    for language, title, link in [
        ("fr", "Confidentialité", "Confidentialité"),
        ("en", "Privacy", "Privacy"),
    ]:
        home = Client().get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<a href="/confidentialite/">{link}</a>' in home.split("<footer", 1)[1]
        page = Client().get("/confidentialite/", HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        assert f"<h1>{title}</h1>" in page.content.decode()


def test_it_says_how_to_have_ones_data_back_or_removed():
    html = Client().get("/confidentialite/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/compte/mes-donnees.json"' in html
    assert "no IP address" in html and "CNIL" in html
    # No address set: said so, no empty mailto; the setting's name is the
    # administrator's business (a new user's walk read "(CONTACT_EMAIL)" as a visitor).
    assert "mailto:" not in html and "no contact address" in html
    assert "CONTACT_EMAIL" not in html
    # How long things are kept, as the page's first paragraph promises.
    for kept in ("until you delete it", "until a reviewer deletes it", "after a week"):
        assert kept in html, kept


def test_the_administrator_reads_which_setting_gives_the_address(client, administrator):
    client.force_login(administrator)
    html = client.get("/confidentialite/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="contact-setting"' in html and "CONTACT_EMAIL" in html


@override_settings(CONTACT_EMAIL="donnees@collectif.example")
def test_the_contact_address_is_given_where_people_look_for_it():
    for path in ["/confidentialite/", "/a-propos/donnees/"]:
        html = Client().get(path).content.decode()
        assert 'href="mailto:donnees@collectif.example"' in html, path
