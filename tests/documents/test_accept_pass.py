"""Accepting a document's suggestions one after the other into one deployment (a review
pass): one short quote per page, never a passage twice, never the residents' addresses,
and no version that changes nothing (a new user's walk: five versions in a minute, one of
them "No difference", and a quote of the whole page with a passage twice)."""

import pytest
from django.urls import reverse

from contrechamp.documents.models import Entity
from contrechamp.documents.services import MASK, entities_accept
from contrechamp.registry.models import Citation, Revision
from contrechamp.registry.revisions import revision_diff
from contrechamp.registry.services import deployment_publish
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

# The walk's deliberation, its people made up.
MINUTES = [
    "VILLE DE SURESNES",
    "Extrait du registre des délibérations du Conseil municipal",
    "Séance du 14 mars 2024",
    "Délibération n° 2024-031 : Extension du système de vidéoprotection urbaine",
    "et expérimentation d'un logiciel d'analyse algorithmique des images",
    "Présents : M. Guillaume Boudy, maire ; Mme Isabelle Debats ; M. Jean-Louis Testud ;",
    "Mme Nassera Hamza ; M. Yohann Corvis.",
    "Le Conseil municipal,",
    "Vu le code de la sécurité intérieure, notamment ses articles L. 251-1 à L. 255-1 ;",
    "Vu l'arrêté préfectoral n° 2023-0412 du préfet des Hauts-de-Seine autorisant",
    "l'installation de 45 caméras supplémentaires ;",
    "Considérant la proposition de la société XXII pour une expérimentation de",
    "vidéosurveillance algorithmique (détection d'intrusion, comptage de foules) ;",
    "DÉLIBÈRE :",
    "Article 1 : Le Conseil approuve l'extension du réseau de 180 à 225 caméras de",
    "vidéoprotection sur la voie publique, pour un montant de 412 000 euros HT.",
    "Article 2 : Le Conseil autorise le maire à signer la convention d'expérimentation",
    "avec la société XXII, 10 rue de Penthièvre, 75008 Paris.",
    "Article 3 : Les riverains ayant formulé une réclamation seront informés par courrier :",
    "M. Karim Benali, 12 rue des Bourets, 92150 Suresnes, téléphone 06 12 34 56 78,",
    "Mme Sophie Marchand, 4 avenue Jean Jaurès, 92150 Suresnes, sophie.marchand@example.fr.",
    "Article 4 : La dépense sera imputée au budget 2024, chapitre 21.",
    "Fait à Suresnes, le 15 mars 2024.",
]


@pytest.fixture
def minutes(contributor):
    text = "\n".join(MINUTES)
    return add(samples.text_pdf([text]), "deliberation.pdf", uploaded_by=contributor)


def _row(document, kind, value):
    return list(Entity.objects.filter(page__document=document, kind=kind, value=value))


def _pass(document, reviewer):
    """The walk's five accepts, one after the other, into one new deployment."""
    deployment = entities_accept(entities=_row(document, "commune", "92073"), user=reviewer)
    for kind, value in (
        ("organisation", "XXII"),
        ("organisation", "Préfecture des Hauts-de-Seine"),
        ("technology", "vsa"),
        ("amount", "412000"),
    ):
        role = "cited" if value.startswith("Préfecture") else ""
        deployment = entities_accept(
            entities=_row(document, kind, value), deployment=deployment, user=reviewer, role=role
        )
    return deployment


def test_the_commune_is_quoted_once_and_never_from_the_residents_addresses(reviewer, minutes):
    deployment = entities_accept(entities=_row(minutes, "commune", "92073"), user=reviewer)
    quote = Citation.objects.get(deployment=deployment).quote
    assert "téléphone" not in quote and "riverains" not in quote
    assert quote.lower().count("suresnes") == 1  # ("VILLE DE SURESNES", its heading)
    assert "[…]" not in quote


def test_a_pass_quotes_each_passage_once_and_stays_short(reviewer, minutes):
    deployment = _pass(minutes, reviewer)
    quote = Citation.objects.get(deployment=deployment).quote
    passages = [p.strip(" …") for p in quote.split("[…]")]
    assert len(passages) == len(set(passages))
    for passage in passages:
        assert passage.count("Vu l'arrêté") <= 1
    assert quote.count("Vu l'arrêté") <= 1 and quote.count("Considérant") <= 1
    assert not quote.startswith("255-1")
    assert quote.count(MASK) <= 1
    assert len(quote) <= 1000
    for wording in ("XXII", "412 000 euros HT", "préfet des Hauts-de-Seine"):
        assert wording in quote


def test_a_suggestion_already_held_and_quoted_makes_no_version(reviewer, minutes):
    deployment = entities_accept(entities=_row(minutes, "commune", "92073"), user=reviewer)
    deployment = entities_accept(
        entities=_row(minutes, "amount", "412000"), deployment=deployment, user=reviewer
    )
    assert deployment.version == 2
    # Its cameras are the deployment's technology already, and the quote names them.
    cameras = _row(minutes, "technology", "videosurveillance")
    deployment = entities_accept(entities=cameras, deployment=deployment, user=reviewer)
    assert deployment.version == 2
    assert Revision.objects.filter(kind="deployment", object_id=deployment.id).count() == 2
    for entity in cameras:
        entity.refresh_from_db()
        assert entity.status == "accepted" and entity.citation_id


def test_every_version_of_a_pass_shows_what_it_changed(reviewer, minutes):
    """Even while the document is private and its quotes are not public."""
    deployment = _pass(minutes, reviewer)
    revisions = list(
        Revision.objects.filter(kind="deployment", object_id=deployment.id).order_by("version")
    )
    for before, after in zip(revisions, revisions[1:], strict=False):
        changes = [
            (k, before.snapshot.get(k), v)
            for k, v in after.snapshot.items()
            if before.snapshot.get(k) != v
        ]
        assert revision_diff(changes), after.comment


def test_a_pass_is_one_entry_of_the_history_and_of_the_home_page(client, reviewer, minutes):
    """The walk's case: a published deployment, then four suggestions accepted into it."""
    deployment = entities_accept(entities=_row(minutes, "commune", "92073"), user=reviewer)
    deployment = deployment_publish(deployment=deployment, author=reviewer)
    for kind, value, role in (
        ("organisation", "XXII", "vendor"),
        ("organisation", "Préfecture des Hauts-de-Seine", "cited"),
        ("technology", "vsa", ""),
        ("amount", "412000", ""),
    ):
        deployment = entities_accept(
            entities=_row(minutes, kind, value), deployment=deployment, user=reviewer, role=role
        )
    assert deployment.version == 6
    history = client.get(reverse("deployment-history", args=[deployment.slug])).content.decode()
    # The header, the pass (versions 3 to 6), the publication (the draft's versions are
    # the reviewers' only).
    assert history.count("<tr>") == 3
    assert "4 suggestions acceptées en une relecture" in history
    for version in range(3, 7):
        assert reverse("deployment-revision", args=[deployment.slug, version]) in history
    assert "?from=2" in history
    home = client.get(reverse("home")).content.decode()
    assert home.count(f">{deployment.title}<") == 2  # the pass, the publication
    assert "versions 3–6" in home
    changed = client.get(
        reverse("deployment-revision", args=[deployment.slug, 6]) + "?from=2"
    ).content.decode()
    assert "XXII" in changed and "Vidéosurveillance algorithmique" in changed
