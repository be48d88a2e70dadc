"""A request for documents in a real browser while the server's clock is moved with
time-machine: drafted, sent, silent for a month, implicitly refused, the CADA referral
letter generated with the right dates, an answer filed into the library."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visitor, _free_port
from tests.conftest import CAMILLE, prepared_database
from tests.documents import samples

pytestmark = pytest.mark.browser

SERVE_AT = (
    "import datetime as dt, sys, time_machine\n"
    "time_machine.travel(dt.datetime.fromisoformat(sys.argv[1]), tick=True).start()\n"
    # `web`, in this process: `serve` starts its processes anew, without the moved clock.
    "sys.argv = ['contrechamp', 'web', '--port', sys.argv[2]]\n"
    "from contrechamp.__main__ import main\n"
    "main()\n"
)

RECEIVED = (
    "Date de réception par l’administration (avis de réception postal, réponse à votre "
    "courriel), si vous la connaissez"
)


class ClockedSite:
    """A server of its own whose clock says what the test wants."""

    def __init__(self, data_dir):
        self.env = {
            **os.environ,
            "CONTRECHAMP_DATA_DIR": str(data_dir),
            "DATABASE_URL": prepared_database(data_dir, "access", places=True),
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.server = None
        self.base = ""
        command = [sys.executable, "-m", "contrechamp"]
        for step in (CAMILLE,):
            subprocess.run(command + step, env=self.env, check=True, capture_output=True)

    def serve_at(self, moment: str) -> str:
        self.stop()
        port = _free_port()
        self.server = subprocess.Popen(
            [sys.executable, "-c", SERVE_AT, moment, str(port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/a-propos/donnees/", timeout=2)
                return self.base
            except OSError:
                time.sleep(0.2)
        self.server.kill()
        raise RuntimeError("the server did not start: " + self.server.stderr.read().decode())

    def stop(self) -> None:
        if self.server:
            self.server.terminate()
            self.server.wait(10)
            self.server = None


@pytest.fixture
def clocked(tmp_path, browser):
    site = ClockedSite(tmp_path)
    yield site
    site.stop()


def _visitor(browser, base):
    v = Visitor(browser, base)
    v.log_in("camille")
    return v


def test_a_request_is_refused_by_silence_and_referred_to_the_cada(browser, clocked, tmp_path):
    # 5 March 2026: the request, posted on 2 March and received on the 4th, is recorded.
    base = clocked.serve_at("2026-03-05T09:00:00")
    v = _visitor(browser, base)
    page = v.page
    page.get_by_role("link", name="Demandes", exact=True).click()
    page.get_by_role("link", name="Rédiger une demande").click()
    page.locator("#id_communes").fill("42218")
    page.get_by_label("Objet").fill("Capteurs sonores du quartier Tarentaize")
    page.get_by_label("Les délibérations du conseil relatives au dispositif").check()
    page.get_by_label("Documents demandés").fill("La convention passée avec Serenicity")
    page.get_by_label("Envoyée par").select_option("post")
    page.get_by_role("button", name="Rédiger").click()
    expect(page.locator("h1")).to_have_text("Capteurs sonores du quartier Tarentaize")
    expect(page.locator("#request-status")).to_have_text("brouillon")

    page.get_by_role("link", name="La demande").click()
    letter = page.inner_text("#letter-text")
    assert "L311-9" in letter and "Serenicity" in letter and "recommandée" in letter
    page.go_back()

    page.get_by_label("Date d’envoi").fill("2026-03-02")
    page.get_by_label(RECEIVED).fill("2026-03-04")
    page.get_by_role("button", name="Marquer comme envoyée").click()
    expect(page.locator("#request-status")).to_have_text("envoyée, en attente de réponse")
    implicit = page.locator("tr[data-key=implicit_refusal]")
    expect(implicit).to_contain_text("4 avril 2026")
    expect(page.locator("tr.next")).to_have_attribute("data-key", "reminder")
    v.context.close()

    # Five weeks later, no answer: the refusal is there, and so is the referral letter.
    base = clocked.serve_at("2026-04-07T09:00:00")
    v = _visitor(browser, base)
    page = v.page
    page.goto(base + "/demandes/")
    page.get_by_role("link", name="Capteurs sonores du quartier Tarentaize").click()
    expect(page.locator("#request-status")).to_have_text(
        "refusée implicitement depuis le 4 avril 2026"
    )
    expect(page.locator("tr.next")).to_have_attribute("data-key", "cada_referral_limit")
    expect(page.locator("tr.next")).to_contain_text("4 juin 2026")
    page.get_by_role("link", name="Saisine de la CADA", exact=True).click()
    letter = page.inner_text("#letter-text")
    assert "Date de la demande initiale : 2 mars 2026" in letter
    assert "Date de réception par l'administration : 4 mars 2026" in letter
    assert "refus implicite né le 4 avril 2026" in letter
    assert "R343-1" in letter and "Mairie de Saint-Étienne" in letter
    page.go_back()

    # The town hall answers at last: the file goes into the library, private.
    answer = tmp_path / "convention.pdf"
    answer.write_bytes(samples.text_pdf(["Convention avec la société Serenicity."]))
    page.get_by_label("Fichiers reçus").set_input_files(str(answer))
    page.get_by_label("Il s’agit").select_option("reply")
    page.get_by_label("Reçu le").fill("2026-04-07")
    page.get_by_role("button", name="Ajouter à la bibliothèque").click()
    expect(page.locator(".messages")).to_contain_text("convention.pdf ajouté")
    expect(page.locator("#request-status")).to_have_text("répondue")
    # Its uploader sees it by its title (its state and, once read, its pages' privacy).
    expect(page.locator("#timeline").get_by_role("link", name="convention")).to_be_visible()
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("link", name="convention")).to_be_visible()
    assert v.third_parties() == set()
    v.context.close()


def test_five_requests_sent_are_a_series_and_their_refusals_are_referred_together(browser, clocked):
    base = clocked.serve_at("2026-03-20T09:00:00")
    v = _visitor(browser, base)
    page = v.page
    page.goto(base + "/demandes/nouvelle/")
    # Four town halls and, found by typing its department's name, a prefecture.
    page.locator("#id_communes").fill("42218, 13055, 06088, 69123")
    bodies = page.get_by_label("Autres organismes publics")
    bodies.press_sequentially("Loire", delay=30)
    options = page.locator("#body-suggestions option")
    expect(options.first).to_have_attribute(
        "value", "Conseil régional du Centre-Val de Loire [region:24]"
    )
    prefecture = page.locator('#body-suggestions option[value*="[prefecture:42]"]')
    bodies.fill(prefecture.get_attribute("value"))
    page.get_by_label("Objet").fill("Vidéosurveillance algorithmique")
    page.get_by_label("Documents demandés").fill("Le marché passé avec Briefcam")
    page.get_by_role("button", name="Rédiger").click()
    expect(page.locator(".messages")).to_contain_text("5 demandes rédigées")
    expect(page.locator("#series-requests tbody tr")).to_have_count(5)
    expect(page.locator("#series-requests")).to_contain_text("Préfecture de la Loire")
    page.get_by_label("Date d’envoi").fill("2026-03-10")
    page.get_by_label(RECEIVED).fill("2026-03-12")
    page.get_by_role("button", name="Les marquer comme envoyées").click()
    expect(page.locator(".messages")).to_contain_text("5 demandes enregistrées comme envoyées")
    expect(page.locator("#series")).to_contain_text("L342-1")
    v.context.close()

    # 20 April: a month of silence everywhere. One grouped referral, on Marseille's refusal.
    base = clocked.serve_at("2026-04-20T09:00:00")
    v = _visitor(browser, base)
    page = v.page
    page.goto(base + "/demandes/")
    page.get_by_role("link", name="Vidéosurveillance algorithmique").first.click()
    page.get_by_role(
        "link", name="Vidéosurveillance algorithmique"
    ).click()  # the series of requests
    expect(page.locator("#series-requests")).to_contain_text(
        "refusée implicitement depuis le 12 avril 2026"
    )
    page.get_by_role(
        "link", name="Lettre de saisine groupée, sur un refus (Mairie de Marseille)"
    ).click()
    letter = page.inner_text("#letter-text")
    assert "Nombre de demandes de la série : 5" in letter
    assert "Administration : Mairie de Marseille" in letter
    assert "Préfecture de la Loire — demande du 10 mars 2026" in letter
    page.go_back()
    page.get_by_label("Refus sur lequel porte la saisine").select_option(
        label="Mairie de Marseille"
    )
    page.get_by_label("Date de la saisine").fill("2026-04-20")
    page.get_by_role("button", name="Enregistrer la saisine groupée").click()
    expect(page.locator(".messages")).to_contain_text("5 demandes refusées")
    expect(page.locator("#series-referred")).to_contain_text("Mairie de Marseille")
    page.get_by_role("link", name="Mairie de Nice").click()
    expect(page.locator("#timeline")).to_contain_text("pour toute la série")
    page.get_by_role("link", name="Avis de la saisine groupée").click()
    assert "Mairie de Marseille" in page.inner_text("#letter-text")
    response = page.request.get(base + page.url.split(base)[1].split("courrier")[0] + "saisine.pdf")
    assert response.status == 404  # Nice's refusal was referred through Marseille's
    assert v.third_parties() == set()
    v.context.close()


def test_on_a_phone_a_pasted_address_as_subject_and_an_unreadable_answer(
    browser, clocked, tmp_path
):
    base = clocked.serve_at("2026-03-05T09:00:00")
    v = Visitor(browser, base, viewport={"width": 375, "height": 740})
    v.log_in("camille")
    page = v.page
    page.goto(base + "/demandes/nouvelle/")
    subject = "https://www.ville-exemple.fr/actualites/videoprotection-" + "nouvelles-cameras" * 4
    page.locator("#id_communes").fill("42218")
    page.get_by_label("Objet").fill(subject)
    page.get_by_label("Documents demandés").fill("La convention passée avec Serenicity")
    page.get_by_role("button", name="Rédiger").click()
    expect(page.locator("h1")).to_have_text(subject)
    page.get_by_label("Date d’envoi").fill("2026-03-02")
    page.get_by_role("button", name="Marquer comme envoyée").click()
    expect(page.locator("#request-status")).to_have_text("envoyée, en attente de réponse")
    # A file the library cannot read is refused at once, in French, and nothing is added.
    answer = tmp_path / "reponse.doc"
    answer.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    page.get_by_label("Fichiers reçus").set_input_files(str(answer))
    page.get_by_label("Il s’agit").select_option("reply")
    page.get_by_label("Reçu le").fill("2026-03-05")
    page.get_by_role("button", name="Ajouter à la bibliothèque").click()
    expect(page.locator(".messages")).to_contain_text(
        "reponse.doc : Les anciens fichiers Office (.doc, .xls, .ppt) et les messages Outlook"
    )
    expect(page.locator("#timeline")).not_to_contain_text("réponse")
    # A mistaken event is removed, after a question the browser asks.
    page.locator("#event_kind").select_option("reminder")
    page.locator("#event_date").fill("2026-03-04")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.locator("#timeline")).to_contain_text("relance envoyée")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#timeline").get_by_role("button", name="retirer").click()
    expect(page.locator("#timeline")).to_contain_text("relance envoyée")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#timeline").get_by_role("button", name="retirer").click()
    expect(page.locator(".messages")).to_contain_text("L’événement a été retiré")
    expect(page.locator("#timeline")).not_to_contain_text("relance envoyée")
    # The subject wraps: the page does not scroll sideways (measured once its style sheet
    # is in: on a loaded machine the text was in the page before it).
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the request's page scrolls sideways ({width}px)"
    assert v.third_parties() == set()
    v.context.close()
