"""Hostile review 52c: whole numbers read from requests. `lib.numbers.whole_number` was
to read every id from requests; a public body named by reference ("body:<id>", the
drafting form's bodies field and its label helper) is still read with int() on any
length of digits: past int()'s 4,300 digits it raises ValueError, a 500."""

import pytest

pytestmark = pytest.mark.django_db

DRAFT = {
    "communes": "42218",
    "title": "Vidéosurveillance algorithmique",
    "usual": ["0"],
    "documents_asked": "Le marché passé avec la société Briefcam en 2024",
    "channel": "post",
}


@pytest.mark.parametrize("digits", [25, 5000])
def test_a_body_named_by_an_id_too_long_is_refused_not_a_crash(contributor_client, digits):
    contributor_client.raise_request_exception = False
    response = contributor_client.post(
        "/demandes/nouvelle/", {**DRAFT, "communes": "", "bodies": "body:" + "7" * digits}
    )
    assert response.status_code == 400, response.status_code


def test_an_api_cursor_of_too_many_digits_is_refused_not_a_crash(client):
    import base64

    client.raise_request_exception = False
    cursor = base64.urlsafe_b64encode(b"7" * 4400).decode().rstrip("=")
    response = client.get("/api/v1/organisations", {"cursor": cursor})
    assert response.status_code == 400, response.status_code
