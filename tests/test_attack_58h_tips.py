"""Walk 58h: a resident's tip with a photo, refused for a partial commune name
("Saint-Ét"), came back without its photo; neither the form nor the receipt said how
long a tip is kept. Each test fails on the code before the fix."""

from __future__ import annotations

import html as html_lib

import pytest
from django.urls import reverse

from contrechamp.tips.models import Tip
from tests.documents.conftest import library  # noqa: F401
from tests.tips import samples
from tests.tips.helpers import send

pytestmark = pytest.mark.django_db
RETENTION_FR = "Un signalement et ses fichiers sont gardés"


def test_a_partial_commune_name_does_not_lose_the_photo(client):
    response, code = send(
        client,
        "Une caméra neuve devant l’école.",
        files=[("photo.jpg", samples.jpeg_with_gps_and_xmp(), "image/jpeg")],
        place="Saint-Ét",
    )
    assert response.status_code == 200 and code is not None
    tip = Tip.objects.get()
    assert tip.documents.count() == 1
    assert tip.place is None
    # The words typed reach the reviewers, and the sender is told.
    assert "Saint-Ét" in tip.text
    page = html_lib.unescape(response.content.decode())
    assert 'id="place-as-typed"' in page and "Saint-Ét" in page


def test_a_name_of_several_communes_is_kept_as_typed_too(client):
    response, code = send(client, "Des caméras.", place="Saint-Martin")
    assert code is not None
    assert "Saint-Martin" in Tip.objects.get().text


def test_a_known_commune_is_still_linked_and_adds_nothing(client):
    response, code = send(client, "Des caméras.", place="Saint-Étienne (42218)")
    tip = Tip.objects.get()
    assert tip.place_id is not None and tip.text == "Des caméras."
    assert 'id="place-as-typed"' not in response.content.decode()


def test_the_form_and_the_receipt_say_how_long_a_tip_is_kept(client):
    form = html_lib.unescape(client.get(reverse("tip-create")).content.decode())
    assert RETENTION_FR in form and f'href="{reverse("privacy")}#tips"' in form
    # Said before sending: the files of a form that comes back must be chosen again.
    assert 'id="files-lost-note"' in form
    response, _code = send(client, "Des caméras.")
    receipt = html_lib.unescape(response.content.decode())
    assert RETENTION_FR in receipt and f'href="{reverse("privacy")}#tips"' in receipt
