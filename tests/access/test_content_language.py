"""On the English pages of requests, what people wrote in French is marked as French: a
request's title, the documents it asks for, the notes of its timeline, and the titles on
the page of one's deadlines (a new user's walk)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from contrechamp.access import services
from contrechamp.access.models import AccessRequest
from tests.html_lang import unmarked

pytestmark = pytest.mark.django_db

DRAFT = {
    "communes": "42218",
    "title": "Vidéosurveillance algorithmique",
    "documents_asked": "Le marché passé avec la société Briefcam en 2024",
    "channel": "post",
}
NOTE = "Relance par courriel au service juridique"


@time_machine.travel(dt.datetime(2026, 4, 8, 10, 0), tick=False)
def test_an_english_request_page_marks_what_people_wrote_french(contributor_client):
    assert contributor_client.post("/demandes/nouvelle/", DRAFT).status_code == 302
    request = AccessRequest.objects.get()
    response = contributor_client.post(
        f"/demandes/{request.id}/envoi/",
        {"sent_on": "2026-03-10", "channel": "post", "received_on": "2026-03-12"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request.refresh_from_db()
    services.event_add(request=request, kind="reminder", date=dt.date(2026, 4, 5), note=NOTE)
    written = [DRAFT["title"], "société Briefcam", NOTE]
    for client in (contributor_client, Client()):
        html = client.get(f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="en"' in html
        assert unmarked(html, written) == []
        # The interface around them stays English, unmarked.
        assert unmarked(html, ["Documents asked for", "reminder sent"], language="en") == []
    # Its legal date is near: the page of one's deadlines lists it by its title.
    html = contributor_client.get(
        "/demandes/echeances/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert html.count(DRAFT["title"]) == 2  # due soon, and among one's requests
    assert unmarked(html, [DRAFT["title"]]) == []
    french = contributor_client.get(f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert ' lang="fr"' not in french.content.decode().split("<main", 1)[1]
