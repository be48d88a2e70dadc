"""French full-text search over pages, on both engines: what a person types finds what
the documents say, ranked, highlighted, filtered, and only what they may read."""

import datetime as dt

import pytest

from contrechamp.documents.models import Document
from contrechamp.documents.search import (
    SearchFilters,
    Viewer,
    highlight,
    index_rebuild,
    search_pages,
)
from contrechamp.places.models import Commune
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

EVERYONE = Viewer(sees_all=True)


@pytest.fixture(params=["tantivy", "database"])
def engine(request, settings):
    settings.SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def library_pages(engine, contributor):
    stephanois = add(
        samples.text_pdf(
            [
                "Ordre du jour.",
                "La commune expérimente des Capteurs Sonores et la Reconnaissance Faciale "
                "dans le quartier de Tarentaize.",
            ]
        ),
        "saint-etienne.pdf",
        places=[Commune.objects.get(code="42218")],
        origin="council",
    )
    nice = add(
        samples.text_pdf(["Une caméra de vidéoprotection supplémentaire sur la promenade."]),
        "nice.pdf",
        places=[Commune.objects.get(code="06088")],
        origin="press",
    )
    Document.objects.filter(id=nice.id).update(date=dt.date(2021, 5, 1))
    Document.objects.filter(id=stephanois.id).update(date=dt.date(2019, 3, 12))
    private = add(
        samples.text_pdf(["Note interne : caméras et capteurs du marché."]),
        "note.pdf",
        uploaded_by=contributor,
    )
    # Dates and places changed after indexing: index again as the pipeline would.
    index_rebuild()
    return {"stephanois": stephanois, "nice": nice, "private": private}


def _find(text, viewer=EVERYONE, **filters):
    return search_pages(text, viewer=viewer, filters=SearchFilters(**filters))


def test_it_finds_words_whatever_their_accents_case_and_plural(library_pages):
    hits = _find("reconnaissance faciale")
    assert [(h.document_id, h.number) for h in hits] == [(library_pages["stephanois"].id, 2)]
    assert {h.document_id for h in _find("caméras")} == {
        library_pages["nice"].id,
        library_pages["private"].id,
    }
    assert _find("capteur sonore")[0].document_id == library_pages["stephanois"].id
    assert _find("CAMERA")  # unaccented, upper case


def test_snippets_highlight_the_words_and_escape_the_rest(library_pages):
    hit = _find("capteurs sonores")[0]
    # One name of the field, marked as one.
    assert "<mark>Capteurs Sonores</mark>" in hit.snippet
    assert highlight("a <script> caméra", "camera") == "a &lt;script&gt; <mark>caméra</mark>"


def test_a_snippet_ends_between_two_words():
    """A snippet was cut at its width whatever the letter ("… la vidéoprot …"), which
    reads as a typo (a new user's walk)."""
    text = "Les caméras de vidéoprotection filment la place. " + " ".join(
        f"vidéoprotection{n}" for n in range(40)
    )
    snippet = highlight(text, "caméras", width=60)
    assert snippet.endswith(" …")
    last = snippet.removesuffix(" …").split()[-1]
    assert text.find(last + " ") >= 0 or text.endswith(last)
    # A text with no space in reach is still cut at its width.
    assert highlight("caméra " + "x" * 300, "caméra", width=60).endswith(" …")


def test_pages_with_every_word_first_then_those_with_the_most(library_pages):
    # No page holds both words: each page holding one, rather than nothing.
    hits = _find("capteurs promenade")
    assert {h.document_id for h in hits} == {
        library_pages["stephanois"].id,
        library_pages["nice"].id,
        library_pages["private"].id,
    }
    assert {h.matched for h in hits} == {1}
    # A page holding every word ranks above one holding fewer, however often.
    hits = _find("caméra promenade")
    assert hits[0].document_id == library_pages["nice"].id and hits[0].matched == 2
    assert [h.matched for h in hits[1:]] == [1]  # the private note: "caméras" only
    assert _find("la le les de") == []


def test_filters_by_place_department_origin_type_and_date(library_pages):
    stephanois = library_pages["stephanois"].id
    assert {h.document_id for h in _find("la", place="42218")} == set()
    assert {h.document_id for h in _find("quartier", place="42218")} == {stephanois}
    assert {h.document_id for h in _find("quartier", place="42")} == {stephanois}
    assert _find("quartier", place="06") == []
    assert {h.document_id for h in _find("caméra", origin="press")} == {library_pages["nice"].id}
    assert _find("caméra", kind="email") == []
    assert {h.document_id for h in _find("caméra", date_from=dt.date(2020, 1, 1))} == {
        library_pages["nice"].id
    }
    assert _find("capteurs", date_to=dt.date(2018, 1, 1)) == []


def test_others_than_reviewers_search_only_the_published_text(
    library_pages, contributor, other_contributor
):
    nice = library_pages["nice"]
    Document.objects.filter(id=nice.id).update(is_public=True)
    nice.pages.update(published_text="Une caméra de vidéoprotection sur la █████████.")
    index_rebuild()
    visitor = Viewer.of(type("Anonymous", (), {"is_authenticated": False})())
    for viewer in (visitor, Viewer.of(contributor), Viewer.of(other_contributor)):
        assert {h.document_id for h in _find("caméra", viewer=viewer)} == {nice.id}
        assert _find("promenade", viewer=viewer) == []  # redacted: not in the published text
        assert "promenade" not in _find("caméra", viewer=viewer)[0].snippet
    assert {h.document_id for h in _find("promenade")} == {nice.id}  # reviewers


def test_query_syntax_is_not_interpreted(library_pages):
    for text in ["text:caméra", '"caméra', "caméra AND (", "title:*", "-", "<b>"]:
        _find(text)  # no error
    assert _find('"reconnaissance faciale"')


def test_a_query_in_quotes_asks_for_its_words_side_by_side(library_pages):
    """Quotes were read as nothing: "\"urbain supervision\"" found what "\"centre de
    supervision urbain\"" found (a new user's walk). A query in quotes now finds the pages
    holding its words side by side, in order; when none does, those holding them apart,
    and the page says so."""
    from contrechamp.documents.search import search_documents

    apart = add(samples.text_pdf(["Le quartier nord est calme, et Tarentaize aussi."]), "calme.pdf")
    index_rebuild()

    def found(text):
        result = search_documents(text, viewer=EVERYONE)
        return result, [d.document_id for d in result.documents]

    result, ids = found('"quartier de Tarentaize"')
    assert ids == [library_pages["stephanois"].id] and result.quoted and result.exact
    for quotes in ("“quartier de Tarentaize”", "« quartier de Tarentaize »"):
        assert found(quotes)[1] == ids
    # Without quotes, both (the phrase first).
    result, ids = found("quartier de Tarentaize")
    assert ids == [library_pages["stephanois"].id, apart.id] and not result.quoted
    # In the wrong order, no page holds the phrase: the words, and the page says so.
    result, ids = found('"Tarentaize quartier"')
    assert set(ids) == {library_pages["stephanois"].id, apart.id}
    assert result.quoted and not result.exact


def test_a_minus_sign_leaves_out_the_pages_holding_a_word(library_pages):
    """ "caméras -promenade" asked for "promenade" as well: the one page a person wanted
    left out was the only one found (a new user's walk). A word after a minus sign now
    leaves out the pages holding it, in any of its spellings, on every engine; a hyphen
    inside a word or a dash between spaces still excludes nothing."""
    from contrechamp.documents.search import search_documents

    nice, private = library_pages["nice"].id, library_pages["private"].id
    stephanois = library_pages["stephanois"].id

    def ids(text):
        return {h.document_id for h in _find(text)}

    assert ids("caméras") == {nice, private}
    assert ids("caméras -promenade") == {private}
    assert ids("caméras −Promenades") == {private}  # a true minus sign, a plural
    assert ids("caméras –promenade -marché") == set()
    # A name of the field, in any of its spellings: "vidéoprotection" on Nice's page.
    assert ids("caméras -vidéo-surveillance") == {private}
    # A phrase: the pages holding its words side by side, not each word anywhere.
    assert ids('capteurs -"quartier de Tarentaize"') == {private}
    assert ids('capteurs -"Tarentaize quartier"') == {stephanois, private}
    assert ids("capteurs -Tarentaize-quartier") == {stephanois, private}
    # No exclusion: a hyphen inside a word, a dash between spaces.
    hits = _find("caméras - promenade")
    assert hits[0].document_id == nice and hits[0].matched == 2
    assert ids("capteurs-sonores") == {stephanois}
    # Excluded words are not highlighted nor counted among the words asked.
    result = search_documents("caméras -promenade", viewer=EVERYONE)
    assert result.words == 1 and result.all_words and result.excluded == ["promenade"]
    assert "<mark>caméras</mark>" in result.documents[0].best.snippet
    # Only excluded words: nothing is searched, and the page will say why.
    result = search_documents("-promenade", viewer=EVERYONE)
    assert result.documents == [] and result.words == 0 and result.excluded == ["promenade"]
    # A query in quotes with an exclusion is still a phrase.
    result = search_documents('"quartier de Tarentaize" -promenade', viewer=EVERYONE)
    assert [d.document_id for d in result.documents] == [stephanois] and result.exact
    # The syntax of the engines stays unread.
    for text in ['-"', "-(", "caméra -AND", "caméra -title:x", "-*", '-"caméra', "--caméra"]:
        _find(text)  # no error


def test_what_a_review_found_of_the_minus_sign(library_pages, client):
    """A phrase holding a name of the field excluded nothing (the index writes the
    name's key after it, so the words were never side by side); the page announced more
    exclusions than it applied; a stop word of PostgreSQL's own list asked for with an
    exclusion read as no word at all; the API took a query of any length."""
    from contrechamp.documents.search import search_documents

    nice = library_pages["nice"].id
    private = library_pages["private"].id
    assert {h.document_id for h in _find("caméras")} == {nice, private}
    # Nice's page: "Une caméra de vidéoprotection supplémentaire sur la promenade."
    assert {h.document_id for h in _find('caméras -"caméra de vidéoprotection"')} == {private}
    assert {h.document_id for h in _find('caméras -"caméra de drone"')} == {nice, private}
    # Every exclusion announced is applied.
    many = "caméras " + " ".join(f"-w{i}" for i in range(15)) + " -promenade -marché"
    result = search_documents(many, viewer=EVERYONE)
    assert len(result.excluded) == 16 and result.excluded[-1] == "promenade"
    assert {d.document_id for d in result.documents} == {private}
    # A word asked for, even one an engine drops, is a word asked for.
    assert search_documents("sont -promenade", viewer=EVERYONE).asked
    assert not search_documents("-promenade", viewer=EVERYONE).asked
    response = client.get("/api/v1/search", {"q": "caméras " + "-w " * 200})
    assert response.status_code == 400 and response.json()["error"]["field"] == "q"
    assert client.get("/api/v1/search", {"q": "caméras -promenade"}).status_code == 200


def test_a_page_past_the_last_results_says_so_and_leads_back(library_pages, client):
    """A new user's walk asked for page 99 of two: the page said "no page matches" the
    query, and its "previous" led to page 98, past the results too."""
    page = client.get("/recherche/", {"q": "caméras", "page": "99"}).content.decode()
    assert "s’arrêtent avant cette page" in page and "Aucune page ne correspond" not in page
    assert 'href="?q=cam%C3%A9ras&amp;page=1" rel="prev"' in page
    first = client.get("/recherche/", {"q": "caméras"}).content.decode()
    assert "s’arrêtent avant cette page" not in first


def test_an_inverted_date_range_is_said_at_its_field(library_pages, client):
    """A walk gave "du 2024-12-31 au 2023-01-01" and read that no page matched the words."""
    page = client.get(
        "/recherche/", {"q": "caméras", "date_from": "2024-12-31", "date_to": "2023-01-01"}
    ).content.decode()
    assert "Cette date précède celle du début." in page
    assert "Aucune page ne correspond" not in page


def test_a_contributor_is_told_their_unpublished_uploads_are_not_searched(
    library_pages, client, contributor, other_contributor, reviewer
):
    """A walk searched words of a document it had just uploaded and read that no page
    matched them, with no word of why."""
    notice = "Vos documents pas encore publiés ne sont pas cherchés ici"
    client.force_login(contributor)  # the uploader of the private note
    assert notice in client.get("/recherche/", {"q": "note interne"}).content.decode()
    for person in (other_contributor, reviewer):  # nothing of theirs waits; a reviewer sees all
        client.force_login(person)
        assert notice not in client.get("/recherche/", {"q": "note interne"}).content.decode()
    client.logout()
    assert notice not in client.get("/recherche/", {"q": "note interne"}).content.decode()


def test_a_quoted_phrase_of_the_fields_own_words_is_found_side_by_side(engine, db):
    """A new user's walk: "vidéosurveillance algorithmique", "centre de supervision
    urbain", "usage de drones" and "achat de 2 aéronefs" in quotes said that no page held
    them side by side, above a snippet that held them: the query asked for the field's
    keys (one key for the whole name, or the key of drones after "usage") where the pages
    hold the words themselves."""
    from contrechamp.documents.search import search_documents

    page = add(
        samples.text_pdf(
            [
                "Le conseil approuve la vidéosurveillance algorithmique au centre de "
                "supervision urbain, l'usage de drones et l'achat de 2 aéronefs, un "
                "système de surveillance."
            ]
        ),
        "conseil.pdf",
    )
    apart = add(
        samples.text_pdf(["Des drones survolent la ville ; leur usage est encadré. VSA."]),
        "apart.pdf",
    )
    index_rebuild()
    for phrase in (
        "vidéosurveillance algorithmique",
        "centre de supervision urbain",
        "usage de drones",
        "achat de 2 aéronefs",
        "de surveillance",
    ):
        result = search_documents(f'"{phrase}"', viewer=EVERYONE)
        ids = [d.document_id for d in result.documents]
        assert result.quoted and result.exact, phrase
        assert page.id in ids, phrase
        if phrase != "de surveillance":
            assert apart.id not in ids, phrase
