"""The header of a reviewer who has not entered their second factor yet offers only the
two-factor page and logging out: "Modération" and "Veille" led back to it (a new user's
walk)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_header_waits_for_the_second_factor(reviewer):
    client = Client()
    client.force_login(reviewer)
    page = client.get(reverse("twofactor")).content.decode()
    header = page.split('<div class="account">', 1)[1].split("</div>", 1)[0]
    assert reverse("twofactor") in header and reverse("logout") in header
    for name in ("moderation-queue", "watch-queue", "deployment-create", "account"):
        assert f'href="{reverse(name)}"' not in header, name


def test_a_verified_reviewer_has_the_whole_header(client, reviewer):
    # (`client` is the suite's two-factor client: the reviewer is verified.)
    client.force_login(reviewer)
    page = client.get("/").content.decode()
    header = page.split('<div class="account">', 1)[1].split("</div>", 1)[0]
    assert f'href="{reverse("moderation-queue")}"' in header


def test_a_contributor_without_two_factor_has_the_whole_header(contributor):
    client = Client()
    client.force_login(contributor)
    page = client.get("/").content.decode()
    header = page.split('<div class="account">', 1)[1].split("</div>", 1)[0]
    assert f'href="{reverse("account")}"' in header
