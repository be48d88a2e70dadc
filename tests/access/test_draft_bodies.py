"""A body added by hand in a draft request is its requester's until a request to it is
sent: the autocompletion (API), the request form and its links name it to nobody else."""

import pytest
from django.test import Client

from contrechamp.access import services as access
from contrechamp.access.models import AccessRequest, PublicBody
from contrechamp.accounts.services import account_delete

pytestmark = pytest.mark.django_db

BODY = "Direction sûreté de la SNCF Occitanie — Mme Odile Ferrandier"


def _draft(requester) -> AccessRequest:
    draft = access.requests_draft(
        requester=requester,
        title="Caméras à reconnaissance faciale en gare",
        documents_asked="La convention avec le prestataire",
        new_body={"name": BODY, "kind": "company"},
    )
    assert isinstance(draft, AccessRequest) and draft.status == "draft"
    return draft


def _found(client: Client, query: str) -> list[str]:
    return [b["name"] for b in client.get("/api/v1/bodies", {"q": query}).json()["results"]]


def test_a_body_typed_in_a_draft_request_is_not_public_before_it_is_sent(contributor):
    """Camille drafts a request to a body she adds by hand, named after the person in
    charge. A draft is private (`public_requests` excludes drafts; its page answers 404
    to others): nobody should learn whom the collective is about to ask. The API's body
    autocompletion, public and anonymous, must not list a body added by hand that no
    sent request goes to, nor keep it after the draft is deleted."""
    draft = _draft(contributor)

    anonymous = Client()
    found = anonymous.get("/api/v1/bodies", {"q": "Ferrandier"}).json()["results"]
    assert not found, f"a private draft's body is public: {found}"

    access.request_delete(request=draft)
    # (The hostile review asked for "Odile": "CC du Pays de Sainte-Odile", an official
    # body, answers it whatever becomes of the draft.)
    found = anonymous.get("/api/v1/bodies", {"q": "Ferrandier"}).json()["results"]
    assert not found, f"a deleted draft's body is still public: {found}"


def test_its_requester_finds_it_others_once_the_request_is_sent(
    client, contributor, other_contributor
):
    draft = _draft(contributor)
    client.force_login(contributor)
    assert _found(client, "Ferrandier") == [BODY]
    client.force_login(other_contributor)
    assert _found(client, "Ferrandier") == []

    access.request_send(request=draft, sent_on=access.today())

    assert _found(client, "Ferrandier") == [BODY]
    assert _found(Client(), "Ferrandier") == [BODY]


def test_another_contributor_cannot_name_it_in_the_request_form(client, other_contributor):
    """Its reference ("body:17") typed or put in the form's link names nothing to a
    person who may not find the body: a number counted up would read every draft's."""
    from django.contrib.auth import get_user_model

    camille = get_user_model().objects.create_user("camille", "camille@example.org", "x" * 12)
    reference = f"body:{_draft(camille).body_id}"
    client.force_login(other_contributor)

    page = client.get("/demandes/nouvelle/", {"organisme": reference}).content.decode()
    assert "Ferrandier" not in page
    response = client.post(
        "/demandes/nouvelle/",
        {"title": "Caméras", "bodies": reference, "documents": "La convention"},
    )
    assert "Ferrandier" not in response.content.decode()
    assert AccessRequest.objects.filter(requester=other_contributor).count() == 0


def test_a_body_another_request_goes_to_stays_when_a_draft_is_deleted(contributor):
    first = _draft(contributor)
    second = access.request_create(
        body=first.body, requester=contributor, title="Autre", documents_asked="Le marché"
    )
    access.request_delete(request=first)
    assert PublicBody.objects.filter(name=BODY).exists()
    access.request_delete(request=second)
    assert not PublicBody.objects.filter(name=BODY).exists()


def test_a_deleted_accounts_draft_takes_its_body_with_it(contributor):
    _draft(contributor)
    account_delete(user=contributor)
    assert not PublicBody.objects.filter(name=BODY).exists()
