"""A registry source of a library document not yet published names it by a neutral title;
the walk of the thirty-first session found its date and origin beside that title ("autre,
14 juillet 2026"; an anonymous tip's origin said a tip had come), and the change's comment
naming the private document's number on the home page. A leaked memo's date names it as
well as its title."""

import datetime as dt

import pytest

from contrechamp.documents.models import Document, Entity
from contrechamp.documents.services import entity_accept
from contrechamp.registry.models import Revision, Source
from contrechamp.registry.services import deployment_publish
from tests.documents import samples
from tests.documents.conftest import add, publish

pytestmark = pytest.mark.django_db

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT, avec le FIPD."
)


def test_a_private_document_s_date_origin_and_number_are_not_public(client, contributor, reviewer):
    memo = add(samples.text_pdf([TEXT]), "memo.pdf", uploaded_by=contributor)
    Document.objects.filter(id=memo.id).update(date=dt.date(2026, 7, 14), origin="tip")
    memo.refresh_from_db()
    commune = Entity.objects.get(page__document=memo, kind="commune", value="42218")
    deployment = entity_accept(entity=commune, user=reviewer)
    deployment = deployment_publish(deployment=deployment, author=reviewer)
    source = Source.objects.get(document=memo)
    assert (source.publisher, source.published_on) == ("", "")
    comments = list(
        Revision.objects.filter(kind="deployment", object_id=deployment.id).values_list(
            "comment", flat=True
        )
    )
    assert comments and not [c for c in comments if f"document {memo.id}" in c]
    for url in (
        "/",
        deployment.get_absolute_url(),
        "/api/v1/deployments",
        "/exports/dispositifs.csv",
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert "2026-07-14" not in body and "14 juillet 2026" not in body, url
        assert "signalement anonyme" not in body and f"document {memo.id} " not in body, url
    # Published, the document's origin and date are the source's.

    publish(memo, reviewer)
    source.refresh_from_db()
    assert source.published_on == "2026-07-14" and source.publisher
