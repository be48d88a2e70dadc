"""One name for the page number across the site's lists: `page`. The documents list
called it `p`; links written with `p` keep working."""

import re

import pytest
from django.urls import reverse

from contrechamp.documents.models import Document

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r"Liste publique (\d+)", html)


@pytest.fixture
def many_documents(db):
    Document.objects.bulk_create(
        Document(
            sha256=f"{i:064x}",
            size=1,
            filename=f"liste-{i}.pdf",
            title=f"Liste publique {i:03d}",
            is_public=True,
        )
        for i in range(60)
    )


def test_the_documents_list_pages_with_page_and_still_reads_p(client, many_documents):
    url = reverse("document-list")
    first = client.get(url).content.decode()
    assert 'href="?page=2"' in first and "?p=" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert _titles(second) and set(_titles(second)).isdisjoint(_titles(first))
    assert _titles(client.get(url, {"p": 2}).content.decode()) == _titles(second)
