"""A document still being read shows neither "unknown" nor "0" pages (a new user's walk
read "inconnu · 0" on the PDF she had just sent)."""

from contrechamp.documents.models import Document


def test_a_document_being_processed_says_so_instead_of_unknown_and_zero(client, reviewer):
    Document.objects.create(
        sha256="b" * 64,
        size=1200,
        filename="deliberation-suresnes.pdf",
        title="Délibération 2024-031 Suresnes",
        status="processing",
    )
    client.force_login(reviewer)
    html = client.get("/documents/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    row = html.split("Délibération 2024-031 Suresnes", 1)[1].split("</tr>", 1)[0]
    assert "inconnu" not in row and ">0<" not in row
    assert "pas encore connu" in row and "pas encore comptées" in row
    document = Document.objects.get(sha256="b" * 64)
    page = client.get(f"/documents/{document.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "unknown" not in page and "0 pages" not in page
    assert "not known yet, pages not counted yet" in page
