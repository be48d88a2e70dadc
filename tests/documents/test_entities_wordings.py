"""Technologies as legal texts and the press name them, and amounts as they are written
(the kinds of misses the real corpus showed; these sentences are written for the test)."""

import pytest

from contrechamp.documents.entities import detect_text, document_context, parse_amount

pytestmark = pytest.mark.django_db


def technologies(text):
    found = detect_text(text, context=document_context([text]))
    return {f.value for f in found if f.kind == "technology"}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        (
            "Arrêté autorisant la captation d'images au moyen de caméras installées sur des "
            "aéronefs sur la commune de Drap.",
            "drones",
        ),
        ("L'usage de dispositifs de captation d'images par voie aéroportée est encadré.", "drones"),
        ("Le recours à des traitements algorithmiques sur les images est expérimenté.", "vsa"),
        ("Des caméras reliées à une intelligence artificielle surveillent la place.", "vsa"),
        ("La ville achète des lecteurs automatiques de plaques pour ses entrées.", "lapi"),
        ("Le système L.A.P.I. sera déployé au printemps.", "lapi"),
        ("Les caméras permettent la lecture des plaques minéralogiques.", "lapi"),
        ("Le nouvel hyperviseur regroupe les alarmes de la ville.", "hypervision"),
        ("Le centre urbain de supervision ouvrira en mars.", "hypervision"),
        (
            "Une application de dénonciation citoyenne a été lancée par la mairie.",
            "application-signalement",
        ),
        ("La ville va installer une cinquantaine de micros dans un quartier.", "detection-sonore"),
        (
            "Un logiciel pour détecter des émotions chez les voyageurs du tramway.",
            "reconnaissance-emotions",
        ),
        ("Les technologies de reconnaissance biométrique inquiètent.", "biometrie"),
        (
            "Les gendarmes scannent des milliers de messages sur les réseaux sociaux.",
            "surveillance-reseaux-sociaux",
        ),
        ("Douze caméras filment désormais la place du marché.", "videosurveillance"),
        ("Il y aura des caméras à lecture de plaque aux entrées.", "lapi"),
        ("Il peut suivre un véhicule à l’aide de sa plaque d’immatriculation.", "lapi"),
        ("Le maire a décrit l’usage du logiciel BriefCam.", "vsa"),
        # An apostrophe with no space after it, as most texts write it.
        ("Un logiciel d'analyse d'images est testé.", "vsa"),
        ("Une appli pour signaler les dégradations à la mairie.", "application-signalement"),
        ("Des dispositifs permettant la détection automatisée des bruits.", "detection-sonore"),
        ("La commune doit cesser la surveillance des sons de la rue.", "detection-sonore"),
        ("Le centre de pilotage connecté a été inauguré en avril.", "hypervision"),
        ("Le préfet a visité le Centre de protection urbain de la Ville.", "hypervision"),
        (
            "Un recoupement avec le fichier automatisé des empreintes digitales.",
            "fichiers-police",
        ),
        ("Les images sont comparées au FAED.", "fichiers-police"),
        ("La ville lance une appli citoyenne de signalement.", "application-signalement"),
    ],
)
def test_a_technology_in_its_legal_or_press_wording(text, slug):
    assert slug in technologies(text)


@pytest.mark.parametrize(
    "text",
    [
        # A word that names a technology only beside its cue: without it, nothing.
        "Le chanteur a pris le micro pour remercier le public.",
        "Téléchargez l'application de la médiathèque pour réserver vos livres.",
        "La plaque d'immatriculation du véhicule de service a été changée.",
        "Les réseaux sociaux de la ville annoncent le festival.",
    ],
)
def test_a_word_without_its_cue_names_no_technology(text):
    assert technologies(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Captation d'images au moyen de caméras installées sur des aéronefs.",
        # One camera; a space lost in the PDF's text; a helicopter is an aircraft too.
        "Transmission d'images au moyen d'une caméra installée sur des aéronefs.",
        "Vu l'arrêté relatif au nombre maximal de caméras installées sur desaéronefs.",
        "Captation d'images au moyen de caméras installées sur des hélicoptères.",
        "L'arrêté prévoit le déploiement de deux drones équipés d'une caméra.",
        "Captation d'images au moyen de caméras installées surdes aéronefs.",
    ],
)
def test_drone_orders_are_not_also_plain_video_surveillance(text):
    assert technologies(text) == {"drones"}


def test_amounts_are_rounded_to_the_nearest_euro():
    assert parse_amount("19 471,92", None, "€") == 19472
    assert parse_amount("108 714,49", None, "€") == 108714
    assert parse_amount("1,25", "millions", "euros") == 1250000
    # Cents after a point with thousands in spaces, and after a comma with thousands in
    # points: read whole (they gave 103 and nothing).
    found = detect_text("Travaux : 21 102.80 € HT, puis 135.186,30 euros.", context=None)
    assert [f.value for f in found if f.kind == "amount"] == ["21103", "135186"]


def test_the_technologies_pieces_of_words_skip_no_match_on_any_real_text():
    """`_TECH_TRIGGERS` lets a page skip the patterns whose words it cannot hold: on every
    text of the real corpus, the technologies found are the same with and without it."""
    from contrechamp.documents import entities
    from tests.documents.evaluation import load_real

    assert set(entities._TECH_TRIGGERS) == {slug for slug, _ in entities.TECHNOLOGIES}
    assert len(entities._TECH_IN_CONTEXT_TRIGGERS) == len(entities._TECH_IN_CONTEXT)
    texts = [t.text for t in load_real()]
    assert len(texts) > 1000
    differ = [
        n
        for n, text in enumerate(texts)
        if [(f.value, f.start, f.end) for f in entities._technologies(text, {})]
        != [(f.value, f.start, f.end) for f in entities._technologies(text, {}, triggers=False)]
    ]
    assert differ == []
