"""Personal data suggested for redaction, one kind at a time, and what must stay."""

import pytest

from contrechamp.redaction.detect import detect

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
