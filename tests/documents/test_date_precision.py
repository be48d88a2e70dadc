"""A document's date as precise as its source, no more.

A PDF whose metadata gives only a month ("D:202305") or a year ("D:2023") was dated "1
mai 2023" / "1er janvier 2023" on its page, in search and in the API: a false precision a
journalist would print. And the date filters read a month-precise date as its first day:
a search for 10 to 20 May 2023 left out "mai 2023" while one for 1 to 5 May claimed it.
The rule now: a document dated by a month or a year is within a period only whole. Each
test attacks a guarantee the way a careless or hostile person would."""

from __future__ import annotations

import datetime as dt
import re

import pymupdf
import pytest
from django.urls import reverse

from contrechamp.documents.models import Document
from contrechamp.documents.search import index_rebuild
from tests.conftest import TwoFactorClient
from tests.documents.conftest import add, library, publish  # noqa: F401

pytestmark = pytest.mark.django_db

WORD = "zorglubisme"  # in no demo document


def _pdf(text: str, created: str) -> bytes:
    """A one-page PDF whose metadata says it was created `created` ("D:202305")."""
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_htmlbox(pymupdf.Rect(56, 56, 539, 786), f"<p>{text}</p>")
    document.set_metadata({"title": "Compte rendu", "creationDate": created})
    return document.tobytes()


def _page(document: Document, language: str = "fr") -> str:
    client = TwoFactorClient(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    page = client.get(document.get_absolute_url()).content.decode()
    match = re.search(r'<dd id="document-date">(.*?)</dd>', page, re.S)
    assert match, page[:2000]
    text = re.sub(r"<[^>]+>", " ", match.group(1)).replace("\u00a0", " ")
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("created", "value", "precision", "french", "english"),
    [
        ("D:202305", "2023-05", "month", "mai 2023", "May 2023"),
        ("D:2023", "2023", "year", "2023", "2023"),
        ("D:20230501120000+02'00'", "2023-05-01", "day", "1er mai 2023", "1 May 2023"),
    ],
)
def test_a_pdf_dated_by_a_month_or_a_year_is_not_dated_by_its_first_day(
    reviewer, created, value, precision, french, english
):
    document = add(_pdf(f"Le {WORD} du conseil.", created), "cr.pdf")
    assert (document.date_value, document.date_precision) == (value, precision)
    publish(document, reviewer)
    assert _page(document, "fr").strip().startswith(french + " (")
    assert _page(document, "en").strip().startswith(english + " (")
    api = TwoFactorClient().get(f"/api/v1/documents/{document.id}").json()
    assert (api["date"], api["date_precision"], api["date_read"]) == (value, precision, value)


def test_a_year_is_never_written_as_the_first_of_january():
    document = add(_pdf(f"Le {WORD}.", "D:2023"), "cr.pdf")
    Document.objects.filter(id=document.id).update(is_public=True)
    text = _page(document)
    assert "janvier" not in text and "2023" in text


def test_a_corrected_month_note_names_the_month_read_not_its_first_day(reviewer, english):
    """The date read from the file, said beside a correction, at its own precision."""
    document = add(_pdf(f"Le {WORD}.", "D:202305"), "cr.pdf")
    client = TwoFactorClient()
    client.force_login(reviewer)
    response = client.post(
        reverse("document-details", args=[document.id]),
        {"date": "2023-06-14", "version": document.version},
    )
    assert response.status_code == 302
    note = client.get(document.get_absolute_url()).content.decode()
    assert "read from the file's metadata: May 2023 — corrected by a reviewer" in note.replace(
        "&#x27;", "'"
    )


def test_html_metadata_with_a_month_only_is_that_month():
    html = (
        '<html><head><meta name="dcterms.date" content="2023-05"><title>CR</title></head>'
        f"<body><p>Le {WORD} du conseil municipal.</p></body></html>"
    ).encode()
    document = add(html, "cr.html")
    assert (document.date_value, document.date_precision, document.date_read_from) == (
        "2023-05",
        "month",
        "metadata",
    )


# --- date filters: a month or a year is within a period whole, or not at all ----------


@pytest.fixture(params=["tantivy", "database"])
def engine(request, settings):
    settings.SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def partial(engine, reviewer):
    """Public documents dated May 2023 (a month), 2023 (a year) and 15 May 2023 (a day)."""
    made = {}
    for name, created in (("month", "D:202305"), ("year", "D:2023"), ("day", "D:20230515")):
        document = add(_pdf(f"Le {WORD} ({name}).", created), f"{name}.pdf")
        Document.objects.filter(id=document.id).update(is_public=True)
        document.pages.update(published_text=f"Le {WORD} ({name}).")
        made[document.id] = name
    index_rebuild()
    return made


def _api(partial, **params) -> set[str]:
    response = TwoFactorClient().get("/api/v1/search", {"q": WORD, **params})
    assert response.status_code == 200, response.content
    return {partial[hit["document"]["id"]] for hit in response.json()["results"]}


def _listed(partial, **params) -> tuple[set[str], str]:
    page = TwoFactorClient().get("/recherche/", {"q": WORD, **params}).content.decode()
    ids = {int(i) for i in re.findall(r'href="/documents/(\d+)/\?page=1#page"', page)}
    return {partial[i] for i in ids if i in partial}, page


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # Inside May: the day only; the month and the year may be outside it.
        ("2023-05-10", "2023-05-20", {"day"}),
        ("2023-05-01", "2023-05-05", set()),
        ("", "2023-05-20", {"day"}),
        ("2023-05-10", "", {"day"}),
        # The whole month: the month and the day, not the year.
        ("2023-05", "2023-05", {"month", "day"}),
        ("2023-05-01", "2023-05-31", {"month", "day"}),
        ("2023-04-15", "2023-06-10", {"month", "day"}),
        # The year, up to its last day only.
        ("2023", "2023", {"month", "year", "day"}),
        ("2023-01-01", "2023-12-30", {"month", "day"}),
        ("", "2023-12-31", {"month", "year", "day"}),
        ("2023-01-02", "", {"month", "day"}),
        ("2024", "", set()),
        ("", "2022", set()),
    ],
)
def test_a_month_or_a_year_is_within_a_period_only_whole(partial, date_from, date_to, expected):
    params = {k: v for k, v in (("date_from", date_from), ("date_to", date_to)) if v}
    assert _api(partial, **params) == expected
    listed, page = _listed(partial, **params)
    assert listed == expected
    # The page says the rule where dates filter.
    assert 'id="date-rule"' in page


def test_without_dates_every_document_is_listed_and_no_rule_is_said(partial):
    listed, page = _listed(partial)
    assert listed == {"month", "year", "day"}
    assert 'id="date-rule"' not in page


# --- the correction form, posted carelessly or crafted -------------------------------


def _as(user) -> TwoFactorClient:
    client = TwoFactorClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "typed",
    ["2023-02-29", "0999", "999", "3000", "3000-01", "2023-13", "2023-00", "2023-5", "13/2023"],
)
def test_an_impossible_date_is_refused_and_the_date_kept(reviewer, typed):
    document = add(_pdf(f"Le {WORD}.", "D:202305"), "cr.pdf")
    response = _as(reviewer).post(
        reverse("document-details", args=[document.id]),
        {"date": typed, "version": document.version},
    )
    assert response.status_code == 400
    document.refresh_from_db()
    assert (document.date_value, document.date_precision) == ("2023-05", "month")


@pytest.mark.parametrize(
    ("typed", "crafted", "value", "precision"),
    [
        # A precision posted beside the date is not read: the date typed says it.
        ("2023-05", "day", "2023-05", "month"),
        ("2023", "month", "2023", "year"),
        ("2023-05-15", "year", "2023-05-15", "day"),
        ("2023-05", "<script>", "2023-05", "month"),
        # An old form, without any precision field.
        ("2023-05", None, "2023-05", "month"),
    ],
)
def test_a_crafted_or_missing_precision_field_does_not_change_the_precision(
    reviewer, typed, crafted, value, precision
):
    document = add(_pdf(f"Le {WORD}.", "D:20230515"), "cr.pdf")
    data = {"date": typed, "version": document.version}
    if crafted is not None:
        data["date_precision"] = crafted
    response = _as(reviewer).post(reverse("document-details", args=[document.id]), data)
    assert response.status_code in (302, 200)
    document.refresh_from_db()
    assert (document.date_value, document.date_precision) == (value, precision)
    assert document.date == dt.date.fromisoformat((value + "-01-01")[:10])


def test_an_old_api_client_reads_the_date_as_before_and_may_ignore_the_precision(reviewer):
    """A client written before `date_precision` reads `date` as it did (a partial date it
    already had to parse), and its date filters without any precision work as before
    on documents dated by a day."""
    document = add(_pdf(f"Le {WORD}.", "D:20230515"), "cr.pdf")
    publish(document, reviewer)
    api = TwoFactorClient().get(f"/api/v1/documents/{document.id}").json()
    assert (api["date"], api["date_precision"]) == ("2023-05-15", "day")
    undated = add(_pdf(f"Le {WORD} sans date.", "nothing"), "undated.pdf")
    assert undated.date is None
    publish(undated, reviewer)
    api = TwoFactorClient().get(f"/api/v1/documents/{undated.id}").json()
    assert (api["date"], api["date_precision"], api["date_read"]) == (None, None, None)
