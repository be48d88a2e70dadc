"""Text drawn without ink through a text render mode (3: invisible, 7: a clip path and
nothing painted) is removed at publication like any invisible text, and the gate
refuses a file that still holds it, although MuPDF's drawing log does not list it."""

from __future__ import annotations

import pymupdf
import pytest

from contrechamp.documents import files
from contrechamp.redaction.services import (
    document_publish,
    gate,
    redactions_accept_all,
    redactions_suggest,
)
from tests.documents.conftest import add
from tests.redaction.test_publish_leaks import _every_extraction

pytestmark = pytest.mark.django_db

HEALTH = "Diagnostic: diabete de type 1, arret maladie"


def _with_mode(mode: int) -> bytes:
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 100), "Rapport sur les caméras de la commune.", fontsize=12)
    page.insert_text((72, 160), "La vidéoprotection est active.", fontsize=12)
    font = page.get_fonts()[0][4]
    xref = pdf.get_new_xref()
    pdf.update_object(xref, "<<>>")
    pdf.update_stream(xref, f"q BT {mode} Tr /{font} 10 Tf 72 500 Td ({HEALTH}) Tj ET Q".encode())
    contents = pdf.xref_get_key(page.xref, "Contents")
    if contents[0] == "array":
        pdf.xref_set_key(page.xref, "Contents", contents[1][:-1] + f" {xref} 0 R]")
    else:
        pdf.xref_set_key(page.xref, "Contents", f"[{contents[1]} {xref} 0 R]")
    return pdf.tobytes()


@pytest.mark.parametrize("mode", [3, 7])
def test_text_drawn_without_ink_is_not_published(mode: int) -> None:
    data = _with_mode(mode)
    assert "diabete" in _every_extraction(data)  # the fixture hides what it says
    document = add(data, "rapport.pdf")
    redactions_suggest(document=document)
    redactions_accept_all(document=document)
    publication = document_publish(document=document, no_redactions=True)
    if publication.accepted:
        published = files.read(files.derived_path(document, "published.pdf"))
        assert "diabete" not in _every_extraction(published)
        assert "vidéoprotection" in pymupdf.open(stream=published)[0].get_text()


@pytest.mark.parametrize("mode", [3, 7])
def test_the_gate_refuses_text_drawn_without_ink(mode: int) -> None:
    data = _with_mode(mode)
    document = add(data, "rapport.pdf")
    report = gate(document, data)
    assert not report.accepted
    assert any(f["code"] == "invisible" for f in report.findings), report.findings
