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


# Names with particles (a new user's walk: "Mme Béatrice de Lavalette" was suggested as
# "Béatrice", and "Mme ▇ de Lavalette" published).


@pytest.mark.parametrize(
    "text, names",
    [
        ("Secrétaire de séance : Mme Béatrice de Lavalette.", ["Béatrice de Lavalette"]),
        ("Le courrier de M. Jean de La Fontaine est joint.", ["Jean de La Fontaine"]),
        ("Vu l'avis de Monsieur Joachim du Bellay, riverain.", ["Joachim du Bellay"]),
        ("Mme Anne d'Estienne d'Orves a signé.", ["Anne d'Estienne d'Orves"]),
        ("Mme Anne d’Estienne d’Orves a signé.", ["Anne d’Estienne d’Orves"]),
        ("M. Pierre de la Tour du Pin, riverain.", ["Pierre de la Tour du Pin"]),
        ("Madame Maëlle Le Goff, requérante.", ["Maëlle Le Goff"]),
        ("Dr Pieter Van der Berg a témoigné.", ["Pieter Van der Berg"]),
        (
            "M. Hans von Trapp et Mme Lucia di Lammermoor.",
            ["Hans von Trapp", "Lucia di Lammermoor"],
        ),
        ("M. Paulo da Silva, Mme Maria dos Santos.", ["Paulo da Silva", "Maria dos Santos"]),
        ("Mme Leïla Ben Ali, M. Angus Mac Gregor.", ["Leïla Ben Ali", "Angus Mac Gregor"]),
        ("Mlle Siobhan O'Neill, plaignante.", ["Siobhan O'Neill"]),
        ("Me Béatrice DE LAVALETTE, avocate.", ["Béatrice DE LAVALETTE"]),
        ("MME BÉATRICE DE LAVALETTE", ["BÉATRICE DE LAVALETTE"]),
        # A surname alone after a civility, its particle with it.
        ("La parole est à Mme de Lavalette.", ["de Lavalette"]),
        ("Monsieur du Bellay demande un vote.", ["du Bellay"]),
        ("Mme Le Goff répond.", ["Le Goff"]),
        # Lists after a plural civility.
        ("Présents : MM. Jean Dupont et Paul de Lavalette.", ["Jean Dupont", "Paul de Lavalette"]),
        (
            "Mmes Anne Martin, Claire du Bellay et Léa Le Goff.",
            ["Anne Martin", "Claire du Bellay", "Léa Le Goff"],
        ),
        # Without a civility, read by the language model.
        ("Béatrice de Lavalette a été désignée secrétaire de séance.", ["Béatrice de Lavalette"]),
        # A justified line cut after the first name (the Paris bulletin, BOVP 2019).
        ("en cas d'empêchement, M.  Jérôme \nPONCEYRI et « ... », adjoints", ["Jérôme \nPONCEYRI"]),
    ],
)
def test_a_name_is_taken_whole_with_its_particles(text, names):
    assert [name for _kind, name in found(text, "person")] == names


@pytest.mark.parametrize(
    "text, name",
    [
        ("Mme Dupont de la commune a écrit au maire.", "Dupont"),
        ("M. Martin du service urbanisme répond.", "Martin"),
        ("M. Martin du Service Urbanisme répond.", "Martin"),
        ("Mme Durand de la Direction des finances", "Durand"),
        ("M. DUPONT DE LA COMMUNE DE NICE", "DUPONT"),
        ("Mme Dupont, de la commune voisine, répond.", "Dupont"),
        ("Présidée par M. Dupont Le conseil approuve.", "Dupont"),
        ("Mme Claire Dubois la présidente de l'association", "Claire Dubois"),
    ],
)
def test_a_name_never_runs_into_the_words_after_it(text, name):
    assert found(text, "person") == [("person", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil municipal autorise le maire à signer la convention.",
        "Le conseil autorise Monsieur Le Maire à signer la convention.",
        "AUTORISE M. LE MAIRE À SIGNER LA CONVENTION",
        "Ampliation à M. le Préfet de la Région d'Ile-de-France et à Mme la Directrice de "
        "l'Information.",
        "Mme. le Maire de CHATEAUNEUF SUR LOIRE est autorisé à mettre en oeuvre le système.",
        "Signataire : La Présidente",
        "Contact : Service Urbanisme",
        "Bien cordialement,\nLe Maire\n",
        "Vu le rapport de Madame la Présidente, la séance est ouverte.",
        # Streets named after people are nobody's personal data.
        "75006;64111;Rue Monsieur Le Prince, rue Racine;croisement",
        "Avenue Jean Jaurès, sente des Dorées;croisement",
        "le carrefour rue de Lattre de Tassigny/Grande rue, le square du Général de Gaulle",
    ],
)
def test_a_title_or_a_common_noun_is_no_name(text):
    assert found(text, "person") == []


def test_a_name_spelt_like_a_title_after_a_first_name_is_still_a_name():
    # "Le Maire" is a surname too: after a first name, with its capitals, it is one.
    assert found("Lettre de M. Yann Le Maire, riverain.", "person") == [("person", "Yann Le Maire")]


def test_a_number_of_a_perimeter_is_no_house_number():
    # A real prefectoral act (Loiret, 2015): "Périmètre 2 Place Halle …".
    assert found("- Périmètre 2 Place Halle Saint-Pierre est délimité par :", "address") == []
    assert found("demeurant 2 place de la Halle, 45110 Châteauneuf-sur-Loire", "address")


@pytest.mark.parametrize(
    "text, name",
    [("Mme Anne BUREAU, riveraine, a écrit.", "Anne BUREAU"), ("Mme Bureau répond.", "Bureau")],
)
def test_a_surname_that_is_also_a_noun_is_still_a_name(text, name):
    # The words that end a name after "de la" ("Mme Dupont de la Commune") are surnames
    # too, right after a civility or a first name.
    assert found(text, "person") == [("person", name)]


def test_a_square_named_after_a_person_is_no_person_but_in_the_place_of_one_is():
    """ "la place Pierre Louis" is a square; "à la place de M. Dupont" still names him."""
    square = "La rue Jean-Guérin et la place Pierre Louis, où la caméra est installée."
    assert "Pierre Louis" not in {f.text for f in detect(square) if f.kind == "person"}
    instead = "Mme Martin a signé à la place de M. Dupont, absent."
    assert "Dupont" in " ".join(f.text for f in detect(instead) if f.kind == "person")


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil municipal, réuni sous la présidence de M. Gilles D'Ettore, Maire, a délibéré.",
        "Vu l'avis de M. Paul Henry, préfet de la Sarthe, en date du 3 mai.",
        "Mme Anne Roy, présidente du conseil départemental, a signé.",
    ],
)
def test_an_official_named_with_the_office_she_acts_in_is_not_suggested(text):
    """The review page says elected officials acting as such stay readable: the walk found
    "M. Gilles D'Ettore, Maire" suggested, and published redacted after "accept all"."""
    assert [f.text for f in detect(text) if f.kind == "person"] == []


def test_a_resident_or_a_deputy_is_still_suggested_beside_an_official():
    text = (
        "Mme Anne Roy, adjointe au chef du bureau, M. Paul Henry, habitant, et M. Luc Roux, "
        "vice-président, ont signé."
    )
    found = {f.text for f in detect(text) if f.kind == "person"}
    assert {"Anne Roy", "Paul Henry", "Luc Roux"} <= found


@pytest.mark.parametrize(
    "text",
    [
        "M. Jean Dupont, président de la République, a répondu.",
        "Mme Anne Roy, présidente du conseil\ndépartemental de la Sarthe, a signé.",
        "Mme Carole Delga, présidente de la Région Occitanie, a signé.",
        "M. Paul Henry, vice-président de la communauté de communes du Pays de Gex, a signé.",
        "M. Paul Henry, président de la métropole, a signé.",
        "M. Paul Henry, président de Rennes Métropole, a signé.",
        "M. Paul Henry, président du Grand Lyon, a signé.",
        "M. Paul Henry, président du syndicat mixte des eaux, a signé.",
        "Mme Anne Roy, présidente de la CNIL, a signé.",
        "Mme Anne Roy, présidente de la CADA, a signé.",
        "Mme Anne Roy, présidente du tribunal administratif de Nice, a jugé.",
        "M. Paul Henry, maire de Nice depuis 2008, a signé.",
    ],
)
def test_a_president_of_a_public_body_acting_as_such_is_not_suggested(text):
    assert found(text, "person") == []


@pytest.mark.parametrize(
    "text",
    [
        # Associations, clubs, collectives, co-ownerships, companies and unions have
        # private persons for presidents (hostile review 59).
        "M. Jean Dupont, président de l'association des riverains, a écrit.",
        "M. Jean Dupont, président du club de football, a écrit.",
        "M. Jean Dupont, présidente du collectif des locataires, a écrit.",
        "M. Jean Dupont, président du conseil syndical de la résidence, a écrit.",
        "M. Jean Dupont, président du conseil de quartier, a écrit.",
        "M. Jean Dupont, président du CA de l'association, a écrit.",
        "M. Jean Dupont, président de la SARL Vidéo Plus, a écrit.",
        "M. Jean Dupont, président du syndicat CGT des territoriaux, a écrit.",
        "M. Jean Dupont, président de la Fédération Métropole Sport, a écrit.",
        "M. Jean Dupont, président de Métropole Football Club, a écrit.",
        "M. Jean Dupont, président du département informatique, a écrit.",
        "M. Jean Dupont, président de la commission nationale d'arbitrage, a écrit.",
        # A deputy, whichever way round ("adjoint au maire" was suggested already).
        "M. Jean Dupont, premier maire-adjoint, a écrit.",
        "M. Jean Dupont, maire\u2011adjoint, a écrit.",
        "Mme Jeanne Dupont, maire adjointe, a écrit.",
        # An office held in the past.
        "M. Jean Dupont, maire jusqu'en 2020, habite ici.",
        "M. Jean Dupont, maire de Nice entre 1995 et 2001, habite ici.",
        "M. Jean Dupont, préfet de la Sarthe (2010-2014), habite ici.",
        "M. Jean Dupont, maire honoraire, habite ici.",
        "M. Jean Dupont, le maire de l'époque, habite ici.",
        "M. Jean Dupont, ancien maire, habite ici.",
        "M. Jean Dupont, ex-préfet, habite ici.",
    ],
)
def test_a_private_president_a_deputy_or_a_former_official_is_suggested(text):
    assert [t for _, t in found(text, "person") if t.endswith("Dupont")] != []


def test_the_surname_of_an_association_president_is_suggested_further_down():
    text = (
        "M. Jean Dupont, président de l'association des riverains, a écrit.\n"
        "Dupont demande le retrait des caméras."
    )
    assert [t for _, t in found(text, "person")] == ["Jean Dupont", "Dupont"]
