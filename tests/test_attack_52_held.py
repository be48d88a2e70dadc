"""Hostile review 52: attacks that held (these pass)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.services import user_create
from contrechamp.documents.models import Document
from contrechamp.groups import services as group_services
from contrechamp.tips.models import Tip
from tests.conftest import PASSWORD, give_authenticator
from tests.groups.conftest import client_for, group  # noqa: F401 (fixture)
from tests.tips.helpers import send


@pytest.fixture(autouse=True)
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    return tmp_path


@pytest.mark.django_db
def test_a_contributor_cannot_reply_to_nor_close_a_tip_and_learns_nothing_of_its_id(
    contributor_client,
):
    send(Client(), text="Des cameras VSA place du marche.")
    tip = Tip.objects.get()
    for name in ("tip-reply", "tip-status"):
        there = contributor_client.post(
            reverse(name, args=[tip.id]), {"text": "x", "status": "closed"}
        )
        absent = contributor_client.post(
            reverse(name, args=[tip.id + 1000]), {"text": "x", "status": "closed"}
        )
        assert there.status_code == absent.status_code == 404
    tip.refresh_from_db()
    assert tip.status == "new" and not tip.messages.exists()


@pytest.mark.django_db
def test_a_reviewer_before_the_second_factor_gets_nothing_private(client):
    reviewer = give_authenticator(
        user_create(username="rene", email="rene@example.org", password=PASSWORD, role="reviewer")
    )
    send(
        Client(),
        text="Des cameras VSA place du marche.",
        files=[("note.txt", b"Contrat de videosurveillance, lot 2.\n", "text/plain")],
    )
    half = Client()
    assert half.login(username="rene", password=PASSWORD)
    assert half.get(reverse("tip-queue")).status_code == 302
    assert half.get(reverse("document-list")).status_code == 302
    # The API answers as to a visitor: the tip's document is not listed.
    body = half.get("/api/v1/documents").json()
    assert body["results"] == []
    assert Document.objects.filter(origin="tip").exists()
    assert reviewer.pk


@pytest.mark.django_db
def test_a_password_reset_says_the_same_and_mails_once_for_known_and_unknown(contributor):
    answers = []
    for address in ("camille@example.org", "nobody-here@example.org"):
        mail.outbox.clear()
        response = Client().post(reverse("password_reset"), {"email": address})
        answers.append((response.status_code, response.get("Location")))
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [address]
    assert answers[0] == answers[1]


@pytest.mark.django_db
def test_a_removed_member_loses_the_worklist_and_members_list(
    group,  # noqa: F811
    contributor,
    other_contributor,
):  # noqa: F811
    group_services.work_item_add(group=group, user=contributor, kind="other", note="Secret")
    removed = client_for(None, other_contributor)
    assert removed.get(reverse("group-worklist", args=[group.slug])).status_code == 200
    membership = group.memberships.get(user=other_contributor)
    group_services.membership_remove(membership=membership, by=contributor)
    assert removed.get(reverse("group-worklist", args=[group.slug])).status_code == 404
    assert removed.get(reverse("group-members", args=[group.slug])).status_code == 404
    assert "Secret" not in removed.get(group.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_work_items_version_past_64_bits_is_not_a_500(group, contributor):  # noqa: F811
    item = group_services.work_item_add(group=group, user=contributor, kind="other", note="Lire")
    member = client_for(None, contributor)
    member.raise_request_exception = False
    response = member.post(
        reverse("group-work-item", args=[group.slug, item.id]),
        {"version": str(2**70), "action": "take"},
    )
    assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/documents/{2**70}",
        f"/api/v1/documents/1/pages/{2**70}",
        f"/api/v1/requests/{2**70}",
        f"/documents/{2**70}/",
        f"/demandes/{2**70}/",
        "/documents/?page=%C2%B2",
        "/demandes/?page=%C2%B2",
    ],
)
def test_overlong_numbers_in_addresses_are_not_a_500(url, settings):
    client = Client(raise_request_exception=False)
    assert client.get(url).status_code < 500
