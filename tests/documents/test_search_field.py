"""Search as people type it (issue 14), on every engine: the field's names in all their
spellings, no empty page when one word is missing, one result per document, the exact
phrase first, no ranking by addresses, and the place and date filters on what a reviewer
confirmed and what the text says."""

import datetime as dt

import pytest

from contrechamp.documents.metadata import metadata_date, text_date
from contrechamp.documents.models import Document, Entity, Page
from contrechamp.documents.search import (
    SearchFilters,
    Viewer,
    document_index,
    search_documents,
    search_pages,
)
from contrechamp.places.models import Commune
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

EVERYONE = Viewer(sees_all=True)
_count = iter(range(1, 10_000))


@pytest.fixture(params=["tantivy", "database"])
def engine(request, settings):
    settings.SEARCH_BACKEND = request.param
    return request.param


def make(*pages: str, title: str = "", **fields) -> Document:
    """A processed document with these page texts, indexed."""
    number = next(_count)
    document = Document.objects.create(
        sha256=f"{number:064x}",
        size=1,
        filename=f"d{number}.txt",
        title=title or f"Pièce {number}",
        kind="text",
        status="done",
        page_count=len(pages),
        **fields,
    )
    Page.objects.bulk_create(
        Page(
            document=document,
            number=i,
            text=t,
            published_text=t if document.is_public else "",
            method="text",
            width=595,
            height=842,
        )
        for i, t in enumerate(pages, start=1)
    )
    document_index(document)
    return document


def ids(text, **filters):
    return [h.document_id for h in search_pages(text, viewer=EVERYONE, **filters)]


def documents(text, **options):
    return search_documents(text, viewer=EVERYONE, **options)


def test_the_names_of_the_field_meet_whatever_their_spelling(engine):
    video = make("La commune étend sa vidéosurveillance au port.")
    hyper = make("Les images remontent à l'hypervision de la police municipale.")
    csu = make("Un centre de supervision urbain ouvrira en mars.")
    lapi = make("Le marché prévoit des lecteurs automatiques de plaques à l'entrée.")
    drone = make("Captation d'images au moyen de caméras installées sur des aéronefs.")
    faces = make("Un dispositif de biométrie faciale à l'entrée du lycée.")
    unrelated = make("La piscine municipale rouvre ses bassins.")
    for typed in (
        "vidéo-surveillance",
        "vidéo surveillance",
        "VIDEO‐PROTECTION",
        "vidéoprotection",
    ):
        assert ids(typed) == [video.id], typed
    for typed in ("hyperviseur", "hypervision", "CSU", "centre urbain de supervision"):
        assert set(ids(typed)) == {hyper.id, csu.id}, typed
    for typed in ("LAPI", "L.A.P.I.", "lecture automatisée des plaques"):
        assert ids(typed) == [lapi.id], typed
    assert ids("drone") == ids("aéronefs") == [drone.id]
    assert ids("reconnaissance faciale") == [faces.id]
    # The words themselves still count alone, and nothing else is dragged in.
    assert ids("surveillance") == []  # "vidéosurveillance" is one word
    assert set(ids("municipale")) == {hyper.id, unrelated.id}
    assert ids("plaques") == [lapi.id]


def test_ligatures_and_typographic_forms_are_read_as_letters(engine):
    page = make("Identiﬁcation biométrique et ﬂux vidéo de la ville")  # ﬁ ﬂ ligatures
    assert ids("identification biometrique") == [page.id]
    assert ids("ﬂux") == [page.id]
    assert ids("Ｉｄｅｎｔｉｆｉｃａｔｉｏｎ") == [page.id]  # full-width letters


def test_one_word_missing_gives_the_pages_with_the_most_words_and_says_so(engine):
    toulouse = make("Vidéoprotection : 350 caméras à Toulouse.")
    nice = make("Le maire de Nice présente son budget.")
    both_elsewhere = make("Le stade de Nice et la vidéoprotection du parvis.")
    # Every word first, then the pages holding one of the two.
    result = documents("vidéoprotection Nice")
    assert result.documents[0].document_id == both_elsewhere.id
    assert result.all_words and result.partial_from == 1
    assert {g.document_id for g in result.documents[1:]} == {toulouse.id, nice.id}
    # No page holds all three words: the most first, and the result says so.
    result = documents("vidéoprotection Nice tramway")
    assert not result.all_words and result.words == 3
    assert [g.matched for g in result.documents] == [2, 1, 1]
    assert documents("tramway funiculaire").documents == []
    # A pasted paragraph: its first words count, the rest does not make a query of
    # hundreds of clauses.
    pasted = " ".join(f"mot{n}" for n in range(150)) + " vidéoprotection"
    assert documents(pasted).documents == []
    assert documents("vidéoprotection " + pasted).words == 16


def test_a_long_document_takes_one_place_with_its_best_pages(engine):
    long = make(*[f"Page {n} : les caméras du réseau de tramway." for n in range(40)])
    others = [make(f"Caméras et tramway, note {n}.") for n in range(4)]
    result = documents("caméras tramway")
    assert len(result.documents) == 5  # not twenty pages of one document
    assert [len(g.pages) for g in result.documents if g.document_id == long.id] == [3]
    assert not result.has_next
    # Pages of documents: two by two, each document once, none lost.
    seen = []
    for offset in (0, 2, 4):
        page = documents("caméras tramway", limit=2, offset=offset)
        seen += [g.document_id for g in page.documents]
        assert page.has_next == (offset < 4)
    assert sorted(seen) == sorted([long.id] + [d.id for d in others])


def test_the_exact_phrase_ranks_above_the_same_words_apart(engine):
    apart = make(
        "Le public est venu au marché ; le marché du samedi attire un public nombreux, "
        "marché couvert ouvert au public."
    )
    phrase = make("Le conseil attribue le marché public de maintenance.")
    assert ids("marché public")[0] == phrase.id
    assert ids("marché public") == [phrase.id, apart.id]


def test_a_word_only_in_an_address_does_not_rank_a_page(engine):
    address = make(
        "Source : https://www.example.org/tramway/tramway-tramway.pdf et "
        "www.tramway-nice.fr, contact tramway@example.org"
    )
    text = make("Le tramway passera rue de France en 2026.")
    assert ids("tramway") == [text.id]
    assert address.id not in ids("example")


def test_a_confirmed_commune_joins_the_document_places(engine):
    nice = Commune.objects.get(code="06088")
    document = make("La ville de Nice équipe la promenade de caméras.")
    entity = Entity.objects.create(
        page=document.pages.get(),
        kind="commune",
        text="Nice",
        value="06088",
        start=13,
        end=17,
        confidence=0.9,
        commune=nice,
    )
    assert ids("caméras", filters=SearchFilters(place="06088")) == []  # only suggested
    entity.status = "rejected"
    entity.save()
    assert ids("caméras", filters=SearchFilters(place="06088")) == []
    entity.status = "accepted"
    entity.save()
    assert list(document.places.values_list("code", flat=True)) == ["06088"]
    for place in ("06088", "06"):  # the commune, its department
        assert ids("caméras", filters=SearchFilters(place=place)) == [document.id]


def test_a_text_document_takes_its_date_from_its_first_dated_sentence(engine):
    text = (
        "RECUEIL DES ACTES ADMINISTRATIFS\n"
        "Arrêté n° 2025-031 du 2 juin 2025 autorisant la captation d'images par drone.\n"
        "Vu l'arrêté du 29 avril 2004 relatif aux pouvoirs des préfets.\n"
    )
    document = add(text.encode(), "arrete.txt")
    assert document.date == dt.date(2025, 6, 2)
    after = SearchFilters(date_from=dt.date(2025, 1, 1))
    before = SearchFilters(date_to=dt.date(2024, 12, 31))
    assert ids("drone", filters=after) == [document.id]
    assert ids("drone", filters=before) == []
    # A year or a month alone is no date; neither is a number.
    assert text_date(["Budget 2024, arrêté n° 2023-380, en mars 2022."]) is None
    assert text_date(["", "Séance du 25/11/2021."]) == dt.date(2021, 11, 25)


def test_metadata_dates_come_first():
    html = (
        b'<html><head><meta property="article:published_time" '
        b'content="2023-05-12T08:00:00+02:00"></head><body>Le 3 mars 2020.</body></html>'
    )
    assert metadata_date("html", html) == (dt.date(2023, 5, 12), "day")
    assert metadata_date("html", b"<p><time datetime='2019-02-30'>x</time></p>") is None
    assert metadata_date("docx", b"not a zip") is None
    assert metadata_date("odt", b"PK\x03\x04broken") is None


def test_the_search_page_groups_documents_and_says_when_words_are_missing(engine, client):
    make(
        *[f"Page {n} : la vidéoprotection du tramway." for n in range(10)],
        title="Long",
        is_public=True,
    )
    make("Le maire de Nice présente son budget.", title="Budget", is_public=True)
    page = client.get("/recherche/", {"q": "vidéo-protection Nice"}).content.decode()
    assert page.count("hit-document") == 2
    assert page.count('class="snippet"') == 4  # three pages of the long one, one of the other
    assert "mots ; voici ceux qui en contiennent le plus" in page or "contain the most" in page
    page = client.get("/recherche/", {"q": "vidéoprotection tramway"}).content.decode()
    assert "contain the most" not in page and "en contiennent le plus" not in page
    for hostile in ("2", "-1", "x", "999999"):
        response = client.get("/recherche/", {"q": "tramway", "page": hostile})
        assert response.status_code == 200
