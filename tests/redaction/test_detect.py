"""Personal data suggested for redaction, one kind at a time, and what must stay."""

import pytest

from contrechamp.lib.personal import detect

pytestmark = pytest.mark.django_db


def found(text, kind=None, **options):
    return [(f.kind, f.text) for f in detect(text, **options) if kind in (None, f.kind)]


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "04 77 48 77 48",
        "+44 20 7946 0958",
        "+1 415 555 0132",
    ],
)
def test_phone_numbers_in_french_and_international_formats(text):
    assert found(f"Joignable au {text} en semaine.", "phone") == [("phone", text)]


def test_numbers_that_are_not_phones_are_left_alone():
    text = "Délibération n° 2019-123 du 12/03/2019, SIRET 123 456 789 00012, 45 000 euros."
    assert found(text, "phone") == []


@pytest.mark.parametrize(
    "text",
    [
        "claire.dubois@saint-etienne.fr",
        "c.dubois+cada@example.org",
        "claire.dubois (at) mairie-nice.fr",
    ],
)
def test_email_addresses_even_obfuscated(text):
    assert found(f"Écrire à {text} avant lundi.", "email") == [("email", text)]


def test_iban_only_when_the_checksum_is_valid():
    assert found("IBAN : FR76 3000 6000 0112 3456 7890 189", "iban") == [
        ("iban", "FR76 3000 6000 0112 3456 7890 189")
    ]
    assert found("IBAN : FR76 3000 6000 0112 3456 7890 188", "iban") == []


def test_addresses_plates_and_persons():
    text = (
        "Affaire suivie par : Mme Claire Dubois\n"
        "Monsieur Jean Martin, demeurant 12 rue des Lilas, 42000 Saint-Étienne, a signalé "
        "le véhicule AB-123-CD.\n\nCordialement,\nPaul Lefèvre\n"
    )
    assert found(text) == [
        ("person", "Claire Dubois"),
        ("person", "Jean Martin"),
        ("address", "12 rue des Lilas, 42000 Saint-Étienne"),
        ("plate", "AB-123-CD"),
        ("person", "Paul Lefèvre"),
    ]


def test_public_figures_stay_readable():
    text = "Le maire, M. Gaël Perdriau, répond à Mme Claire Dubois."
    assert found(text, "person", public=["Gaël Perdriau"]) == [("person", "Claire Dubois")]


def test_the_email_wins_over_the_name_inside_it():
    assert found("Contact : jean.martin@example.org", None) == [
        ("email", "jean.martin@example.org")
    ]


# Mistakes met on real texts (issue 11).


@pytest.mark.parametrize(
    "text",
    [
        "Arrêté n° 26-2025-040 du 3 mars 2025 portant autorisation de vidéoprotection.",
        "Actes 06-2025-112 et 2024-06-178, notifiés le 12/06/2024.",
        "Voir https://www.departement06.fr/actes/2025/0412345678-arrete.pdf pour l'acte.",
        "Source : www.nice.fr/fr/securite/0493134000 (consulté le 3 mars).",
        "https://deliberations.ville-nice.fr/2025/04-03/26-2025-040.pdf",
    ],
)
def test_act_numbers_and_web_addresses_are_not_phone_numbers(text):
    assert found(text, "phone") == []


def test_a_phone_number_next_to_a_web_address_is_still_found():
    text = "Plus d'informations sur https://www.nice.fr/carnaval ou au 04 93 13 40 00."
    assert found(text, "phone") == [("phone", "04 93 13 40 00")]


@pytest.mark.parametrize(
    "text",
    [
        "Publié sur Instagram par @nice_carnaval. La ville répond.",
        "Suivez @nice.carnaval sur les réseaux sociaux.",
        "Le compte @ville_de_nice.officiel a relayé l'annonce.",
    ],
)
def test_social_media_handles_are_not_email_addresses(text):
    assert found(text, "email") == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("Maître Jean-Baptiste Lemoine, avocat au barreau de Nice.", "Jean-Baptiste Lemoine"),
        # Text extracted from PDFs: non-breaking hyphen, non-breaking spaces.
        (
            "Maître Jean\u2011Baptiste Lemoine, avocat au barreau de Nice.",
            "Jean\u2011Baptiste Lemoine",
        ),
        ("Maître Jean-Baptiste\u00a0Lemoine, avocat.", "Jean-Baptiste\u00a0Lemoine"),
        (
            "Me Sophie Durand\u2011Vasseur, avocate, a déposé un recours.",
            "Sophie Durand\u2011Vasseur",
        ),
        ("Me Sophie\u202fDurand-Vasseur, avocate", "Sophie\u202fDurand-Vasseur"),
        ("Maitre Jean-Baptiste Lemoine (sans accent, lu par OCR).", "Jean-Baptiste Lemoine"),
    ],
)
def test_a_lawyers_whole_name_is_found(text, name):
    assert found(text, "person") == [("person", name)]


def test_a_name_cut_by_a_hyphen_at_the_end_of_a_line_is_found_whole():
    text = "représentée par Me Sophie Durand-\nVasseur, avocate au barreau de Nice."
    assert found(text, "person") == [("person", "Sophie Durand-\nVasseur")]


@pytest.mark.parametrize(
    "title, expected",
    [
        (
            "RE: Plainte de Mme Claire Fontaine - caméra rue Pasteur",
            [("person", "Claire Fontaine")],
        ),
        ("Fwd: réponse à jean.dupont@gmail.com", [("email", "jean.dupont@gmail.com")]),
        ("signalement 06 12 34 56 78 quartier Bellevue", [("phone", "06 12 34 56 78")]),
        ("Délibération 26-2025-040 vidéoprotection", []),
    ],
)
def test_titles_are_read_like_pages(title, expected):
    assert found(title) == expected


def test_an_address_with_a_stray_space_before_the_at_sign_is_still_found():
    # OCR and hasty typing put a space there; a handle has no dotted name before it.
    assert found("Écrire à jean.dupont @mairie-nice.fr demain.", "email") == [
        ("email", "jean.dupont @mairie-nice.fr")
    ]
