"""Streets, squares and buildings named after someone are nobody's personal data: none
is suggested as a person, in small letters, capitals or abbreviated, while the residents
named beside them still are."""

import pytest

from contrechamp.lib.personal import detect

pytestmark = pytest.mark.django_db

PLACES = [
    "rue Jean Jaurès",
    "avenue du Général Leclerc",
    "place Charles de Gaulle",
    "boulevard Victor Hugo",
    "allée Marie Curie",
    "quai Louis Blériot",
    "impasse Louise Michel",
    "square Léon Blum",
    "chemin Pierre Loti",
    "rond-point Simone Veil",
    "esplanade Charles de Gaulle",
    "av. Jean Moulin",
    "bd Victor Hugo",
    "r. Pierre Brossolette",
    "RUE JEAN JAURÈS",
    "AVENUE VICTOR HUGO",
    "BOULEVARD JEAN MOULIN",
    "Impasse Louise Michel",
    "collège Jean Moulin",
    "COLLÈGE JEAN MOULIN",
    "college Jean Moulin",
    "gymnase Pierre de Coubertin",
    "salle Georges Brassens",
    "salle polyvalente Jean Ferrat",
    "stade Auguste Delaune",
    "médiathèque Louise Michel",
    "mediatheque Louise Michel",
    "résidence Pablo Picasso",
    "école élémentaire Jules Ferry",
    "lycée Victor Hugo",
    "centre social Jean Vilar",
    "piscine Alfred Nakache",
    "groupe scolaire Paul Bert",
    "maison de quartier Jacques Prévert",
]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize(
    "sentence",
    [
        "Caméra 4 : {place}, selon la délibération.",
        "{place} : deux caméras dôme.",
    ],
)
def test_a_place_named_after_someone_is_no_person(sentence, place):
    text = sentence.format(place=place)
    assert [f.text for f in detect(text) if f.kind == "person"] == []


def test_the_residents_named_beside_the_places_are_still_suggested():
    text = (
        "Mme Claire Petit, riveraine de la rue Jean Jaurès, et M. Jean Martin, parent "
        "d'élève au collège Jean Moulin, demandent le retrait de la caméra du gymnase "
        "Pierre de Coubertin. Petit et Martin seront reçus à la salle Georges Brassens."
    )
    persons = [f.text for f in detect(text) if f.kind == "person"]
    assert persons == ["Claire Petit", "Jean Martin", "Petit", "Martin"]


@pytest.mark.parametrize(
    "text, name",
    [
        # Someone's house, not a building named after them.
        ("La maison de Jean Dupont est filmée par la caméra.", "Jean Dupont"),
        # A sentence that goes on after the building's word: the name is a person's.
        ("Dans la salle, Mme Claire Petit a pris la parole.", "Claire Petit"),
        ("À la place de M. Paul Durand, son adjoint signe.", "Paul Durand"),
        ("Au cours de Mme Claire Petit, les élèves filment.", "Claire Petit"),
    ],
)
def test_a_person_near_a_place_word_is_still_suggested(text, name):
    assert name in [f.text for f in detect(text) if f.kind == "person"]
