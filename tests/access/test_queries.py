"""Lists of requests cost the same number of queries at a few requests as at forty: the API list,
the CSV export, the public list page, the transparency ranking and a series page
(7 requests, then 42). Before,
each request read its events, its body's department and its commune again (1 + 3n)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contrechamp.access import services
from contrechamp.places.models import Commune, Department, Epci

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 6, 1, 10, 0)
FIELDS = {"documents_asked": "Le marché de 2024", "channel": "email"}


def _grow(requester, series_requests: list, count: int) -> None:
    """`count` + 2 more sent requests, to bodies of every kind, each with a timeline: a
    series of town halls (refused by silence, one answered, one referred), a prefecture,
    an intercommunality."""
    communes = list(
        Commune.objects.filter(kind="commune").exclude(
            id__in=[r.body.commune_id for r in series_requests if r.body.commune_id]
        )[:count]
    )
    series = services.requests_draft(
        requester=requester, title="Vidéosurveillance", communes=communes, **FIELDS
    )
    department = Department.objects.exclude(
        id__in=[r.body.department_id for r in series_requests if r.body.department_id]
    ).first()
    epci = Epci.objects.exclude(
        id__in=[r.body.epci_id for r in series_requests if r.body.epci_id]
    ).first()
    others = [
        services.requests_draft(
            requester=requester, title="Drones", places=[(kind, place)], **FIELDS
        )
        for kind, place in (("prefecture", department), ("epci", epci))
    ]
    sent_on = dt.date(2026, 3, 2)
    services.series_send(series=series, sent_on=sent_on)
    for request in others:
        services.request_send(request=request, sent_on=sent_on, received_on=sent_on)
    made = list(series.requests.all()) + others
    services.event_add(request=made[0], kind="reply", date=dt.date(2026, 3, 20), user=requester)
    services.event_add(request=made[1], kind="refusal", date=dt.date(2026, 3, 25), user=requester)
    services.event_add(
        request=made[-1], kind="acknowledgement", date=dt.date(2026, 3, 5), user=requester
    )
    services.implicit_refusals_record(on=TODAY.date())
    series_requests.extend(made)


def _count(client, url: str) -> int:
    # Once before counting: the first request of a window creates its rate-limit counter
    # (the API's), the next ones only add to it.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


@time_machine.travel(TODAY, tick=False)
def test_it_reads_lists_of_requests_in_a_constant_number_of_queries(contributor, client):
    made: list = []
    _grow(contributor, made, 5)
    series = made[0].series
    assert services.is_cada_series(series)
    urls = [
        "/api/v1/requests?limit=100",
        "/exports/demandes.csv",
        "/demandes/",
        "/demandes/organismes/",
        series.get_absolute_url(),
    ]
    before = {url: _count(client, url) for url in urls}
    # The same series grown from 5 to 38 requests (7 to 42 in all), and more bodies of each kind.
    more: list = []
    _grow(contributor, more, 33)
    for request in more[:-2]:
        request.series = series
        request.save(update_fields=["series"])
    assert series.requests.count() >= 38
    after = {url: _count(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= 20, after


@time_machine.travel(TODAY, tick=False)
def test_a_signed_in_requester_reads_the_list_in_as_many_queries(contributor, client):
    made: list = []
    _grow(contributor, made, 5)
    client.force_login(contributor)
    token = services.feed_token_renew(user=contributor)
    urls = [
        "/demandes/",
        made[0].series.get_absolute_url(),
        "/demandes/echeances/",  # the requester's dates
        f"/demandes/echeances/{token}.atom",  # and their feed
    ]
    before = {url: _count(client, url) for url in urls}
    _grow(contributor, [], 33)
    assert {url: _count(client, url) for url in urls} == before
