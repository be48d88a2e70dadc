"""French elision before a name: "Membres d’Agde Sous Surveillance", never "de Agde",
on pages and in e-mails; English untouched; the name stays escaped."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from contrechamp.groups import services
from contrechamp.places.models import Commune
from tests.groups.conftest import client_for


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Agde", "d’Agde"),
        ("Orléans", "d’Orléans"),
        ("Île-de-France", "d’Île-de-France"),
        ("avril 2024", "d’avril 2024"),
        ("août 2023", "d’août 2023"),
        ("Yvetot", "d’Yvetot"),
        ("Hyères", "d’Hyères"),
        ("Lyon", "de Lyon"),
        ("Yerres", "de Yerres"),
        ("Haguenau", "de Haguenau"),
        ("2024", "de 2024"),
        ("Le Havre", "du Havre"),
        ("Les Mureaux", "des Mureaux"),
        ("La Rochelle", "de La Rochelle"),
    ],
)
def test_french_writes_de_before_a_name_as_it_should(name, expected):
    from contrechamp.lib.typography import french_of

    assert french_of(name) == expected


def test_only_the_de_before_the_name_changes_and_escaping_holds():
    from contrechamp.lib.typography import elided

    with translation.override("fr"):
        assert elided("Membres de Agde", "Agde") == "Membres d’Agde"
        # A "de" elsewhere in the sentence, or inside another word, is left alone.
        assert elided("Liste de Agde Ouest", "Agde Ouest") == "Liste d’Agde Ouest"
        assert elided("Agenda de Lyon", "Lyon") == "Agenda de Lyon"
        assert elided("Garde de Agde", "Agde") == "Garde d’Agde"
        assert elided("De Agde à Sète", "Agde") == "D’Agde à Sète"
        safe = elided(mark_safe("Membres de Élus &amp; &lt;b&gt;"), "Élus & <b>")
        assert isinstance(safe, SafeString) and safe == "Membres d’Élus &amp; &lt;b&gt;"
    with translation.override("en"):
        assert elided("Members of Agde", "Agde") == "Members of Agde"


@pytest.fixture
def agde_group(contributor):
    return services.group_create(
        creator=contributor,
        name="Agde Sous Surveillance",
        communes=[Commune.objects.get(code="34003")],
    )


def test_the_members_page_elides_in_french(agde_group, contributor):
    client = client_for(Client, contributor)
    url = reverse("group-members", args=[agde_group.slug])
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Membres d’Agde Sous Surveillance</h1>" in french
    assert "Membres d’Agde Sous Surveillance" in french.split("<title>", 1)[1]
    assert "de Agde" not in french
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Members of Agde Sous Surveillance</h1>" in english


def test_the_welcome_e_mail_elides_in_french(
    agde_group, contributor, newcomer, mailoutbox, django_capture_on_commit_callbacks
):
    membership = services.membership_request(group=agde_group, user=newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(membership=membership, by=contributor)
    assert mailoutbox[-1].subject == "Vous êtes membre d’Agde Sous Surveillance"


def test_the_document_filter_names_the_commune_with_elision(db):
    """ "Allier" reads as the department, and the commune of that name is offered."""
    html = Client().get("/documents/?place=Allier", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "La commune d’Allier (65" in html and "de Allier" not in html
