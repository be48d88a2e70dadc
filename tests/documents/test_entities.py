"""Entity suggestions: the hard cases one by one, and the quality floor on the corpus."""

import pytest

from contrechamp.documents.entities import (
    Context,
    detect_text,
    document_context,
    parse_amount,
)
from tests.documents.evaluation import CORPUS, HELD_OUT, evaluate, load

pytestmark = pytest.mark.django_db

# Precision and recall per kind reached on the whole corpus (35 documents) when this
# floor was set; the README shows the table. Raise them when the detector improves.
FLOOR = {
    "commune": (1.00, 1.00),
    "organisation": (1.00, 1.00),
    "technology": (1.00, 0.92),
    "funder": (1.00, 1.00),
    "amount": (1.00, 1.00),
    "date": (0.97, 1.00),
}


def found(text, kind=None, context=None):
    items = detect_text(text, context=context or document_context([text]))
    return {(f.kind, f.value) for f in items if kind is None or f.kind == kind}


def test_the_corpus_is_large_enough_and_well_formed():
    assert len(load(CORPUS)) + len(load(HELD_OUT)) >= 25
    assert sum(1 for _, expected, _ in load(CORPUS) if not expected) >= 2  # off-topic


def test_quality_does_not_drop_below_the_recorded_floor():
    scores = evaluate()
    for kind, (precision, recall) in FLOOR.items():
        assert round(scores[kind].precision, 2) >= precision, kind
        assert round(scores[kind].recall, 2) >= recall, kind


def test_a_common_word_or_a_person_is_not_a_commune():
    assert found("C'est une idée nice, vraiment.", "commune") == set()
    assert found("M. Albert Laval a présenté le rapport au conseil.", "commune") == set()
    assert found("It would be a nice idea; Nice weather tomorrow.", "commune") == set()
    assert found("La Ville de Marseille lance un appel d'offres.", "commune") == {
        ("commune", "13055")
    }


def test_homonyms_are_resolved_by_postal_code_department_or_context():
    assert found("Mairie, 26000 Valence", "commune") == {("commune", "26362")}
    assert found("La commune de Valence (82) vote le budget.", "commune") == {("commune", "82186")}
    in_charente = Context(departments={"16"})
    assert found("Le maire de Valence a signé.", "commune", in_charente) == {("commune", "16392")}


@pytest.mark.parametrize(
    "text, value",
    [
        ("un marché de 500 000 euros", "500000"),
        ("soit 1,2 M€ au total", "1200000"),
        ("pour 45 000 € HT", "45000"),
        ("un budget de 1,5 million d'euros", "1500000"),
        ("300 k€", "300000"),
        ("210.000 € HT", "210000"),
    ],
)
def test_amounts_are_normalised_to_euros(text, value):
    assert found(text, "amount") == {("amount", value)}


def test_parse_amount_rejects_nonsense():
    assert parse_amount("1,2,3", None, "€") is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("le 12 mars 2019", "2019-03-12"),
        ("le 1er juin 2023", "2023-06-01"),
        ("notifié le 30/09/2020", "2020-09-30"),
        ("Date: Wed, 20 Jan 2021 09:12:00", "2021-01-20"),
        ("au cours de l'année 2019", "2019"),
        ("en novembre 2023", "2023-11"),
    ],
)
def test_dates_are_iso(text, value):
    assert ("date", value) in found(text, "date")


def test_a_month_without_year_takes_the_year_of_the_text():
    text = "La délibération de 2019 prévoit une installation fin mars."
    assert ("date", "2019-03") in found(text, "date")


@pytest.mark.parametrize(
    "text, slug",
    [
        ("des caméras augmentées", "vsa"),
        ("la VSA", "vsa"),
        ("la vidéosurveillance algorithmique", "vsa"),
        ("des capteurs sonores", "detection-sonore"),
        ("la détection de bruits anormaux", "detection-sonore"),
        ("le système de vidéoprotection", "videosurveillance"),
        ("facial recognition cameras", "reconnaissance-faciale"),
        ("un drone de la police", "drones"),
        ("lecture automatisée des plaques", "lapi"),
    ],
)
def test_technologies_from_french_and_english_wording(text, slug):
    assert ("technology", slug) in found(text, "technology")


def test_algorithmic_surveillance_is_not_also_counted_as_plain_video_surveillance():
    assert found("la vidéosurveillance algorithmique", "technology") == {("technology", "vsa")}


def test_funding_bodies_are_funders_only_when_they_fund():
    assert ("funder", "ANRU") in found("L'ANRU apporte une subvention au projet.")
    assert ("funder", "ANRU") not in found("L'ANRU a visité le quartier.")
    assert ("funder", "FIPD") in found("Le FIPD est mentionné.")


def test_offsets_point_at_the_text():
    text = "Délibération : la commune de Saint-Étienne et la société Serenicity, 45 000 €."
    for item in detect_text(text, context=document_context([text])):
        assert text[item.start : item.end] == item.text


def values(text, kind):
    return {value for k, value in found(text, kind)}


@pytest.mark.parametrize(
    "text, value",
    [
        ("Arrêté du préfet des Alpes-Maritimes du 3 mai 2024.", "Préfecture des Alpes-Maritimes"),
        ("PRÉFET DE L'ORNE\nCabinet du préfet", "Préfecture de l'Orne"),
        ("PREFETDE L'ORNELibertéEgalité", "Préfecture de l'Orne"),
        ("PREFETDES BOUCHES-DU-RHONE", "Préfecture des Bouches-du-Rhône"),
        ("Le préfet de Seine-Maritime autorise les drones.", "Préfecture de la Seine-Maritime"),
        ("Vu le décret nommant le préfet de laDrôme;", "Préfecture de la Drôme"),
        ("la préfète du département des Alpes- Maritimes", "Préfecture des Alpes-Maritimes"),
        (
            "le préfet de police des Bouches du Rhône",
            "Préfecture de police des Bouches-du-Rhône",
        ),
        ("Le préfet de police a signé l'arrêté.", "Préfecture de police"),
        ("la préfecture de police de Paris", "Préfecture de police"),
        ("Administration Préfecture de l’Hérault", "Préfecture de l'Hérault"),
    ],
)
def test_prefectures_are_named_after_their_department(text, value):
    assert value in values(text, "organisation")


@pytest.mark.parametrize(
    "text",
    [
        "le sous-préfet de l'Orne a reçu les maires",
        "la préfète de police déléguée pour la défense",
        "le préfet de la zone de défense et de sécurité Sud",
        "les préfets ont pris des arrêtés",
        "Le préfet de l'Ainsi-dit",
    ],
)
def test_other_prefects_are_no_prefecture(text):
    assert not {v for v in values(text, "organisation") if v.startswith("Préfecture")}


@pytest.mark.parametrize(
    "text, value",
    [
        (
            "Le tribunal administratif de Nice a rejeté la requête.",
            "Tribunal administratif de Nice",
        ),
        ("Le TA de Grenoble a annulé la décision.", "Tribunal administratif de Grenoble"),
        ("TRIBUNAL ADMINISTRATIF DE MARSEILLE", "Tribunal administratif de Marseille"),
        ("le tribunal administratif de la ville de Rouen", "Tribunal administratif de Rouen"),
        ("la CAA de Douai", "Cour administrative d'appel de Douai"),
        ("la cour administrative d’appel de Lyon", "Cour administrative d'appel de Lyon"),
        ("le tribunal judiciaire de Paris", "Tribunal judiciaire de Paris"),
        (
            "CHAMBRE REGIONALE DES COMPTES DE PROVENCE-ALPES-COTE D'AZUR",
            "Chambre régionale des comptes Provence-Alpes-Côte d'Azur",
        ),
        ("la CRC PACA", "Chambre régionale des comptes Provence-Alpes-Côte d'Azur"),
        ("Le Conseil constitutionnel a censuré", "Conseil constitutionnel"),
        ("la COUR DES COMPTES relève", "Cour des comptes"),
        ("selon la Cour de cassation", "Cour de cassation"),
        ("le Conseil d'Etat a jugé", "Conseil d'État"),
    ],
)
def test_courts_and_audit_chambers(text, value):
    assert value in values(text, "organisation")


def test_a_city_inside_a_court_name_is_not_a_commune():
    text = "Le tribunal administratif de Nice a rejeté la requête de la Ligue."
    assert values(text, "commune") == set()
    assert values("le tribunal administratif de la Haute-Garonne", "organisation") == set()


@pytest.mark.parametrize(
    "text, value",
    [
        ("La Cnil a rendu son avis.", "CNIL"),
        ("la Cada a été saisie", "CADA"),
        ("le logiciel d'Any Vision", "Anyvision"),
        ("LQDN a déposé un recours", "La Quadrature du Net"),
        ("juriste à la Quadrature.", "La Quadrature du Net"),
        ("la Ligue des droits de l’homme et la LDH", "Ligue des droits de l'Homme"),
        ("le syndicat des avocats de France", "Syndicat des avocats de France"),
        ("l'ADELICO", "Association de défense des libertés constitutionnelles"),
        ("une brochure de l’AN2V", "AN2V"),
        ("M. le ministre de l'intérieur", "Ministère de l'Intérieur"),
        ("Ineo Digital, filiale du groupe Engie", "Engie Ineo"),
        ("les caméras Cisco", "Cisco"),
        ("la société Orange", "Orange"),
        ("le réseau « Voisins Vigilants »", "Voisins Vigilants"),
    ],
)
def test_bodies_associations_and_vendors_in_their_usual_spellings(text, value):
    assert value in values(text, "organisation")


@pytest.mark.parametrize(
    "text",
    [
        "Il mange une orange et du safran.",
        "des voisins vigilants dans le quartier",
        "la quadrature du cercle",
        "la société X et les sociétés X et X",
        "Maître X, conseil de la société X, a saisi la commission.",
    ],
)
def test_common_words_and_anonymised_parties_are_no_organisation(text):
    assert values(text, "organisation") == set()


@pytest.mark.parametrize(
    "text, value",
    [
        ("la décision délivrée à la société Chausséa.", "Chausséa"),
        ("à la société SAS MC Donald's Pole Sud (dossier 2011-0085)", "MC Donald's Pole Sud"),
        ("l'entreprise « Acmevision » a installé", "Acmevision"),
        ("le marché attribué à SARL Vidéo Sud Services.", "Vidéo Sud Services"),
    ],
)
def test_companies_after_a_cue_or_a_legal_form(text, value):
    assert value in values(text, "organisation")


@pytest.mark.parametrize(
    "text, value",
    [
        ("une 2ème de la Région AURA (subvention accordée)", "Région Auvergne-Rhône-Alpes"),
        ("La Région Sud finance 40 % du projet.", "Région Provence-Alpes-Côte d'Azur"),
        (
            "Le Département des Alpes-Maritimes finance les caméras à hauteur de 30 %.",
            "Département des Alpes-Maritimes",
        ),
        ("un projet financé par l'Union européenne", "Union européenne"),
        ("au titre du Programme d'investissements d'avenir", "PIA"),
        ("les crédits du plan de relance", "Plan de relance"),
        ("l'ANRU qui finance le projet à hauteur de 30.000 euros", "ANRU"),
    ],
)
def test_funders_in_their_usual_names(text, value):
    assert value in values(text, "funder")


def test_regions_departments_and_the_union_fund_only_when_the_sentence_says_so():
    text = "Les communes du département du Loiret demandent une aide financière à l'État."
    assert values(text, "funder") == set()
    assert values("L'Union européenne a adopté le règlement.", "funder") == set()
    text = "La Région Sud finance 40 % du projet."
    assert values(text, "organisation") == set()


@pytest.mark.parametrize(
    "text, value",
    [
        ("le rapport du ministre de l'intérieur et des outre-mer", "Ministère de l'Intérieur"),
        ("sur le site du ministère des finances.", "Ministère des Finances"),
        ("le ministère de la Justice a répondu", "Ministère de la Justice"),
        ("la préfecture de police de Marseille", "Préfecture de police des Bouches-du-Rhône"),
        ("les préfectures de police de Paris et Marseille", "Préfecture de police"),
        (
            "les préfectures de police de Paris et de Marseille",
            "Préfecture de police des Bouches-du-Rhône",
        ),
        ("l'Union syndicale Solidaires", "Union syndicale Solidaires"),
    ],
)
def test_ministries_and_prefectures_of_police_after_their_city(text, value):
    assert value in values(text, "organisation")


def test_a_minister_without_a_ministry_is_none():
    assert values("La Première ministre, Sur le rapport", "organisation") == set()
    assert values("le ministère public a requis", "organisation") == set()
    assert values("des associations solidaires", "organisation") == set()
