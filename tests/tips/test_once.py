"""A tip's form taken once: reloading the answer that showed the receipt code (the browser
sends the form again) made a second tip with a second code, and the reviewers read the
tip twice; the follow page's addition, reloaded, added the message twice (a new user's
walk). The same form, with the token its page drew, is taken once, in the transaction
that stores it, and shows the same code again; a form without it (an old page, a field
removed) is taken as before."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contrechamp.tips.models import Tip, TipMessage
from tests.tips import samples
from tests.tips.helpers import CODE, send

ONCE = re.compile(r'name="once" value="([^"]+)"')


def _once(client, url: str) -> str:
    match = ONCE.search(client.get(url).content.decode())
    assert match, "the form carries its token"
    return match.group(1)


@pytest.mark.django_db
def test_the_tip_form_sent_again_makes_no_second_tip_nor_a_second_code(client):
    once = _once(client, reverse("tip-create"))
    data = {"text": "Des caméras place du marché.", "place": "", "once": once}
    first = client.post(reverse("tip-create"), data)
    code = CODE.search(first.content.decode()).group(1)
    again = client.post(reverse("tip-create"), data)
    page = again.content.decode()
    assert again.status_code == 200 and "déjà été reçu" in page
    # Its code again: the second answer is the one the browser shows.
    assert CODE.search(page).group(1) == code
    assert Tip.objects.count() == 1
    # Another page's form is another tip, even with the same words.
    other = _once(client, reverse("tip-create"))
    assert other != once
    client.post(reverse("tip-create"), {**data, "once": other})
    assert Tip.objects.count() == 2


@pytest.mark.django_db
def test_a_form_without_its_token_is_still_taken(client):
    send(client, text="Sans jeton.")
    send(client, text="Sans jeton.")
    assert Tip.objects.count() == 2


@pytest.mark.django_db
def test_a_form_refused_for_its_file_is_taken_once_the_file_is_mended(client):
    once = _once(client, reverse("tip-create"))
    refused = client.post(
        reverse("tip-create"),
        {
            "text": "Voici la page.",
            "once": once,
            "files": [SimpleUploadedFile("page.html", b"<html>Jean</html>", "text/html")],
        },
    )
    assert refused.status_code == 400 and not Tip.objects.exists()
    # The browser kept the words, not the files: the page says so.
    assert "choisissez-les de nouveau" in refused.content.decode()
    mended = client.post(
        reverse("tip-create"),
        {
            "text": "Voici la page.",
            "once": once,
            "files": [SimpleUploadedFile("plan.png", samples.png_with_text(), "image/png")],
        },
    )
    assert CODE.search(mended.content.decode()) and Tip.objects.count() == 1


@pytest.mark.django_db
def test_a_form_with_an_error_says_its_files_must_be_chosen_again(client):
    response = client.post(
        reverse("tip-create"),
        {
            "text": "",
            "files": [SimpleUploadedFile("plan.png", samples.png_with_text(), "image/png")],
        },
    )
    assert response.status_code == 400
    assert "choisissez-les de nouveau" in response.content.decode()
    # Without files, nothing of the kind.
    response = client.post(reverse("tip-create"), {"text": ""})
    assert "choisissez-les de nouveau" not in response.content.decode()


@pytest.mark.django_db
def test_an_addition_sent_again_is_added_once(client):
    _response, code = send(client)
    page = client.post(reverse("tip-follow"), {"code": code}).content.decode()
    once = ONCE.search(page).group(1)
    data = {"code": code, "action": "add", "text": "Place de la mairie.", "once": once}
    first = client.post(reverse("tip-follow"), data)
    again = client.post(reverse("tip-follow"), data)
    assert first.status_code == again.status_code == 200
    assert TipMessage.objects.filter(author="sender").count() == 1
    assert again.content.decode().count("Place de la mairie.") == 1
