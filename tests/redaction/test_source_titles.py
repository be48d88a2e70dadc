"""A library document cited by a deployment is named, wherever the registry is public,
only by its published (redacted) title: never by the original title (an e-mail subject
or a file name that may hold a person's name), not before publication, not after, not in
the history of the deployment."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from contrechamp.documents.models import Document, Entity
from contrechamp.documents.services import entity_accept
from contrechamp.redaction.services import (
    document_publish,
    document_unpublish,
    redactions_accept_all,
    redactions_suggest,
)
from contrechamp.registry.models import Revision, Source
from contrechamp.registry.services import (
    deployment_create,
    deployment_publish,
    source_get_or_create,
)
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

SUBJECT = "Plainte de Nadia Belkacem — caméras rue de la Buffa"
TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT."
)


@pytest.fixture
def complaint(contributor) -> Document:
    return add(samples.text_pdf([TEXT]), "plainte.pdf", title=SUBJECT, uploaded_by=contributor)


def _public_places(deployment) -> dict[str, str]:
    """Everything anyone may read about the deployment, by where it is read."""
    anonymous = Client()
    places = {
        path: anonymous.get(path).getvalue().decode()
        for path in (
            deployment.get_absolute_url(),
            f"{deployment.get_absolute_url()}historique/",
            "/api/v1/deployments",
            f"/api/v1/deployments/{deployment.slug}",
            "/exports/dispositifs.csv",
            "/exports/dispositifs.geojson",
        )
    }
    for revision in Revision.objects.filter(kind="deployment", object_id=deployment.id):
        path = f"{deployment.get_absolute_url()}historique/{revision.version}/"
        places[path] = anonymous.get(path).content.decode()
    out = io.StringIO()
    call_command("dump", stdout=out)
    places["dump"] = out.getvalue()
    return places


def _leaks(places: dict[str, str]) -> list[str]:
    return [where for where, text in places.items() if re.search("belkacem", text, re.I)]


def test_it_never_shows_the_original_title_of_a_cited_document(reviewer, complaint):
    commune = Entity.objects.get(page__document=complaint, kind="commune")
    deployment = entity_accept(entity=commune, user=reviewer)
    # Before the document is published, its source reads as a neutral label.
    source = Source.objects.get(document=complaint)
    assert source.title in (
        "Document of the library, not yet published",
        "Document de la bibliothèque, pas encore publié",
    )

    redactions_suggest(document=complaint)
    redactions_accept_all(document=complaint, user=reviewer)
    publication = document_publish(document=complaint, user=reviewer)
    assert publication.accepted, publication.reasons
    deployment = deployment_publish(deployment=deployment, author=reviewer)

    places = _public_places(deployment)
    assert "Plainte de […]" in places[deployment.get_absolute_url()]
    assert all(status for status in places), places.keys()
    assert _leaks(places) == []

    # Withdrawn, the document is a neutral label again; published again, its title.
    document_unpublish(document=complaint)
    assert "Plainte de […]" not in Client().get(deployment.get_absolute_url()).content.decode()
    assert _leaks(_public_places(deployment)) == []
    document_publish(document=complaint, user=reviewer)
    source.refresh_from_db()
    assert source.title.startswith("Plainte de […]")


def test_a_citation_typed_with_the_original_title_does_not_carry_it(reviewer, complaint):
    """Whatever title a caller gives for a document's source (the API, an import, an old
    revision restored), the source is named by the rule."""
    deployment = deployment_create(
        data={
            "title": "Capteurs sonores",
            "communes": ["42218"],
            "status": "experimenting",
            "technologies": ["drones"],
            "is_published": True,
            "citations": [
                {
                    "source": {"document": complaint.id, "title": SUBJECT, "url": ""},
                    "quote": "capteurs sonores",
                    "locator": "p. 1",
                }
            ],
        },
        author=reviewer,
    )
    assert _leaks(_public_places(deployment)) == []


def test_an_old_revision_that_stored_the_original_title_shows_the_source_as_it_is(
    reviewer, complaint
):
    commune = Entity.objects.get(page__document=complaint, kind="commune")
    deployment = entity_accept(entity=commune, user=reviewer)
    deployment = deployment_publish(deployment=deployment, author=reviewer)
    # A revision written before titles were protected kept the title in its snapshot.
    for revision in Revision.objects.filter(kind="deployment", object_id=deployment.id):
        snapshot = revision.snapshot
        for citation in snapshot["citations"]:
            citation["source"]["title"] = SUBJECT
        revision.snapshot = snapshot
        revision.save()
    assert _leaks(_public_places(deployment)) == []


def test_a_source_typed_with_the_neutral_label_is_not_the_document(reviewer, complaint):
    """Every unpublished document's source carries the same label: a source typed by hand
    with that label and publisher must be a new source, not a way into a private
    document."""
    commune = Entity.objects.get(page__document=complaint, kind="commune")
    entity_accept(entity=commune, user=reviewer)
    cited = Source.objects.get(document=complaint)
    typed = source_get_or_create(
        {"title": cited.title, "publisher": cited.publisher, "url": "", "published_on": ""}
    )
    assert typed.id != cited.id and typed.document_id is None


def test_sources_made_before_the_rule_are_renamed_by_the_migration(reviewer, complaint):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("contrechamp.documents.migrations.0005_source_titles")
    commune = Entity.objects.get(page__document=complaint, kind="commune")
    entity_accept(entity=commune, user=reviewer)
    Source.objects.filter(document=complaint).update(title=SUBJECT)  # as it was stored
    migration.retitle(apps, None)
    assert "Belkacem" not in Source.objects.get(document=complaint).title
