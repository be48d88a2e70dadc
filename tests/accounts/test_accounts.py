import re

from django.contrib.auth.models import User
from django.core import mail

from contrechamp.registry.models import Technology
from tests.conftest import PASSWORD


def test_a_visitor_signs_up_as_a_contributor(client, db):
    response = client.post(
        "/compte/inscription/",
        {
            "email": "sacha@example.org",
            "public_name": "Sacha",
            "password": "une phrase assez longue",
        },
    )
    assert response.status_code == 302
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    client.post(link)
    assert User.objects.get(email="sacha@example.org").profile.role == "contributor"
    assert client.get("/dispositifs/nouveau/").status_code == 200


def test_sign_up_refuses_a_weak_password(client, contributor):
    response = client.post(
        "/compte/inscription/",
        {"email": "x@example.org", "public_name": "Camille", "password": "123"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "trop court" in html
    assert "déjà pris" not in html


def test_password_reset_by_email(client, contributor):
    response = client.post("/compte/password_reset/", {"email": "camille@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/compte/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "un tout nouveau secret", "new_password2": "un tout nouveau secret"},
    )
    assert response.status_code == 302
    assert client.login(username="camille", password="un tout nouveau secret")
    assert not client.login(username="camille", password=PASSWORD)


def test_an_administrator_edits_the_taxonomy(client, administrator, contributor):
    drones = Technology.objects.get(slug="drones")
    url = f"/admin/registry/technology/{drones.id}/change/"
    client.force_login(contributor)
    assert client.get(url).status_code == 302  # not for contributors
    client.force_login(administrator)
    response = client.post(
        url,
        {
            "slug": "drones",
            "name_fr": "Drones et aéronefs",
            "name_en": "Drones and aircraft",
            "definition_fr": "d",
            "definition_en": "d",
            "position": 6,
        },
    )
    assert response.status_code == 302
    assert "Drones et aéronefs" in client.get("/technologies/").content.decode()
