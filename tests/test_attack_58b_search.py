"""Hostile review 58b: the search page's filters, as a careless or hostile person uses
them. A year or a month typed in the date fields ("2023", "05/2023") was refused with
Django's bare "Enter a valid date."; the page never said which filters were on, nor
which to lift when they left nothing; and the deployments above the documents ignored
the dates.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from contrechamp.documents.models import Document
from contrechamp.documents.search import index_rebuild
from contrechamp.registry.services import deployment_create
from tests.documents import samples
from tests.documents.conftest import add
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

WORD = "zorglubisme"  # in no demo document nor deployment


@pytest.fixture(autouse=True)
def library(settings, tmp_path):
    """Files and the search index of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    return tmp_path


@pytest.fixture(params=["tantivy", "database"])
def engine(request, settings):
    settings.SEARCH_BACKEND = request.param
    return request.param


def _published(text: str, day: dt.date, *, published_text: str | None = None, **options):
    """A public document dated `day` whose one page says `text` (`published_text`: what
    its redacted copy says)."""
    document = add(samples.text_pdf([text]), f"{day}.pdf", **options)
    Document.objects.filter(id=document.id).update(date=day, is_public=True)
    document.pages.update(published_text=published_text if published_text is not None else text)
    return document


@pytest.fixture
def dated(engine):
    """Documents on either side of each edge of 2023 and of May 2023."""
    days = {
        "2022-12-31": dt.date(2022, 12, 31),
        "2023-01-01": dt.date(2023, 1, 1),
        "2023-04-30": dt.date(2023, 4, 30),
        "2023-05-31": dt.date(2023, 5, 31),
        "2023-06-01": dt.date(2023, 6, 1),
        "2023-12-31": dt.date(2023, 12, 31),
        "2024-01-01": dt.date(2024, 1, 1),
    }
    documents = {
        name: _published(f"Le {WORD} du {name}.", day, origin="council")
        for name, day in days.items()
    }
    index_rebuild()
    return {document.id: name for name, document in documents.items()}


def _found(client, dated, **params) -> set[str]:
    response = client.get("/recherche/", {"q": WORD, **params})
    assert response.status_code == 200
    page = response.content.decode()
    ids = {int(i) for i in re.findall(r'href="/documents/(\d+)/\?page=1#page"', page)}
    return {dated[i] for i in ids if i in dated}


def _errors(page: str) -> list[str]:
    return [
        html.unescape(e).replace("\u00a0", " ")
        for e in re.findall(r'<span class="error"[^>]*>([^<]*)</span>', page)
    ]


def test_a_year_typed_in_both_date_fields_is_the_whole_year(client, dated):
    """Typed "2023" in "from" and "to": the year, 1 January to 31 December (it was
    refused; read as 1 January it would have been a single day)."""
    assert _found(client, dated, date_from="2023", date_to="2023") == {
        "2023-01-01",
        "2023-04-30",
        "2023-05-31",
        "2023-06-01",
        "2023-12-31",
    }
    assert _found(client, dated, date_to="2022") == {"2022-12-31"}
    assert _found(client, dated, date_from="2024") == {"2024-01-01"}


def test_a_month_typed_either_way_runs_to_its_last_day(client, dated):
    may = {"2023-05-31"}
    assert _found(client, dated, date_from="2023-05", date_to="2023-05") == may
    assert _found(client, dated, date_from="05/2023", date_to="05/2023") == may
    # A day typed the French way is that day, at both ends.
    assert _found(client, dated, date_from="31/05/2023", date_to="31/05/2023") == may
    # "to May" takes May's last day; "from May" leaves April out.
    assert "2023-05-31" in _found(client, dated, date_from="2023-04", date_to="5/2023")
    assert "2023-04-30" not in _found(client, dated, date_from="2023-05")


@pytest.mark.parametrize(
    "typed, said",
    [
        ("2023-13", "« 2023-13 » : il n’y a pas de mois 13."),
        ("13/2023", "« 13/2023 » : il n’y a pas de mois 13."),
        ("31/02/2023", "« 31/02/2023 » n’est pas un jour du calendrier."),
        ("2023-02-29", "« 2023-02-29 » n’est pas un jour du calendrier."),
        ("15/05/23", "n’est pas une date : écrivez une année (2023), un mois"),
        ("mai 2023", "n’est pas une date : écrivez une année (2023), un mois"),
        ("1850", "L’année 1850 est hors limites"),
    ],
)
def test_a_bad_date_is_refused_saying_why_and_lists_nothing(client, dated, typed, said):
    """Not Django's bare "Saisissez une date valide." for all of them, and never a
    search run without the date (a silent ignore lists documents of every year)."""
    response = client.get("/recherche/", {"q": WORD, "date_from": typed})
    page = response.content.decode()
    assert any(said in error for error in _errors(page)), _errors(page)
    assert f'value="{html.escape(typed)}"' in page  # kept in its field, to correct it
    assert _found(client, dated, date_from=typed) == set()


def test_a_backward_range_is_refused_but_a_month_inside_its_year_is_not(client, dated):
    page = client.get("/recherche/", {"q": WORD, "date_from": "2024", "date_to": "2023"})
    assert "Cette date précède celle du début." in _errors(page.content.decode())
    # From May to (the end of) the same year: forward, though "2023" alone starts earlier.
    assert _found(client, dated, date_from="2023-05", date_to="2023") == {
        "2023-05-31",
        "2023-06-01",
        "2023-12-31",
    }


def _active_filters(page: str) -> dict[str, str]:
    """The filters the page names, each with its removal link."""
    block = re.search(r'<p class="active-filters"[^>]*>(.*?)</p>', page, re.S)
    assert block, "the active filters are not named"
    return {
        html.unescape(text).strip(): html.unescape(link)
        for text, link in re.findall(r'<span class="tag">([^<]*)<a href="([^"]*)"', block.group(1))
    }


def test_every_active_filter_is_named_and_lifted_alone(client, dated):
    params = {
        "q": WORD,
        "place": "Nice",
        "origin": "council",
        "date_from": "05/2023",
        "date_to": "2023",
        "page": "2",
    }
    page = client.get("/recherche/", params).content.decode()
    named = _active_filters(page.replace("\u00a0", " "))
    assert set(named) == {
        "Nice (06088)",
        "Provenance : procès-verbal ou délibération",
        "du 1er mai 2023",
        "au 31 décembre 2023",
    }
    for text, link in named.items():
        kept = parse_qs(urlsplit(link).query)
        lifted = {k for k in params if k not in kept}
        # Just that filter, and the page number (page 2 of another search is nonsense).
        assert len(lifted) == 2 and "page" in lifted, (text, link)
        assert all(kept[k] == [v] for k, v in params.items() if k in kept)


def test_an_empty_search_says_which_filter_to_lift(client, dated):
    """Nothing in 2019: "12 in all years", linked, rather than "no page matches"."""
    page = client.get("/recherche/", {"q": WORD, "date_from": "2019", "date_to": "2019"})
    text = html.unescape(page.content.decode()).replace("\u00a0", " ")
    assert f"Aucune page ne correspond à « {WORD} » avec ces filtres." in text
    widened = re.search(r'<ul id="widened">(.*?)</ul>', text, re.S)
    assert widened, text[-3000:]
    items = re.findall(r'<li><a href="([^"]*)">([^<]*)</a> : ([^<]*)</li>', widened.group(1))
    by_words = {words: (link, count) for link, words, count in items}
    # Every document is after 2019: lifting "to" finds them all, lifting "from" none
    # (not offered: a link to nothing).
    assert by_words["sans « au 31 décembre 2019 »"][1] == "7 documents"
    assert "sans « du 1er janvier 2019 »" not in by_words
    assert by_words["sans aucun filtre"][1] == "7 documents"
    link = by_words["sans aucun filtre"][0]
    assert "date" not in link and WORD in link


def test_a_count_without_filters_does_not_reveal_a_redacted_word(engine, client, reviewer):
    """A visitor searches a name only the redacted passage of a 2021 document holds,
    within 2019: the page says nothing matches even without the filters, and offers no
    "1 document in every year" that would tell the name is in the library."""
    _published(
        f"Le témoin {WORD} a signé.",
        dt.date(2021, 3, 1),
        published_text="Le témoin ████████████ a signé.",
    )
    index_rebuild()
    page = client.get("/recherche/", {"q": WORD, "date_from": "2019", "date_to": "2019"})
    text = html.unescape(page.content.decode()).replace("\u00a0", " ")
    assert "Aucune ne lui correspond non plus sans ces filtres." in text
    assert 'id="widened"' not in text and "1 document" not in text
    # A reviewer, who reads the full text, is told: lifting the dates finds it.
    client.force_login(reviewer)
    page = client.get("/recherche/", {"q": WORD, "date_from": "2019", "date_to": "2019"})
    assert 'id="widened"' in page.content.decode()


def test_a_date_field_removed_from_the_form_is_no_filter(client, dated):
    """A form with only "to" (the "from" field deleted in the browser's tools), or an
    empty one: read as no bound, named as such, never a 500 nor an error."""
    page = client.get("/recherche/", {"q": WORD, "date_to": "2022"}).content.decode()
    assert _active_filters(page.replace("\u00a0", " ")).keys() == {"au 31 décembre 2022"}
    assert _found(client, dated, q=WORD, date_from="", place="", kind="") == set(dated.values())
    assert 'class="active-filters"' not in client.get("/recherche/", {"q": WORD}).content.decode()


def _deployment(title: str, **fields):
    data = deployment_data(title=title, description=f"Le {WORD} municipal.", **fields)
    data["citations"][0]["source"]["published_on"] = fields.get("start_date", "2018")
    return deployment_create(data=data, author=None)


def _deployments(client, **params) -> list[str]:
    page = client.get("/recherche/", {"q": WORD, **params}).content.decode()
    return sorted(re.findall(r'<li><a href="/dispositifs/[^"/?]+/"[^>]*>([^<]+)</a></li>', page))


def test_the_deployments_follow_the_dates_by_the_year_rule(engine, client):
    _deployment("Ancien", status="deployed", start_date="2015", end_date="2019-06")
    _deployment("Récent", status="deployed", start_date="2022-09")
    _deployment("Pilote", status="experimenting", start_date="2018-05")  # reported in 2018
    _deployment("Annoncé", status="announced", start_date="2023")
    assert _deployments(client) == ["Ancien", "Annoncé", "Pilote", "Récent"]
    # (Days as any version of the page read them: the dates were ignored, not refused.)
    assert _deployments(client, date_from="2023-01-01", date_to="2023-12-31") == ["Récent"]
    assert _deployments(client, date_from="2019", date_to="2019") == ["Ancien"]
    assert _deployments(client, date_from="06/2018", date_to="2022") == [
        "Ancien",
        "Pilote",
        "Récent",
    ]
    assert _deployments(client, date_to="2017") == ["Ancien"]
    # None of them in 2014: said, with how many in every year and the way to them.
    page = client.get("/recherche/", {"q": WORD, "date_to": "2014"}).content.decode()
    text = html.unescape(page).replace("\u00a0", " ")
    assert f"Aucun dispositif connu comme actif jusqu’en 2014 ne correspond à « {WORD} »" in text
    assert "4 sur toutes les années" in text


def test_the_deployments_link_keeps_a_single_year(engine, client):
    for n in range(6):
        _deployment(f"Système {n}", status="deployed", start_date="2020")
    page = client.get(
        "/recherche/", {"q": WORD, "date_from": "2021-01-01", "date_to": "2021-12-31"}
    )
    links = re.findall(r'href="(/dispositifs/\?[^"]*)"', page.content.decode())
    assert any("year=2021" in html.unescape(link) for link in links), links


def test_the_api_reads_a_year_as_the_page_does(client, dated):
    def names(**params):
        response = client.get("/api/v1/search", {"q": WORD, "limit": 50, **params})
        assert response.status_code == 200, response.json()
        return {dated[hit["document"]["id"]] for hit in response.json()["results"]}

    assert names(date_from="2023", date_to="2023-05") == {
        "2023-01-01",
        "2023-04-30",
        "2023-05-31",
    }
    for bad in ({"date_to": "2023-13"}, {"date_from": "2024", "date_to": "2023"}):
        response = client.get("/api/v1/search", {"q": WORD, **bad})
        assert response.status_code == 400, bad
        assert response.json()["error"]["field"] in bad
