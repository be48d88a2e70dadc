"""A camera count waiting for review is not named on the document it cites."""

from contrechamp.registry.proposals import camera_count_propose
from tests.documents.test_pages import _cites, _public_document


def test_a_pending_camera_count_is_not_listed_on_the_document_it_cites(client, newcomer):
    document = _public_document("Rapport public caméras")
    camera_count_propose(
        author=newcomer,
        commune_code="42218",
        count=412,
        date="2024-06",
        citations=[_cites(document)],
    )
    html = client.get(f"/documents/{document.id}/").content.decode()
    assert "Saint-Étienne" not in html
