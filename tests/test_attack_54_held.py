"""Hostile review 54: attacks that held (kept as they pass, to guard them)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from contrechamp.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import add, library  # noqa: F401

pytestmark = pytest.mark.django_db

QUERIES = [
    '"',
    '"""',
    "« caméra",
    "a\x00b",
    "\x00",
    "-",
    '--"',
    '-"',
    "-«",
    '"-x"',
    "*",
    "NEAR(a b)",
    "a OR b",
    "title:x",
    "public:0",
    "é" * 5000,
    '"' + "mot " * 400 + '"',
    "-" * 300,
    "𝔡𝔯𝔬𝔫𝔢",
    "ﬁ",
    "\u0301",
    "^",
    '"caméra -port"',
    "- -",
    "'",
    "‘",
    "„x",
    '""x""',
    'x"y',
    "AND",
    "NOT x",
    "(",
    ")",
    "{",
    "[",
    ":",
    "x:y",
    "%",
    "_",
]


@pytest.mark.parametrize("backend", ["tantivy", "database"])
def test_crafted_queries_never_answer_500(client, reviewer, settings, backend):
    settings.SEARCH_BACKEND = backend
    add(samples.text_pdf(["Caméras de vidéoprotection à Nice, port."]), "a.pdf")
    for who in (None, reviewer):
        if who:
            client.force_login(who)
        for q in QUERIES:
            for url in ("/recherche/", "/api/v1/search"):
                for extra in ({}, {"place": "06088"}, {"page": "2"}, {"origin": "press"}):
                    response = client.get(url, {"q": q, **extra})
                    assert response.status_code < 500, (backend, url, q, extra)


def test_an_attachment_named_with_separators_and_control_characters(client, reviewer):
    message = EmailMessage()
    message["From"] = "Mairie <courrier@mairie.example.fr>"
    message["To"] = "x@example.org"
    message["Subject"] = "Réponse"
    message.set_content("Voici la délibération sur les caméras.")
    pdf = samples.text_pdf(["Délibération sur la vidéoprotection de Nice, caméras."])
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="x.pdf")
    raw = message.as_bytes().replace(
        b'filename="x.pdf"',
        b"filename*=utf-8''..%2F..%2Fa%0D%0AX-Evil%3A%201%07%1B%5B31m.pdf",
    )
    add(raw, "mail.eml")
    client.force_login(reviewer)
    for document in Document.objects.all():
        assert "\x1b" not in document.title and "\n" not in document.title
        response = client.get(f"/documents/{document.id}/original/")
        assert response.status_code == 200
        assert "\n" not in response.headers["Content-Disposition"]
        assert "X-Evil" not in response.headers
        assert client.get(f"/documents/{document.id}/").status_code == 200
