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
    page.locator("#upload-progress li").get_by_role("link", name="ajouté : ouvrir").click()
    expect(page.locator("#document-status")).to_have_text("traité", timeout=120_000)
    document_url = page.url.split("?")[0]

    page.get_by_role("link", name="Occulter et publier").click()
    # The server's first detection loads the language model: give it time.
    page.get_by_role("button", name="Détecter les données personnelles").click(timeout=120_000)
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
    assert original.status == 404  # private and missing documents answer alike
    published = other.page.request.get(document_url + "publie.pdf")
    assert published.status == 200 and published.body().startswith(b"%PDF")
    assert v.third_parties() == set() and other.third_parties() == set()


# --- What the reviewer sees is what will be blacked out (issue 11) -------------------

BOXED = [
    "Affaire suivie par : M. Théo Vasseur-Lambert\n"
    "Courriel : theo.vasseur@mairie-exemple.fr, téléphone 04 76 11 22 33.\n"
    "La commune confirme deux caméras nomades au parc Paul Mistral.",
]
# Collects every CSP violation of the page, from before its first script runs.
CSP_WATCH = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def _expected_boxes(data: bytes) -> tuple[dict[str, list[float]], float, float]:
    """The boxes the server finds for the suggested texts: PyMuPDF's search, with line-tall
    glyph boxes as the redaction service sets them."""
    pymupdf.TOOLS.set_small_glyph_heights(True)
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        page = pdf[0]
        boxes = {
            text: list(page.search_for(text)[0])
            for text in ("Théo Vasseur-Lambert", "theo.vasseur@mairie-exemple.fr", "04 76 11 22 33")
        }
        return boxes, page.rect.width, page.rect.height


@pytest.fixture(scope="module")
def boxed_letter(browser, site, tmp_path_factory):
    """A letter uploaded and scanned for personal data once; its review page's address."""
    from tests.browser.conftest import Visitor

    data = samples.text_pdf(BOXED)
    path = tmp_path_factory.mktemp("boxed") / "courrier-vasseur.pdf"
    path.write_bytes(data)
    v = Visitor(browser, site)
    v.log_in("rene")
    v.goto("/documents/")
    v.page.get_by_label("Fichiers").set_input_files([str(path)])
    v.page.get_by_role("button", name="Envoyer").click()
    v.page.locator("#upload-progress li").get_by_role("link", name="ajouté : ouvrir").click()
    expect(v.page.locator("#document-status")).to_have_text("traité", timeout=120_000)
    v.page.get_by_role("link", name="Occulter et publier").click()
    # The server's first detection loads the language model: give it time.
    v.page.get_by_role("button", name="Détecter les données personnelles").click(timeout=120_000)
    expect(v.page.locator(".redaction-sheet .box-suggested")).to_have_count(3)
    url = v.page.url.split("#")[0]
    v.context.close()
    return url, data


def _rendered(page) -> tuple[dict, list[dict]]:
    """The page image's box and every redaction box's, as the browser lays them out."""
    page.wait_for_function(
        "() => { const img = document.querySelector('.redaction-sheet img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    image = page.locator(".redaction-sheet img").bounding_box()
    boxes = []
    for box in page.locator(".redaction-sheet .box").all():
        row = page.locator(f"#redaction-{box.get_attribute('data-redaction')}")
        boxes.append(
            {
                "rect": box.bounding_box(),
                "text": row.locator("td").nth(1).inner_text().strip(),
                "status": "accepted" if "box-accepted" in box.get_attribute("class") else "other",
            }
        )
    return image, boxes


def _edges(rect: dict) -> list[float]:
    return [rect["x"], rect["y"], rect["x"] + rect["width"], rect["y"] + rect["height"]]


def _at(image: dict, rect: dict, points: list[float], width: float, height: float) -> bool:
    """Whether each edge of the rendered box (its outline included) lies within two
    pixels of where the box in points falls on the image."""
    sx, sy = image["width"] / width, image["height"] / height
    x0, y0, x1, y1 = points
    expected = [
        image["x"] + x0 * sx,
        image["y"] + y0 * sy,
        image["x"] + x1 * sx,
        image["y"] + y1 * sy,
    ]
    return all(abs(a - b) <= 2 for a, b in zip(_edges(rect), expected, strict=True))


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=str
)
def test_the_reviewer_sees_each_box_where_and_as_large_as_it_will_be_blacked_out(
    make_visitor, boxed_letter, viewport
):
    url, data = boxed_letter
    expected, width, height = _expected_boxes(data)
    v = make_visitor(viewport=viewport)
    v.context.add_init_script(CSP_WATCH)
    console: list[str] = []
    v.page.on("console", lambda m: console.append(m.text))
    v.log_in("rene")
    v.page.goto(url)
    image, boxes = _rendered(v.page)
    assert image["width"] > 300 and image["height"] > 400
    assert len(boxes) >= 3
    for text, points in expected.items():
        (box,) = [b for b in boxes if b["text"] == text]
        assert _at(image, box["rect"], points, width, height), (text, box, points, image)

    # A box given in points through the form (no script needed) lands where it was asked.
    v.page.locator("#draw-form summary").click()
    for name, value in (("x0", 300), ("y0", 400), ("x1", 420), ("y1", 430)):
        v.page.locator(f"#draw-{name}").fill(str(value))
    with v.page.expect_navigation():
        v.page.get_by_role("button", name="Occulter cette zone").click()
    image, boxes = _rendered(v.page)
    drawn = [b for b in boxes if b["status"] == "accepted"]
    assert any(_at(image, b["rect"], [300, 400, 420, 430], width, height) for b in drawn), drawn

    # Dragging over the image draws a box there too, and it shows where it was dragged.
    v.page.evaluate(
        "document.querySelector('.redaction-sheet img').scrollIntoView({block: 'center'})"
    )
    image, boxes = _rendered(v.page)
    # Each width drags over its own free area (the letter is shared by both runs).
    dragged = [100, 600, 250, 640] if viewport["width"] > 800 else [100, 700, 250, 740]
    sx, sy = image["width"] / width, image["height"] / height
    start = (image["x"] + dragged[0] * sx, image["y"] + dragged[1] * sy)
    end = (image["x"] + dragged[2] * sx, image["y"] + dragged[3] * sy)
    # The point where the drag starts is on the page image, not under anything else.
    v.page.wait_for_function(
        "([x, y]) => { const at = document.elementFromPoint(x, y);"
        " return at !== null && at.closest('#sheet') !== null; }",
        arg=list(start),
    )
    v.page.mouse.move(*start)
    v.page.mouse.down()
    v.page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    band = v.page.locator(".redaction-sheet .box-drawing")
    expect(band).to_have_count(1)
    middle = band.bounding_box()
    assert abs(middle["x"] - start[0]) <= 2.5 and abs(middle["y"] - start[1]) <= 2.5
    assert middle["width"] > 20 and middle["height"] > 5
    with v.page.expect_navigation():
        v.page.mouse.move(*end)
        v.page.mouse.up()
    image, boxes = _rendered(v.page)
    assert any(
        _at(image, b["rect"], dragged, width, height) for b in boxes if b["status"] == "accepted"
    ), boxes

    assert v.page.evaluate("window.__csp") == []
    assert not [m for m in console if "Content Security Policy" in m or "Content-Security" in m]
    assert v.page.locator("[style]").count() == 0
