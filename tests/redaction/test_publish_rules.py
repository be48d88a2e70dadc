"""Nothing is published before its review is done, and every finding of the gate blocks
publication and is shown to the reviewer in their language."""

from __future__ import annotations

import json
from io import StringIO

import pymupdf
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from contrechamp.documents import files
from contrechamp.documents.models import Publication
from contrechamp.redaction import services
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import (
    document_publish,
    finding_text,
    gate,
    redaction_decide,
    redactions_accept_all,
    redactions_suggest,
)
from tests.conftest import prepared_database
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages asserted in English, whatever language is active (French by default)."""
    with translation.override("en"):
        yield


LETTER = (
    "Affaire suivie par : Mme Claire Dubois\n"
    "Courriel : claire.dubois@mairie-exemple.fr, téléphone 06 12 34 56 78.\n"
    "La commune confirme l'installation de capteurs sonores dans le quartier de la gare."
)
HARMLESS = "Délibération du conseil municipal sur la vidéoprotection du centre-ville."


def _public(document) -> bool:
    document.refresh_from_db()
    return document.is_public


def test_a_document_never_detected_is_not_published():
    document = add(samples.text_pdf([LETTER]), "courrier.pdf")
    with pytest.raises(ValidationError, match="Detection of personal data has not run"):
        document_publish(document=document)
    with pytest.raises(ValidationError, match="has not run"):
        document_publish(document=document, no_redactions=True)  # no confirmation skips it
    assert not _public(document) and not Publication.objects.exists()
    assert not files.exists(files.derived_path(document, "published.pdf"))


def test_undecided_suggestions_block_until_each_is_decided(reviewer):
    document = add(samples.text_pdf([LETTER, HARMLESS]), "courrier.pdf")
    redactions_suggest(document=document)
    suggestions = list(Redaction.objects.filter(page__document=document))
    assert len(suggestions) == 3
    redaction_decide(redaction=suggestions[0], accept=True, user=reviewer)
    with pytest.raises(
        ValidationError, match=r"2 suggestion\(s\) are still undecided \(page\(s\) 1\)"
    ):
        document_publish(document=document)
    assert not _public(document)
    for redaction in suggestions[1:]:
        redaction_decide(redaction=redaction, accept=True, user=reviewer)
    publication = document_publish(document=document)
    assert publication.accepted, publication.reasons and _public(document)


def test_publishing_with_nothing_redacted_needs_a_confirmation():
    document = add(samples.text_pdf([HARMLESS]), "deliberation.pdf")
    assert redactions_suggest(document=document) == 0
    with pytest.raises(ValidationError, match="Nothing is redacted"):
        document_publish(document=document)
    assert not _public(document)
    assert document_publish(document=document, no_redactions=True).accepted
    assert _public(document)


def test_every_suggestion_rejected_is_a_publication_with_nothing_redacted(reviewer):
    document = add(samples.text_pdf([LETTER]), "courrier.pdf")
    redactions_suggest(document=document)
    for redaction in Redaction.objects.filter(page__document=document):
        redaction_decide(redaction=redaction, accept=False, user=reviewer)
    with pytest.raises(ValidationError, match="Nothing is redacted"):
        document_publish(document=document)
    assert document_publish(document=document, no_redactions=True).accepted


def test_the_review_screen_refuses_and_says_why(client, reviewer):
    document = add(samples.text_pdf([LETTER]), "courrier.pdf")
    client.force_login(reviewer)
    url = f"/documents/{document.id}/caviardage/"
    page = client.get(url).content.decode()
    assert 'id="publication-blockers"' in page
    assert 'id="publish-form"' in page and "disabled>" in page.split('id="publish-form"')[1]
    response = client.post(f"/documents/{document.id}/publier/", follow=True)
    assert response.status_code == 200 and not _public(document)
    with translation.override("fr"):
        expected = services.publication_blockers(document)[0]
    assert expected.split(":")[0] in response.content.decode()

    redactions_suggest(document=document)
    client.post(f"/documents/{document.id}/publier/", follow=True)
    assert not _public(document)  # three suggestions undecided
    redactions_accept_all(document=document)
    client.post(f"/documents/{document.id}/publier/", follow=True)
    assert _public(document)


def test_the_review_screen_asks_to_confirm_a_publication_with_nothing_redacted(client, reviewer):
    document = add(samples.text_pdf([HARMLESS]), "deliberation.pdf")
    redactions_suggest(document=document)
    client.force_login(reviewer)
    page = client.get(f"/documents/{document.id}/caviardage/").content.decode()
    assert 'name="no_redactions"' in page and 'id="publication-blockers"' not in page
    client.post(f"/documents/{document.id}/publier/", follow=True)
    assert not _public(document)
    client.post(f"/documents/{document.id}/publier/", {"no_redactions": "on"}, follow=True)
    assert _public(document)


def test_the_command_refuses_with_the_reason_and_a_non_zero_exit():
    document = add(samples.text_pdf([HARMLESS]), "deliberation.pdf")
    with pytest.raises(CommandError, match="has not run"):
        call_command("redaction", "publish", str(document.id), stdout=StringIO())
    redactions_suggest(document=document)
    with pytest.raises(CommandError, match="--no-redactions|Nothing is redacted"):
        call_command("redaction", "publish", str(document.id), stdout=StringIO())
    assert not _public(document)
    out = StringIO()
    call_command("redaction", "publish", str(document.id), "--no-redactions", "--json", stdout=out)
    assert json.loads(out.getvalue())["published"] and _public(document)


def test_the_command_line_process_exits_non_zero(tmp_path):
    """The real process, as a shell script would run it."""
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": prepared_database(tmp_path, "publish_rules"),
    }
    command = [sys.executable, "-m", "contrechamp", "documents"]
    pdf = tmp_path / "deliberation.pdf"
    pdf.write_bytes(samples.text_pdf([HARMLESS]))
    added = subprocess.run(
        [*command, "add", str(pdf), "--wait", "--json"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert added.returncode == 0, added.stderr
    number = str(json.loads(added.stdout.splitlines()[-1])["id"])
    refused = subprocess.run(
        [sys.executable, "-m", "contrechamp", "redaction", "publish", number],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "has not run" in refused.stderr


# --- every finding blocks -------------------------------------------------------------


@pytest.fixture
def letter():
    document = add(samples.text_pdf([LETTER]), "courrier.pdf")
    redactions_suggest(document=document)
    redactions_accept_all(document=document)
    return document


def test_one_word_lost_outside_the_boxes_blocks(letter):
    pdf = pymupdf.open(stream=services.redacted_pdf(letter), filetype="pdf")
    page = pdf[0]
    (hit,) = page.search_for("capteurs")
    page.add_redact_annot(hit)
    page.apply_redactions()
    report = gate(letter, pdf.tobytes(garbage=4))
    assert report.checks["lost_words"] == {1: ["capteurs"]}
    assert [f["code"] for f in report.findings] == ["lost"]
    assert not report.accepted


def test_a_redacted_name_left_readable_on_another_page_blocks_unless_kept_there(reviewer):
    document = add(samples.text_pdf([LETTER, "Réunion avec Mme Claire Dubois en mairie."]), "c.pdf")
    redactions_suggest(document=document)
    on_second = Redaction.objects.get(page__number=2, kind="person")
    for redaction in Redaction.objects.filter(page__document=document):
        redaction_decide(redaction=redaction, accept=redaction != on_second, user=reviewer)
    # Kept readable on page 2 by the reviewer's decision: published.
    assert document_publish(document=document).accepted
    # Not decided there (detection missed it): the gate blocks.
    on_second.delete()
    report = gate(document, services.redacted_pdf(document))
    assert [f["code"] for f in report.findings] == ["elsewhere"]
    assert report.findings[0]["params"]["page"] == 2


def test_findings_are_stored_as_messages_and_shown_in_the_readers_language(
    client, reviewer, letter, monkeypatch
):
    monkeypatch.setattr(services, "redacted_pdf", lambda document: files.rendition(document))
    publication = document_publish(document=letter)
    assert not publication.accepted
    stored = publication.reasons[0]
    assert stored["code"] == "leaked" and stored["params"]["count"] == 3
    with translation.override("en"):
        english = finding_text(stored)
    with translation.override("fr"):
        french = finding_text(stored)
    assert "can still be extracted" in english
    assert french != english and "extrait" in french
    client.force_login(reviewer)
    page = client.get(f"/documents/{letter.id}/caviardage/", HTTP_ACCEPT_LANGUAGE="fr").content
    assert 'id="publication-findings"' in page.decode() and french in page.decode()
    assert "can still be extracted" not in page.decode()
