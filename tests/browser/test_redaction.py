"""Redaction in a real browser: a reviewer reviews the suggested boxes, draws one by
dragging over the page, redacts a name everywhere and publishes; a visitor then reads
only the redacted copy."""

import re

import pymupdf
import pytest
from playwright.sync_api import expect

from tests.documents import samples

pytestmark = pytest.mark.browser

PAGES = [
    "Affaire suivie par : Mme Odile Marchetti\n"
    "Courriel : odile.marchetti@mairie-exemple.fr, téléphone 04 77 98 76 54.\n"
    "La commune confirme les capteurs sonores du quartier Montreynaud.",
    "Annexe : réponse à adresser à Mme Odile Marchetti.",
]


def test_a_reviewer_redacts_by_hand_and_publishes_and_a_visitor_reads_the_copy(
    make_visitor, tmp_path
):
    letter = tmp_path / "courrier-marchetti.pdf"
    data = samples.text_pdf(PAGES)
    letter.write_bytes(data)
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        (word,) = pdf[0].search_for("Montreynaud")
        width, height = pdf[0].rect.width, pdf[0].rect.height

    v = make_visitor()
    page = v.page
    v.log_in("rene")
    v.goto("/documents/")
    page.get_by_label("Fichiers").set_input_files([str(letter)])
    page.get_by_role("button", name="Envoyer").click()
    page.locator("#upload-progress li").get_by_role("link").click()
    expect(page.locator("#document-status")).to_have_text("traité", timeout=120_000)
    document_url = page.url.split("?")[0]

    page.get_by_role("link", name="Occulter et publier").click()
    page.get_by_role("button", name="Détecter les données personnelles").click()
    expect(page.locator("#redaction-summary")).to_contain_text("Suggérées")
    boxes = page.locator(".redaction-sheet .box-suggested")
    expect(boxes).to_have_count(3)  # the name, the e-mail address, the phone number

    # Keep the e-mail suggestion for a reason of its own, then redact it.
    row = page.locator("tr[data-kind=email]")
    row.get_by_label("Motif").fill("CRPA L311-6 (vie privée)")
    row.get_by_role("button", name="Occulter").click()
    expect(page.locator(".redaction-sheet .box-accepted")).to_have_count(1)

    # Drag a box over the neighbourhood's name on the page image.
    page.wait_for_function(
        "() => { const img = document.querySelector('.redaction-sheet img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    area = page.locator(".redaction-sheet").bounding_box()
    scale_x, scale_y = area["width"] / width, area["height"] / height
    page.mouse.move(area["x"] + (word.x0 - 2) * scale_x, area["y"] + (word.y0 + 1) * scale_y)
    page.mouse.down()
    page.mouse.move(area["x"] + (word.x1 + 2) * scale_x, area["y"] + (word.y1 - 1) * scale_y)
    page.mouse.up()
    page.wait_for_load_state()
    expect(page.locator("tr[data-kind=manual]")).to_contain_text("Montreynaud")

    # The name, on every page.
    page.get_by_label("Occulter toutes les occurrences de ce texte dans le document").fill(
        "Odile Marchetti"
    )
    page.get_by_role("button", name="Occulter partout").click()
    expect(page.locator(".messages")).to_contain_text("occulté 2 fois")

    page.get_by_role("button", name="Accepter toutes les suggestions").click()
    page.get_by_label("Titre public").fill("Courrier de la mairie sur les capteurs")
    page.get_by_role("button", name="Publier la copie occultée").click()
    expect(page.locator("#publication-state")).to_contain_text("Publié")

    # A visitor, not logged in.
    other = make_visitor()
    other.goto("/documents/")
    other.page.get_by_role("link", name="Courrier de la mairie sur les capteurs").click()
    text = other.page.inner_text(".page-text")
    assert "capteurs sonores" in text
    for secret in ("Marchetti", "odile.", "04 77 98 76 54", "Montreynaud"):
        assert secret not in text
    other.page.get_by_role("link", name="Page suivante").click()
    other.page.wait_for_url(re.compile(r"page=2"))
    assert "Marchetti" not in other.page.inner_text(".page-text")
    other.page.wait_for_function(
        "() => { const img = document.querySelector('.page-view img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    original = other.page.request.get(document_url + "original/", max_redirects=0)
    assert original.status == 302
    published = other.page.request.get(document_url + "publie.pdf")
    assert published.status == 200 and published.body().startswith(b"%PDF")
    assert v.third_parties() == set() and other.third_parties() == set()
