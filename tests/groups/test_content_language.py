"""On the English page of a group, what people wrote in French is marked as French: its
description, the worklist's notes and the titles of requests (a new user's walk found
them read with an English voice)."""

import pytest
from django.test import Client

from contrechamp.groups import services
from tests.groups.conftest import client_for
from tests.groups.test_worklist import NOTE, _sent_request
from tests.html_lang import unmarked

pytestmark = pytest.mark.django_db

TITLE = "Caméras augmentées du parc de la Tête d’Or"


def test_an_english_group_page_marks_what_people_wrote_french(group, contributor):
    request = _sent_request(contributor, TITLE)
    services.work_item_add(group=group, user=contributor, kind="other", note=NOTE)
    services.work_item_add(
        group=group, user=contributor, kind="request_follow", access_request=request.id
    )
    page = client_for(Client, contributor).get(group.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert '<html lang="en"' in html and html.count(TITLE) >= 2  # the list and the worklist
    assert unmarked(html, ["vidéosurveillance", NOTE, TITLE]) == []
    # The interface around them stays English, unmarked.
    assert unmarked(html, ["Worklist"], language="en") == []
    # A visitor's page too.
    html = Client().get(group.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert unmarked(html, ["vidéosurveillance", TITLE]) == []


def test_a_french_group_page_marks_nothing(group, contributor):
    services.work_item_add(group=group, user=contributor, kind="other", note=NOTE)
    page = client_for(Client, contributor).get(group.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    main = page.content.decode().split("<main", 1)[1]
    assert ' lang="fr"' not in main
