"""Why a file failed, in the reader's language: the pipeline stores the reason in English
(the command line, the API and the logs read it so), and the pages put it back into
French, details included."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from contrechamp.documents import reasons
from contrechamp.documents.models import Step
from tests.documents import samples
from tests.documents.conftest import add

ROOT = Path(__file__).resolve().parents[2]
_RAISED = re.compile(r"\b(?:DocumentError|OcrError|reasons\.reason)\(\s*\"(\w+)\"")


def _sample(template: str) -> dict[str, str]:
    # A detail as a library writes it, with markup a page must not run.
    return {name: f"<b>{name}</b> 7" for name in re.findall(r"%\((\w+)\)s", template)}


def test_every_reason_raised_is_known_and_every_known_reason_is_raised():
    raised = set()
    for path in (ROOT / "contrechamp").rglob("*.py"):
        raised |= set(_RAISED.findall(path.read_text()))
    assert raised - set(reasons.REASONS) == set()
    assert set(reasons.REASONS) - raised == set()


@pytest.mark.parametrize("key", sorted(reasons.REASONS))
def test_each_stored_reason_reads_back_in_french_with_its_details(key):
    params = _sample(reasons.REASONS[key])
    stored = reasons.reason(key, **params)
    with translation.override("fr"):
        french = reasons.translated(stored)
    with translation.override("en"):
        english = reasons.translated(stored)
    assert english == stored
    assert french != stored, f"{key} has no French translation"
    for value in params.values():
        assert value in french
    # Read back to the one template it came from, not to a shorter or longer twin.
    with translation.override("fr"):
        assert french == translation.gettext(reasons.REASONS[key]) % params


def test_a_reason_of_no_known_template_is_shown_as_it_is():
    with translation.override("fr"):
        assert reasons.translated("Le fichier est bizarre.") == "Le fichier est bizarre."
        assert reasons.translated("") == ""
        # A template's text with more around it is not that template.
        assert reasons.translated("Note: The file is empty.") == "Note: The file is empty."


def test_a_step_named_in_a_reason_is_named_for_the_reader():
    stored = reasons.reason("stopped", attempts=3, step="extract")
    with translation.override("fr"):
        text = reasons.translated(stored, steps=Step.LABELS)
    assert text == (
        "Le traitement s’est arrêté 3 fois pendant l’étape « extraction du texte » ; "
        "le fichier est mis de côté."
    )


@pytest.mark.parametrize(
    "data, english, french",
    [
        (b"", "The file is empty.", "Le fichier est vide."),
        (
            samples.encrypted_pdf(),
            "The PDF is protected by a password",
            "Le PDF est protégé par un mot de passe ; demandez à l’expéditeur",
        ),
        (
            samples.page_size_bomb(),
            "outside the accepted sizes",
            "hors des tailles acceptées",
        ),
    ],
    ids=["empty", "password", "page-size"],
)
def test_a_failed_document_page_says_why_in_french(data, english, french, reviewer, client):
    document = add(data, "refusé.pdf")
    assert document.status == "failed" and english in document.error  # stored in English
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert french in page and english not in page
    # The step's row says it too.
    assert page.count(french) == 2


def test_a_failed_document_page_says_why_in_english_for_an_english_reader(
    english, reviewer, client
):
    document = add(samples.encrypted_pdf(), "refusé.pdf")
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "The PDF is protected by a password" in page and "mot de passe" not in page


def test_a_library_message_inside_a_reason_is_not_run_as_markup(reviewer, client):
    document = add(b"", "vide.txt")
    crafted = reasons.reason("pdf_damaged", error='<script>alert("x")</script>')
    document.error = crafted
    document.save(update_fields=["error"])
    client.force_login(reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Le PDF ne peut pas être lu : il est endommagé (" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
