"""Odd numbers typed or crafted into forms and URLs get a clear refusal, never a server
error: digits that are not ASCII (“²” passes str.isdigit but not int), numbers too big
for the database, versions that do not exist, old versions that no longer validate."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contrechamp.registry.models import Deployment, Organisation, Revision
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data
from tests.registry.html_form import form_fields, set_field

pytestmark = pytest.mark.django_db

# "9" * 19 passes the form's length limit but not a 64-bit column.
ODD_NUMBERS = ["\u00b2", "\u0663", "9" * 19, "-1", "1.0"]


@pytest.fixture
def edit(client, contributor):
    client.force_login(contributor)
    client.raise_request_exception = False
    deployment = Deployment.objects.published().first()
    return client, reverse("deployment-edit", args=[deployment.slug])


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_version_number_is_refused_without_saving(edit, value):
    client, url = edit
    fields = form_fields(client.get(url).content.decode())
    set_field(fields, "version", value)
    set_field(fields, "title", "Titre changé")
    response = client.post(url, fields)
    assert response.status_code == 400
    assert not Deployment.objects.filter(title="Titre changé").exists()


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_citation_id_is_ignored(edit, value):
    client, url = edit
    fields = form_fields(client.get(url).content.decode())
    set_field(fields, "citations-0-id", value)
    response = client.post(url, fields)
    assert response.status_code == 302


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_document_number_is_a_validation_error(value):
    citation = deployment_data()["citations"][0]
    citation["source"]["document"] = value
    with pytest.raises(ValidationError) as excinfo:
        deployment_create(data=deployment_data(citations=[citation]), author=None)
    assert "citations.0" in excinfo.value.message_dict


@pytest.mark.parametrize("version", [999, 0])
def test_reverting_to_a_version_that_does_not_exist_is_not_found(client, contributor, version):
    client.force_login(contributor)
    client.raise_request_exception = False
    deployment = Deployment.objects.published().first()
    organisation = Organisation.objects.first()
    assert (
        client.post(reverse("deployment-revert", args=[deployment.slug, version])).status_code
        == 404
    )
    assert (
        client.post(reverse("organisation-revert", args=[organisation.slug, version])).status_code
        == 404
    )


def test_an_organisation_version_that_no_longer_validates_is_refused_with_the_reason(
    client, contributor
):
    organisation = Organisation.objects.first()
    Revision.objects.filter(kind="organisation", object_id=organisation.id).update(
        snapshot={"name": organisation.name, "kind": "vendor", "website": "pas une adresse"}
    )
    client.force_login(contributor)
    client.raise_request_exception = False
    version = organisation.version
    response = client.post(
        reverse("organisation-revert", args=[organisation.slug, version]),
        {"version": version},
        follow=True,
    )
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.version == version and organisation.website != "pas une adresse"
    assert "URL" in response.content.decode() or "adresse" in response.content.decode()
