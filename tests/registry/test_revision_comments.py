"""The comments the software writes on versions are shown in the reader's language: an
English page read "publié (acceptée en relecture)", "jeu de démonstration" and
"commune « Villeurbanne »" (a new user's walk). People's own comments stay as written."""

import pytest
from django.utils import translation

from contrechamp.registry.revisions import comment_shown

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "english", "french"),
    [
        ("jeu de démonstration", "demo data set", "jeu de démonstration"),
        ("demo data set", "demo data set", "jeu de démonstration"),
        ("publié", "published", "publié"),
        (
            "publié (acceptée en relecture)",
            "published (accepted by review)",
            "publié (acceptée en relecture)",
        ),
        (
            "Ajout du marché (modifiée et acceptée en relecture)",
            "Ajout du marché (edited and accepted by review)",
            "Ajout du marché (modifiée et acceptée en relecture)",
        ),
        ("commune « Villeurbanne »", "commune “Villeurbanne”", "commune « Villeurbanne »"),
        ("reverted to version 3", "reverted to version 3", None),
        # People's own words, even in brackets, even with a word of the software's.
        ("Article publié dans Le Progrès (édition de Lyon)", None, None),
        ("création", "created", "création"),
    ],
)
def test_the_softwares_comments_follow_the_readers_language(stored, english, french):
    with translation.override("en"):
        assert comment_shown(stored) == (english or stored)
    with translation.override("fr"):
        shown = comment_shown(stored)
        if french is not None:
            assert shown == french
        elif english is None:
            assert shown == stored


def test_the_english_history_shows_them_in_english(client, contributor):
    from django.urls import reverse

    from contrechamp.registry.models import Deployment

    deployment = Deployment.objects.filter(is_published=True).first()
    page = client.get(
        reverse("deployment-history", args=[deployment.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "jeu de démonstration" not in page
    assert "demo data set" in page
