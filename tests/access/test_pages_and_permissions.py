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
    # The Ain's page lists the first 50 and counts the others.
    ain = client.get("/departements/01/").content.decode()
    assert ain.count('href="/demandes/') >= 50 and "Et 5 autres demandes." in ain


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


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_department_and_intercommunality_pages_list_their_requests(contributor, client):
    from contrechamp.access.services.bodies import body_for_place, body_reference

    nice = Commune.objects.get(code="06088")
    about_nice = services.request_create(
        body=body_for_place("commune", nice),
        requester=contributor,
        title="Caméras de Nice",
        places=[nice],
        **FIELDS,
    )
    services.request_send(request=about_nice, sent_on=dt.date(2026, 3, 2))
    kind, department = body_reference("department:06")
    to_council = services.request_create(
        body=body_for_place(kind, department),
        requester=contributor,
        title="Caméras des collèges",
        **FIELDS,
    )
    services.request_send(request=to_council, sent_on=dt.date(2026, 3, 2))
    services.request_create(
        body=body_for_place("commune", nice),
        requester=contributor,
        title="Brouillon privé",
        places=[nice],
        **FIELDS,
    )
    department_page = client.get("/departements/06/").content.decode()
    assert "Caméras de Nice" in department_page and "Caméras des collèges" in department_page
    epci_page = client.get(f"/intercommunalites/{nice.epci.siren}/").content.decode()
    assert "Caméras de Nice" in epci_page and "Caméras des collèges" not in epci_page
    # A draft is nobody's business but its author's.
    assert "Brouillon privé" not in department_page + epci_page
    # Another department's page lists neither.
    assert "Caméras de Nice" not in client.get("/departements/13/").content.decode()
    # The link to ask opens the form with the place's body.
    client.force_login(contributor)
    page = client.get("/departements/06/").content.decode()
    assert "/demandes/nouvelle/?organisme=prefecture%3A06" in page
    form = client.get("/demandes/nouvelle/?organisme=prefecture%3A06").content.decode()
    assert "Préfecture des Alpes-Maritimes [prefecture:06]" in form
    # A reference that names nothing leaves the field empty.
    form = client.get("/demandes/nouvelle/?organisme=department%3A999").content.decode()
    assert "[department:999]" not in form
    # Two references in one: none.
    form = client.get("/demandes/nouvelle/?organisme=prefecture:06%20;%20prefecture:13")
    assert "[prefecture:" not in form.content.decode()


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_the_list_of_requests_filtered_to_a_place_as_its_page_links_to_it(contributor, client):
    from contrechamp.access.services.bodies import body_for_place

    nice = Commune.objects.get(code="06088")
    for title, sent in (
        ("Plus ancienne", dt.date(2026, 3, 2)),
        ("Plus récente", dt.date(2026, 5, 2)),
    ):
        made = services.request_create(
            body=body_for_place("commune", nice),
            requester=contributor,
            title=title,
            places=[nice],
            **FIELDS,
        )
        services.request_send(request=made, sent_on=sent)
    department = client.get("/departements/06/").content.decode()
    # The latest sent first.
    assert department.index("Plus récente") < department.index("Plus ancienne")
    listed = client.get("/demandes/?departement=06").content.decode()
    assert "Plus récente" in listed and "Lieu : <span" in listed.replace("\n", "")
    assert "Plus récente" not in client.get("/demandes/?departement=13").content.decode()
    assert "Plus récente" in client.get(f"/demandes/?epci={nice.epci.siren}").content.decode()
    assert "Plus récente" in client.get("/demandes/?commune=06088").content.decode()
    # A code that names nothing lists everything, without a filter shown.
    page = client.get("/demandes/?departement=999").content.decode()
    assert "Plus récente" in page and "place-filters" not in page
