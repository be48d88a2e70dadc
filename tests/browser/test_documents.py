"""The document library in a real browser, with the real worker, OCR and search."""

import re

import pytest
from playwright.sync_api import expect

from tests.documents import samples

pytestmark = pytest.mark.browser

SCAN = (
    "Commune de Saint-Étienne\n\n"
    "Le conseil municipal approuve l'installation de capteurs sonores\n"
    "dans le quartier de Tarentaize pour un montant de 45 000 euros."
)


def test_a_reviewer_uploads_a_scan_and_an_email_searches_and_cites_a_page(make_visitor, tmp_path):
    scan = tmp_path / "courrier-scanne.pdf"
    # Page 1 is only text; page 2, the scan, is where the word will be found.
    scan.write_bytes(samples.mixed_pdf("Bordereau d'envoi du service juridique.", SCAN))
    mail = tmp_path / "reponse.eml"
    attachment = samples.text_pdf(["Annexe : délibération sur la vidéoprotection."])
    mail.write_bytes(samples.eml("Veuillez trouver la délibération ci-jointe.", attachment))

    empty = tmp_path / "vide.pdf"
    empty.write_bytes(b"")

    v = make_visitor()
    page = v.page
    v.log_in("rene")
    page.get_by_role("link", name="Documents").first.click()
    # (The library's filters have a "Provenance" of their own: the upload form's.)
    upload = page.locator("#upload-form")
    upload.get_by_label("Fichiers").set_input_files([str(scan), str(mail), str(empty)])
    upload.get_by_label("Provenance").select_option("access_request")
    page.get_by_role("button", name="Envoyer").click()
    progress = page.locator("#upload-progress li")
    expect(progress.get_by_role("link", name="ajouté : ouvrir")).to_have_count(2)
    # The refused file's bar says so in the error's colour, not the browser's blue.
    refused = page.locator("#upload-progress li.error")
    expect(refused).to_contain_text("vide.pdf est vide")
    colour = refused.locator("progress").evaluate("bar => getComputedStyle(bar).accentColor")
    assert colour == "rgb(176, 0, 32)"
    # Once every file is answered, a link shows the list with the new documents (the list
    # under the form was the one before the upload).
    page.get_by_role("link", name="Afficher la liste avec les nouveaux documents").click()

    # Wait for the worker: the document page refreshes itself until it is processed.
    page.locator("table.list").get_by_role("link", name=re.compile("courrier-scanne")).click()
    expect(page.locator("#document-status")).to_have_text("traité", timeout=120_000)
    page.goto(v.base + "/documents/")
    page.get_by_role("link", name="Réponse à votre demande CADA").click()
    expect(page.locator("#document-status")).to_have_text("traité", timeout=120_000)
    page.get_by_role("link", name="deliberation").click()
    expect(page.locator("#document-status")).to_have_text("traité", timeout=120_000)
    assert "vidéoprotection" in page.inner_text(".page-text")

    # A word that exists only in the scan, through the search box.
    page.get_by_role("link", name="Rechercher", exact=True).click()
    page.get_by_label("Rechercher", exact=True).fill("Tarentaize")
    page.get_by_role("button", name="Rechercher").click()
    # One document, its best page under it.
    hits = page.locator("ol.hits > li.hit-document")
    expect(hits).to_have_count(1)
    expect(hits.locator("mark")).to_have_text("Tarentaize")
    hits.get_by_role("link", name="page 2").click()
    page.wait_for_url(re.compile(r"\?page=2"))
    assert "Page 2 sur 2" in page.inner_text("#page h2")
    assert "Tarentaize" in page.inner_text(".page-text")
    # The page image, rendered by the server, loads.
    source = page.locator(".page-view img").get_attribute("src")
    image = page.request.get(v.base + source)
    assert image.status == 200 and image.body().startswith(b"\x89PNG")
    page.wait_for_function(
        "() => { const img = document.querySelector('.page-view img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )

    # Accept the suggested commune into a new deployment, cited with this page.
    row = page.locator("tr.entity-commune", has_text="Saint-Étienne")
    row.get_by_label("Dispositif").select_option("new")
    row.get_by_role("button", name="Accepter").click()
    page.wait_for_url(re.compile(r"/dispositifs/.+/modifier/"))
    assert "Saint-Étienne" in page.inner_text("main")
    assert "p. 2" in page.content()
    assert v.third_parties() == set()


def test_a_second_batch_sent_while_the_first_uploads_keeps_the_first_lines(make_visitor, tmp_path):
    """The upload list used to be emptied by the second batch: the first batch's file,
    still uploading, then arrived with no line to say whether it was added."""
    first = tmp_path / "premier-lot.pdf"
    first.write_bytes(samples.text_pdf(["Premier lot : arrêté préfectoral sur les caméras."]))
    second = tmp_path / "second-lot.pdf"
    second.write_bytes(samples.text_pdf(["Second lot : délibération sur la vidéoprotection."]))
    v = make_visitor()
    page = v.page
    v.log_in("rene")
    page.goto(v.base + "/documents/")
    # The first batch's request is held until the second batch is answered.
    held = []

    def hold_the_first(route):
        if route.request.method == "POST" and not held:
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/documents/"), hold_the_first)
    upload = page.locator("#upload-form")
    upload.get_by_label("Fichiers").set_input_files([str(first)])
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_function("() => document.querySelectorAll('#upload-progress li').length === 1")
    assert len(held) == 1
    upload.get_by_label("Fichiers").set_input_files([str(second)])
    page.get_by_role("button", name="Envoyer").click()
    progress = page.locator("#upload-progress li")
    expect(progress.get_by_role("link", name="ajouté : ouvrir")).to_have_count(1)
    # The first batch is still uploading: no link to the refreshed list yet.
    expect(progress.filter(has_text="premier-lot.pdf")).to_have_count(1)
    expect(
        page.get_by_role("link", name="Afficher la liste avec les nouveaux documents")
    ).to_have_count(0)
    held[0].continue_()
    expect(progress.get_by_role("link", name="ajouté : ouvrir")).to_have_count(2)
    expect(progress.filter(has_text="premier-lot.pdf").get_by_role("link")).to_have_count(1)
    # One link to the refreshed list, after both batches' lines.
    refresh = page.get_by_role("link", name="Afficher la liste avec les nouveaux documents")
    expect(refresh).to_have_count(1)
    expect(progress.last).to_have_class("refresh")
    assert v.third_parties() == set()


def test_the_list_under_the_form_no_longer_says_it_is_empty_after_an_upload(make_visitor, tmp_path):
    """A new user's walk read "Aucun document pour l'instant" under the line saying her
    document was added."""
    sent = tmp_path / "arrete-agde.pdf"
    sent.write_bytes(samples.text_pdf(["Arrêté municipal d'Agde sur la vidéoprotection."]))
    v = make_visitor()
    page = v.page
    v.log_in("rene")
    # A list that is empty when the page is read: the documents about Agde.
    page.goto(v.base + "/documents/?place=34003")
    empty = page.locator("#documents-empty")
    expect(empty).to_have_text("Modifiez ou retirez un filtre pour lister d’autres documents.")
    upload = page.locator("#upload-form")
    upload.get_by_label("Fichiers").set_input_files([str(sent)])
    upload.get_by_label("Commune (nom ou code INSEE)").fill("34003")
    page.get_by_role("button", name="Envoyer").click()
    expect(
        page.locator("#upload-progress").get_by_role("link", name="ajouté : ouvrir")
    ).to_have_count(1)
    expect(empty).to_have_text("Cette liste a été lue avant votre envoi. La relire")
    empty.get_by_role("link", name="La relire").click()
    row = page.locator("table.list tbody tr").filter(has_text="arrete-agde")
    expect(row).to_have_count(1)
    assert v.third_parties() == set()
