"""The list's page parameter is `page` like the rest of the site (`p` still read), the
former addresses of series redirect, and one rule per action decides who may do what."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from contrechamp.access import permissions, services
from contrechamp.access.models import AccessRequest
from contrechamp.places.models import Commune

pytestmark = pytest.mark.django_db

FIELDS = {"documents_asked": "Le marché de 2024", "channel": "email"}


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_the_list_pages_with_page_and_still_reads_p(contributor, client):
    communes = list(Commune.objects.filter(kind="commune").order_by("code")[:55])
    series = services.requests_draft(
        requester=contributor, title="Vidéosurveillance", communes=communes, **FIELDS
    )
    services.series_send(series=series, sent_on=dt.date(2026, 3, 2))
    first = client.get("/demandes/").content.decode()
    assert 'href="?page=2"' in first and "&amp;p=" not in first
    second = client.get("/demandes/?page=2").content.decode()
    assert second.count('class="request-') == 5 and 'href="?page=1"' in second
    assert client.get("/demandes/?p=2").content.decode().count('class="request-') == 5
    filtered = client.get("/demandes/?statut=refused&page=2").content.decode()
    assert 'href="?statut=refused&amp;page=1"' in filtered


def test_the_former_addresses_of_a_series_redirect(contributor, contributor_client):
    series = services.requests_draft(
        requester=contributor,
        title="Drones",
        communes=list(Commune.objects.filter(kind="commune")[:2]),
        **FIELDS,
    )
    assert series.get_absolute_url() == f"/demandes/series/{series.id}/"
    moved = contributor_client.get(f"/demandes/campagnes/{series.id}/")
    assert moved.status_code == 301 and moved["Location"] == series.get_absolute_url()
    letter = contributor_client.get(f"/demandes/campagnes/{series.id}/courrier/?demande=3")
    assert letter["Location"] == f"/demandes/series/{series.id}/courrier/?demande=3"
    assert contributor_client.get(moved["Location"]).status_code == 200
    # Refused at the old address as at the new one: drafts are their author's.
    visitor = Client()
    assert visitor.get(f"/demandes/campagnes/{series.id}/").status_code == 404
    assert visitor.get(f"/demandes/campagnes/{series.id}/courrier/").status_code == 404


def test_who_may_read_and_edit(contributor, other_contributor, reviewer):
    draft = services.requests_draft(
        requester=contributor,
        title="Drones",
        communes=list(Commune.objects.filter(kind="commune")[:1]),
        **FIELDS,
    )
    assert isinstance(draft, AccessRequest)
    assert draft in permissions.readable_requests(contributor)
    assert draft not in permissions.readable_requests(other_contributor)
    assert draft not in permissions.readable_requests(None)
    assert draft not in permissions.public_requests()
    assert permissions.may_edit_request(contributor, draft)
    assert permissions.may_edit_request(reviewer, draft)
    assert not permissions.may_edit_request(other_contributor, draft)
    assert not permissions.may_edit_request(None, draft)
    assert not permissions.may_see_requester(other_contributor, draft)
    assert permissions.may_draft_requests(contributor)
    assert not permissions.may_draft_requests(None)
