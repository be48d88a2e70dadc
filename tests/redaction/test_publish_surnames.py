"""Publication looks for the surname alone of every redacted name: on every page of the
published file and in the title it is published with, whatever detection suggested
before (a suggestion missed, a title typed at publication), unless a reviewer kept it.

Before, the gate looked only for the redacted texts themselves: with "Béatrice de
Lavalette" redacted, "LAVALETTE a voté contre" on a page or in the title was published."""

import pytest

from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import (
    document_publish,
    redaction_decide,
    redactions_accept_all,
    redactions_suggest,
)
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

NAMES = (
    "Secrétaire de séance : Mme Béatrice de Lavalette. Présents : Mme Hélène Bérard, "
    "M. Paul Martin et Mme Rose Blanc, riverains."
)


def _publish(reviewer, second: str, *, title: str = ""):
    """Page 1 names the persons; page 2 holds `second`, whose suggestions detection
    missed (removed here). Everything else is redacted, then published."""
    document = add(samples.text_pdf([NAMES, second]), "pv.pdf")
    redactions_suggest(document=document)
    Redaction.objects.filter(page__document=document, page__number=2).delete()
    redactions_accept_all(document=document, user=reviewer)
    return document_publish(document=document, user=reviewer, title=title)


@pytest.mark.parametrize(
    "second",
    [
        "Lavalette a voté contre la vidéosurveillance algorithmique.",
        "LAVALETTE a voté contre la vidéosurveillance algorithmique.",
        # Without its accent, as a careless transcription writes it.
        "Le vote de Berard est contre la reconnaissance faciale.",
        "Intervention de BERARD : contre.",
    ],
)
def test_a_surname_alone_left_readable_refuses_publication(reviewer, second):
    publication = _publish(reviewer, second)
    assert not publication.accepted
    assert [f["code"] for f in publication.reasons] == ["surname"], publication.reasons
    assert publication.reasons[0]["params"]["page"] == 2


@pytest.mark.parametrize(
    "second",
    [
        # Common words in small letters, a compound, a street, a longer word.
        "Le drapeau blanc flotte sur la rose des vents de Saint-Martin.",
        "La caméra de la rue Martin filme l'avenue Lavalette et la Martinière.",
    ],
)
def test_a_surname_in_another_word_or_a_street_does_not(reviewer, second):
    publication = _publish(reviewer, second)
    assert publication.accepted, publication.reasons


def test_a_title_with_a_surname_alone_is_refused(reviewer):
    publication = _publish(reviewer, "Aucun nom ici.", title="Vote de LAVALETTE sur la VSA")
    assert not publication.accepted
    assert [f["code"] for f in publication.reasons] == ["title_personal"]


def test_a_surname_kept_by_a_reviewer_is_published(reviewer):
    """Kept readable where it is, by a decision: detection run again suggests it, even
    though the whole name was kept readable on another page (it was not suggested)."""
    document = add(
        samples.text_pdf([NAMES, "Lavalette a voté contre.", "Mme Béatrice de Lavalette"]),
        "pv.pdf",
    )
    redactions_suggest(document=document)
    for number in (1, 3):
        whole = Redaction.objects.get(page__number=number, text="Béatrice de Lavalette")
        redaction_decide(redaction=whole, accept=number == 1, user=reviewer)
    redactions_suggest(document=document)
    alone = Redaction.objects.get(page__number=2, text="Lavalette")
    redaction_decide(redaction=alone, accept=False, user=reviewer)
    redactions_accept_all(document=document, user=reviewer)
    publication = document_publish(document=document, user=reviewer)
    assert publication.accepted, publication.reasons
    document.refresh_from_db()
    assert "Lavalette a voté contre" in document.pages.get(number=2).published_text
