"""The receipt code: random, shown once, read back only through a POST; a wrong code
says nothing, whatever it is, and is limited; a code opens its own tip and no other."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from contrechamp.documents import files
from contrechamp.tips.models import Tip, TipMessage
from contrechamp.tips.services import ALPHABET, receipt_hash, receipt_new, tip_reply
from tests.tips import samples
from tests.tips.helpers import send

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def test_a_code_has_over_100_random_bits_in_readable_groups():
    codes = {receipt_new() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [5] * 5
        assert set("".join(groups)) <= set(ALPHABET)
    assert 25 * 5 >= 100  # 32 letters → 5 bits each


def test_a_code_typed_loosely_is_the_same_code():
    code = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY"
    assert receipt_hash(code) == receipt_hash(" abcde fghij klmno pqrst uvwxy ")
    assert receipt_hash("ABCDE-FGH1J-KLMN0-PQRST-UVWXY") == receipt_hash(code)


@pytest.mark.django_db
def test_the_code_is_shown_once_and_never_in_an_address(client):
    response, code = send(client)
    assert code and response.status_code == 200
    assert not response.has_header("Location")
    assert code not in response.get("Location", "")
    # The follow form posts the code; it never reads it from the query string.
    page = client.get(reverse("tip-follow") + f"?code={code}").content.decode()
    assert "Des cameras VSA" not in page
    assert 'method="post"' in page


@pytest.mark.django_db
def test_the_sender_reads_replies_and_adds_text_and_files_with_the_code(client, reviewer):
    _response, code = send(client, text="Premier message du lanceur.")
    tip = Tip.objects.get()
    tip_reply(tip=tip, text="Merci, pouvez-vous preciser le lieu ?", reviewer=reviewer)
    page = client.post(reverse("tip-follow"), {"code": code}).content.decode()
    assert "Premier message du lanceur." in page
    assert "pouvez-vous preciser le lieu" in page
    assert reviewer.username not in page  # replies come from "the reviewers"
    added = client.post(
        reverse("tip-follow"),
        {
            "code": code.lower().replace("-", " "),
            "action": "add",
            "text": "Place de la mairie.",
            "files": [SimpleUploadedFile("plan.png", samples.png_with_text(), "image/png")],
        },
    )
    assert added.status_code == 200
    assert "Place de la mairie." in added.content.decode()
    message = TipMessage.objects.get(author="sender")
    assert message.text == "Place de la mairie." and message.documents.count() == 1
    assert tip.documents.count() == 1
    assert samples.leaks(files.original(message.documents.get())) == []


@pytest.mark.django_db
def test_adding_an_uncleanable_file_keeps_nothing(client):
    _response, code = send(client)
    response = client.post(
        reverse("tip-follow"),
        {
            "code": code,
            "action": "add",
            "text": "Voici la page.",
            "files": [
                SimpleUploadedFile(
                    "page.html", b"<html><body>Jean SECRET</body></html>", "text/html"
                )
            ],
        },
    )
    assert response.status_code == 400
    assert not TipMessage.objects.exists()


def _answer(client, code: str) -> str:
    return CSRF.sub("", client.post(reverse("tip-follow"), {"code": code}).content.decode())


@pytest.mark.usefixtures("english")
@pytest.mark.django_db
def test_a_wrong_code_gets_the_same_answer_whatever_it_is(client):
    send(client, text="Le secret du premier.")
    with translation.override("en"):
        answers = {
            _answer(client, code)
            for code in (
                "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA",
                "not even a code",
                "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZ",
                "'; DROP TABLE tips_tip; --",
            )
        }
    assert len(answers) == 1
    (answer,) = answers
    assert "No tip matches this code" in answer
    assert "Le secret du premier." not in answer


@pytest.mark.django_db
def test_a_code_opens_its_own_tip_and_no_other(client):
    _r, first = send(client, text="Le secret du premier.")
    _r, second = send(client, text="Le secret du second.")
    page = client.post(reverse("tip-follow"), {"code": second}).content.decode()
    assert "Le secret du second." in page and "Le secret du premier." not in page
    # Adding with one code never writes to the other tip, whatever id the form carries.
    client.post(
        reverse("tip-follow"),
        {"code": second, "action": "add", "text": "Ajout", "tip": Tip.objects.first().id},
    )
    tip_first = Tip.objects.get(text="Le secret du premier.")
    assert not tip_first.messages.exists()


@pytest.mark.django_db
def test_wrong_codes_are_limited_per_address_even_before_a_right_one(client):
    _r, code = send(client)
    for _ in range(10):
        assert (
            client.post(
                reverse("tip-follow"), {"code": "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"}
            ).status_code
            == 200
        )
    refused = client.post(reverse("tip-follow"), {"code": code})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    # Another address is not held back.
    other = client.post(reverse("tip-follow"), {"code": code}, REMOTE_ADDR="192.0.2.44")
    assert other.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_follow_up_page_says_what_happens_to_the_files_added(client, language):
    """The first form says the files' metadata is removed and what it leaves in them; the
    follow-up page's "add files" field said nothing of it (a new user's walk)."""
    _response, code = send(client)
    first = client.get(reverse("tip-create"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    follow = client.post(
        reverse("tip-follow"), {"code": code}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    with translation.override(language):
        from django.utils.translation import gettext

        notices = [
            gettext(text)
            for text in (
                "PDF, JPEG, PNG, TIFF, Word (.docx), OpenDocument (.odt) or text. Their "
                "metadata (author, camera, GPS position, dates) is removed on arrival.",
                "The metadata of your files (author, software, camera, GPS position, dates) "
                "is removed before they are stored, and their names are replaced. A file "
                "whose metadata cannot be removed is refused.",
                "What the text and the pages themselves say is not changed: a name, a "
                "signature, a face, a reference number or a printer's tracking dots stay. "
                "Remove them yourself if they could identify you.",
            )
        ]
    for notice in notices:
        assert notice in first
        assert notice in follow, notice
    # The field's own help, in the form that adds files.
    assert notices[0] in follow.split('id="add-form"', 1)[1]


@pytest.mark.django_db
def test_the_follow_up_page_says_why_a_language_switch_asks_for_the_code_again(client):
    """A new user's walk: switching language on the follow-up page went back to the code
    form, with nothing saying why (the code is sent in a form, never in the address)."""
    response, code = send(client)
    page = client.post(
        reverse("tip-follow"), {"code": code}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'id="code-not-kept"' in page and "changing the page's language" in page
