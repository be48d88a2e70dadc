"""After a reply, the reviewer reads that it was sent and where the tip went (a new user's
walk saw it leave the "new" tab without a word, the tab then reading "Aucun signalement
ici.")."""

import pytest
from django.urls import reverse

from contrechamp.tips.models import Tip
from tests.tips.helpers import send


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "fr",
            "Réponse envoyée : l’auteur la lit avec son code de suivi. Le signalement {n} "
            "est maintenant dans l’onglet « en cours de traitement » : "
            '<a href="/signaler/file/?status=handling#tip-{n}">le voir</a>.',
        ),
        (
            "en",
            "Reply sent: the sender reads it with their receipt code. Tip {n} is now under "
            '“being handled”: <a href="/signaler/file/?status=handling#tip-{n}">see it</a>.',
        ),
    ],
)
def test_a_reply_says_it_was_sent_and_links_the_tip_where_it_went(client, reviewer, language, said):
    send(client)
    tip = Tip.objects.get()
    staff = type(client)()
    staff.force_login(reviewer)
    response = staff.post(
        reverse("tip-reply", args=[tip.id]),
        {"text": "Bien reçu, merci."},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/signaler/file/?status=handling#tip-{tip.id}"
    html = response.content.decode()
    assert said.format(n=tip.id) in html.replace("\u00a0", " ")
    assert f'id="tip-{tip.id}"' in html
