"""The entity gazetteer of a long-running worker follows the registry: a vendor or a
technology added or renamed after it was built is recognised by the next extraction in
the same process, and an unchanged registry costs no rebuild."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contrechamp.documents.entities import detect_text, document_context, gazetteer
from contrechamp.registry.models import Organisation, Technology

pytestmark = pytest.mark.django_db

VENDOR_TEXT = "Les caméras fournies par Zorglub Vision équipent la place du marché."
RENAMED_TEXT = "Les caméras fournies par Quantix Optics équipent la place du marché."
DRONE_TEXT = "La police municipale fera voler un drone au-dessus du carnaval."


def _extract(text):
    """One extraction, as the worker runs it for a document."""
    return detect_text(text, context=document_context([text]))


def _organisations(text):
    return {(f.value, f.organisation_id) for f in _extract(text) if f.kind == "organisation"}


def _drone_technology(text):
    return [f.technology_id for f in _extract(text) if f.value == "drones"]


def test_a_vendor_added_then_renamed_is_recognised_by_the_next_extraction():
    assert not any(oid for _, oid in _organisations(VENDOR_TEXT))  # built, vendor unknown
    vendor = Organisation.objects.create(name="Zorglub Vision", slug="zorglub-vision")
    assert ("Zorglub Vision", vendor.id) in _organisations(VENDOR_TEXT)
    vendor.name = "Quantix Optics"
    vendor.save()
    assert ("Quantix Optics", vendor.id) in _organisations(RENAMED_TEXT)
    assert ("Zorglub Vision", vendor.id) not in _organisations(VENDOR_TEXT)
    vendor.delete()
    assert not any(oid == vendor.id for _, oid in _organisations(RENAMED_TEXT))


def test_a_technology_added_to_the_registry_is_linked_by_the_next_extraction():
    Technology.objects.filter(slug="drones").delete()
    assert _drone_technology(DRONE_TEXT) == [None]
    drones = Technology.objects.create(slug="drones", name_fr="Drones", name_en="Drones")
    assert _drone_technology(DRONE_TEXT) == [drones.id]


def test_an_unchanged_registry_is_not_read_again():
    _extract(VENDOR_TEXT)
    before = gazetteer()
    with CaptureQueriesContext(connection) as queries:
        _extract(VENDOR_TEXT)
        _extract(RENAMED_TEXT)
    assert gazetteer() is before
    # Two small queries per extraction to compare the registry, nothing else.
    assert len(queries) == 4, [q["sql"] for q in queries]
    Organisation.objects.create(name="Zorglub Vision", slug="zorglub-vision")
    _extract(VENDOR_TEXT)
    after = gazetteer()
    assert after is not before
    assert after.communes is before.communes  # the places are not read again
