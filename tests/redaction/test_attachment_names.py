"""An e-mail's text lists its attachments' file names ("Pièces jointes :
plainte-verdier-lacoste.pdf"): a name may say what the attachment keeps private until it
is redacted itself, so the e-mail's review suggests it while the attachment is not
published. Found by a hostile review: a published e-mail showed them as they were."""

from __future__ import annotations

import pymupdf
import pytest

from contrechamp.documents import files
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

NAME = "plainte-verdier-lacoste.pdf"


def _email():
    message = samples.eml(
        "Veuillez trouver ci-joint la plainte.",
        samples.text_pdf(["Plainte au sujet des caméras du parking."]),
        filename=NAME,
        subject="Réponse de la mairie",
    )
    email = add(message, "message.eml")
    return email, email.children.get()


def test_a_private_attachments_name_is_suggested_on_its_emails_pages():
    email, attachment = _email()
    assert attachment.filename == NAME
    redactions_suggest(document=email)
    [suggested] = Redaction.objects.filter(page__document=email, text=NAME)
    assert suggested.kind == "text" and suggested.status == "suggested" and suggested.rects
    # Published with it redacted: the name is in no text of the copy.
    Redaction.objects.filter(page__document=email).update(status="accepted")
    Redaction.objects.filter(title_of=email).update(status="accepted")
    assert document_publish(document=email).accepted
    email.refresh_from_db()
    copy = pymupdf.open(stream=files.published_file(email), filetype="pdf")
    assert "verdier" not in "".join(page.get_text() for page in copy).lower()


def test_a_published_attachments_name_is_not_suggested():
    email, attachment = _email()
    redactions_suggest(document=attachment)
    Redaction.objects.filter(title_of=attachment).update(status="rejected")
    Redaction.objects.filter(page__document=attachment).update(status="rejected")
    assert document_publish(document=attachment, no_redactions=True).accepted
    redactions_suggest(document=email)
    assert not Redaction.objects.filter(page__document=email, text=NAME).exists()
