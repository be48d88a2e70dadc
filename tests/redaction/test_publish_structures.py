"""A redacted name leaves the published file by no structure a reader or a tool can list:
outlines, the structure tree, private application data, page labels, actions, named
destinations, article threads, a picture's comment; and the gate refuses any object of
the file that still holds a redacted text, whatever structure carries it."""

from __future__ import annotations

from collections.abc import Callable

import pymupdf
import pytest

from contrechamp.documents import files
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, gate, redactions_suggest
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

VISIBLE = "Affaire suivie par Mme Claire Dubois, courriel claire.dubois@mairie-exemple.fr."
SECRETS = ["claire dubois", "claire.dubois@mairie-exemple.fr", "dubois"]


def _letter() -> tuple[pymupdf.Document, pymupdf.Page]:
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 100), "Rapport sur les caméras de la commune.", fontsize=12)
    page.insert_text((72, 130), VISIBLE, fontsize=11)
    page.insert_text((72, 160), "La vidéoprotection est active.", fontsize=12)
    return pdf, page


def _raw(data: bytes) -> str:
    """Everything a tool can read in the file: its bytes, every object and every stream
    decompressed, and its outline."""
    out = [data.decode("latin-1")]
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        for xref in range(1, pdf.xref_length()):
            out.append(pdf.xref_object(xref) or "")
            try:
                out.append((pdf.xref_stream(xref) or b"").decode("latin-1"))
            except Exception:  # noqa: BLE001 - not a stream
                pass
        out.append(str(pdf.get_toc()))
    return "\n".join(out).lower()


def _jpeg_with_comment(comment: bytes) -> bytes:
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 300, 100), False)
    pixmap.clear_with(200)
    jpeg = pixmap.tobytes("jpeg")
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return jpeg[:2] + segment + jpeg[2:]


def _catalog(key: str, value: str) -> Callable[[pymupdf.Document, pymupdf.Page], None]:
    def put(pdf: pymupdf.Document, page: pymupdf.Page) -> None:
        pdf.xref_set_key(pdf.pdf_catalog(), key, value.replace("PAGE", f"{page.xref} 0 R"))

    return put


def _page(key: str, value: str) -> Callable[[pymupdf.Document, pymupdf.Page], None]:
    def put(pdf: pymupdf.Document, page: pymupdf.Page) -> None:
        pdf.xref_set_key(page.xref, key, value)

    return put


def _outline(pdf: pymupdf.Document, page: pymupdf.Page) -> None:
    pdf.set_toc([[1, "Courrier de Claire Dubois", 1]])


def _struct_tree(pdf: pymupdf.Document, page: pymupdf.Page) -> None:
    xref = pdf.get_new_xref()
    pdf.update_object(
        xref,
        "<</Type/StructTreeRoot/K <</Type/StructElem/S/Figure/Alt(Photo de Claire Dubois)"
        "/ActualText(claire.dubois@mairie-exemple.fr)>> >>",
    )
    pdf.xref_set_key(pdf.pdf_catalog(), "StructTreeRoot", f"{xref} 0 R")


def _kept_picture(pdf: pymupdf.Document, page: pymupdf.Page) -> None:
    comment = b"Photo: Claire Dubois 06 12 34 56 78 GPS 48.85N"
    page.insert_image(pymupdf.Rect(72, 200, 372, 300), stream=_jpeg_with_comment(comment))


STRUCTURES = {
    "outline": _outline,
    "structure tree": _struct_tree,
    "page piece info": _page("PieceInfo", "<</App <</Private (Claire Dubois 06 12)>> >>"),
    "catalog piece info": _catalog("PieceInfo", "<</App <</Private (Claire Dubois)>> >>"),
    "page labels": _catalog("PageLabels", "<</Nums [0 <</P (Dossier Claire Dubois - )/S/D>>]>>"),
    "open action": _catalog(
        "OpenAction", "<</S/URI/URI (mailto:claire.dubois@mairie-exemple.fr)>>"
    ),
    "page action": _page("AA", "<</O <</S/URI/URI (mailto:claire.dubois@mairie-exemple.fr)>> >>"),
    "named destinations": _catalog("Names", "<</Dests <</Names [(Claire Dubois) [PAGE /Fit]]>> >>"),
    "threads": _catalog("Threads", "[<</Type/Thread/I <</Title (Notes Claire Dubois)>> >>]"),
    "kept picture's comment": _kept_picture,
}


@pytest.mark.parametrize("structure", list(STRUCTURES))
def test_publication_removes_the_structures_that_carry_a_name(structure: str) -> None:
    pdf, page = _letter()
    STRUCTURES[structure](pdf, page)
    document = add(pdf.tobytes(), "courrier.pdf")
    redactions_suggest(document=document)
    for redaction in Redaction.objects.of(document).filter(status="suggested"):
        # The picture is kept: it is a logo, not a person.
        kept = redaction.kind in ("photo", "signature")
        redaction.status = "rejected" if kept else "accepted"
        redaction.save()
    assert Redaction.objects.filter(page__document=document, text__icontains="Dubois").exists()
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    raw = _raw(files.read(files.derived_path(document, "published.pdf")))
    for secret in SECRETS:
        assert secret not in raw, (structure, secret)


def _published_and_document() -> tuple[object, pymupdf.Document]:
    pdf, _page_ = _letter()
    document = add(pdf.tobytes(), "courrier.pdf")
    redactions_suggest(document=document)
    Redaction.objects.of(document).filter(status="suggested").update(status="accepted")
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    published = files.read(files.derived_path(document, "published.pdf"))
    return document, pymupdf.open(stream=published, filetype="pdf")


@pytest.mark.parametrize(
    "carrier",
    [
        "key",  # a private key of the catalog nobody knows about
        "hex",  # the same as a UTF-16BE hex string
        "stream",  # in a compressed stream no page uses
        "font",  # the name of a font
    ],
)
def test_the_gate_refuses_a_redacted_text_anywhere_in_the_file(carrier: str) -> None:
    document, pdf = _published_and_document()
    catalog = pdf.pdf_catalog()
    if carrier == "key":
        pdf.xref_set_key(catalog, "ZzPrivate", "(Dossier de CLAIRE  Dubois)")
    elif carrier == "hex":
        text = "Claire Dubois".encode("utf-16-be").hex().upper()
        pdf.xref_set_key(catalog, "ZzPrivate", f"<FEFF{text}>")
    elif carrier == "stream":
        xref = pdf.get_new_xref()
        pdf.update_object(xref, "<<>>")
        pdf.update_stream(xref, b"notes: claire.dubois@mairie-exemple.fr", compress=True)
        pdf.xref_set_key(catalog, "ZzPrivate", f"{xref} 0 R")
    else:
        for xref in range(1, pdf.xref_length()):
            if pdf.xref_get_key(xref, "Type")[1] == "/Font":
                pdf.xref_set_key(xref, "BaseFont", "/ClaireDubois-Helvetica")
    data = pdf.tobytes(garbage=1, deflate=True)
    report = gate(document, data)  # type: ignore[arg-type]
    assert not report.accepted
    assert any(f["code"] == "residue" for f in report.findings), report.findings


def test_a_layer_switched_on_is_published_as_plain_content() -> None:
    """A layer that is on and visible hides nothing: publication keeps what it shows and
    drops the layer, rather than being refused for it."""
    pdf, page = _letter()
    layer = pdf.add_ocg("Annexe", on=True)
    page.insert_text((72, 500), "Annexe : plan des caméras du parc.", fontsize=10, oc=layer)
    picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 20), False)
    picture.clear_with(90)
    page.insert_image(pymupdf.Rect(72, 600, 132, 620), pixmap=picture, oc=layer)
    document = add(pdf.tobytes(), "courrier.pdf")
    redactions_suggest(document=document)
    for redaction in Redaction.objects.of(document).filter(status="suggested"):
        kept = redaction.kind in ("photo", "signature")
        redaction.status = "rejected" if kept else "accepted"
        redaction.save()
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons
    published = pymupdf.open(stream=files.read(files.derived_path(document, "published.pdf")))
    assert "plan des caméras" in published[0].get_text()
    assert not published.get_ocgs()
