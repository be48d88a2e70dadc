"""A published entry says how to cite it (the last walk: a journalist found no way to);
the data page says how to credit a reuse."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 12, 7, 10, 0), tick=False)
def test_a_published_entry_gives_a_reference_with_its_version_and_address(settings):
    settings.SITE_URL = "https://observatoire.example.org/"
    deployment = Deployment.objects.published().first()
    page = Client().get(deployment.get_absolute_url()).content.decode()
    reference = page.split('id="cite-text">')[1].split("</p>")[0]
    assert reference.startswith("Contrechamp, « ")
    assert f"version {deployment.version} du " in reference
    # The site's own address (SITE_URL), not the one the page was reached by.
    assert f"https://observatoire.example.org{deployment.get_absolute_url()}" in reference
    assert "consulté le 7 décembre 2026" in reference and "ODbL" in reference
    english = Client().get(deployment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "(accessed on " in english.content.decode().split('id="cite-text">')[1]


def test_a_draft_gives_none(client, reviewer):
    draft = deployment_create(data=deployment_data(is_published=False), author=reviewer)
    client.force_login(reviewer)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert page.count("Brouillon") and 'id="cite-text"' not in page


def test_the_data_page_says_how_to_credit_a_reuse(settings):
    settings.SITE_URL = "https://observatoire.example.org"
    page = Client().get(reverse("about-data")).content.decode()
    assert "Source : Contrechamp (https://observatoire.example.org)" in page
    assert 'id="cite"' in page


def test_a_sources_access_date_is_written_in_words_as_the_site_writes_days(client, reviewer):
    """ "12/07/2026" was 7 December in English, 12 July to a European reader (a walk);
    then « consulté le 07/12/2026 » stood alone in numbers where the site writes « 7
    décembre 2026 » (another walk)."""
    from contrechamp.registry.models import Citation

    deployment = Deployment.objects.published().first()
    Citation.objects.filter(deployment=deployment).update(accessed_on=dt.date(2026, 12, 7))
    english = client.get(deployment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content
    french = client.get(deployment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content
    assert (
        "accessed on 7 December 2026" in english.decode() and "12/07/2026" not in english.decode()
    )
    assert "consulté le 7 décembre 2026" in french.decode()
    assert "07/12/2026" not in french.decode()
