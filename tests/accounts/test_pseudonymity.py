"""A contributor is shown in public by their display name only: an anonymous visitor who
crawls the pages around their contributions never meets their address or user name."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.template import Context, Template

from contrechamp.access.models import PublicBody
from contrechamp.access.services.requests import request_create, request_send
from contrechamp.accounts.services import user_create
from contrechamp.places.models import Commune
from contrechamp.registry.services import (
    deployment_create,
    deployment_publish,
    organisation_create,
    organisation_publish,
)
from tests.conftest import PASSWORD
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

# Words found nowhere else: the address and the internal user name.
SECRETS = [b"zorglub", b"reconnaissable"]
SKIP = ("/static/", "/admin/", "/compte/", "/media/")
HREF = re.compile(rb'(?:href|action)="([^"#]+)')


def _seed():
    user = user_create(
        username="zorglub_identifiant",
        email="zorglub.reconnaissable@example.org",
        password=PASSWORD,
        public_name="Plume Vagabonde",
    )
    deployment = deployment_create(
        data=deployment_data(title="Caméras du marché aux puces"), author=user, comment="ajout"
    )
    deployment = deployment_publish(deployment=deployment, author=user)
    org = organisation_create(
        data={"name": "Société Tamanoir", "kind": "vendor"}, author=user, comment="ajout"
    )
    org = organisation_publish(organisation=org, author=user)
    commune = Commune.objects.get(code="69123")
    body = PublicBody.objects.create(name="Mairie de Lyon", kind="commune", commune=commune)
    req = request_create(
        body=body,
        requester=user,
        title="Contrat des caméras du marché",
        documents_asked="Le contrat",
        show_requester=True,
    )
    request_send(request=req, sent_on=dt.date.today() - dt.timedelta(days=3))
    return user, [deployment.get_absolute_url(), org.get_absolute_url(), req.get_absolute_url()]


def _crawl(client, start: list[str], limit: int = 120) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = body
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in HREF.findall(body):
            target = urlparse(urljoin(url, link.decode()))
            if target.netloc in ("", "testserver") and target.path.startswith("/"):
                queue.append(target.path)
    return seen


def test_an_anonymous_visitor_never_sees_an_address_or_a_user_name(client):
    user, start = _seed()
    pages = _crawl(client, [*start, start[0] + "historique/", "/"])
    # The crawl reached the pages that name the contributor, by their display name.
    assert any(b"Plume Vagabonde" in body for body in pages.values())
    for url, body in pages.items():
        for secret in SECRETS:
            assert secret not in body.lower(), url


@pytest.mark.usefixtures("english")
def test_the_display_name_filter():
    template = Template("{% load accounts_tags %}[{{ who|display_name }}]")
    assert template.render(Context({"who": None})) == "[former contributor]"
